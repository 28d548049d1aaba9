# Tests of declaratie.rego (declaratie_decision); the shared inputs are in declareren_test.rego.
package bewijs.declareren_test

import data.bewijs.declareren

test_declaratie_within_the_toewijzing_is_allowed if {
	d := line({})
	d.allow
	d.reasons == [
		"cumulative volume 180 is within the omvang 180 per week",
		"product 01 01A01 and eenheid 01 match the toewijzing",
		"the declaratie period 2026-03-02 to 2026-03-08 lies within the toewijzing (from 2026-02-01 until 2027-01-31)",
		"toewijzing 36300101 is covered by the token",
	]
}

test_declaratie_missing_is_denied if {
	d := declareren.declaratie_decision with input as object.remove(declaratie_input, ["declaratie"])
	denied(d, "input.declaratie is missing or not an object")
	e := declareren.declaratie_decision with input as object.remove(declaratie_input, ["declaratie", "toewijzing"])
	denied(e, "input.toewijzing is missing or not an object: no toewijzing credential for toewijzing (none)")
}

test_declaratie_malformed_members_are_denied if {
	every field, value in {
		"toewijzingnummer": "36300101",
		"productcategorie": 1,
		"productcode": null,
		"begindatum": "2026-3-2",
		"einddatum": "2026-03-32",
		"geleverdVolume": "150",
		"eenheid": 1,
		"bedrag": "45,00",
	} {
		d := with_line({field: value})
		not d.allow
		some r in d.reasons
		startswith(r, sprintf("input.declaratie.%s ", [field]))
	}
	d := line({"declaratie": object.remove(declaratie, ["bedrag"])})
	denied(d, "input.declaratie.bedrag (none) is missing or not a number (eurocent)")
}

test_declaratie_missing_holder_is_denied if {
	d := declareren.declaratie_decision with input as object.remove(declaratie_input, ["holder"])
	denied(d, "input.holder is missing or not a string")
}

test_declaratie_missing_covered_is_denied if {
	d := declareren.declaratie_decision with input as object.remove(declaratie_input, ["covered"])
	denied(d, "input.covered is missing or not an array")
}

test_declaratie_without_toewijzing_is_denied if {
	d := declareren.declaratie_decision with input as object.remove(declaratie_input, ["toewijzing"])
	denied(d, "input.toewijzing is missing or not an object: no toewijzing credential for toewijzing 36300101")
}

test_declaratie_toewijzing_without_ingangsdatum_is_denied if {
	d := line({"toewijzing": object.remove(toewijzing, ["ingangsdatum"])})
	denied(d, "the toewijzing's ingangsdatum (none) is missing or not a date (YYYY-MM-DD)")
}

test_declaratie_toewijzing_with_malformed_einddatum_is_denied if {
	d := line({"toewijzing": patched(toewijzing, {"einddatum": "2027"})})
	denied(d, "the toewijzing's einddatum \"2027\" is not a date (YYYY-MM-DD)")
}

test_declaratie_toewijzing_without_omvang_is_denied if {
	# Fixture 12: aspecifiek met budget, no omvang.
	d := line({"toewijzing": patched(object.remove(toewijzing, ["omvang"]), {"budget": 450000})})
	denied(d, "the toewijzing's omvang (none) is missing or not {volume: a number, eenheid: a string, frequentie: a string}")
}

test_declaratie_without_declared_before_is_denied if {
	d := declareren.declaratie_decision with input as object.remove(declaratie_input, ["declared_before"])
	denied(d, "input.declared_before.in_period.volume is missing or not a number; frequentie 2 (per week) needs it")
	t := with_omvang({"volume": 120, "eenheid": "14", "frequentie": "6"}, {}, {"declared_before": {"in_period": {"volume": 0}}})
	denied(t, "input.declared_before.volume is missing or not a number; frequentie 6 (totaal binnen geldigheidsduur) needs it")
}

test_declaratie_not_covered_by_the_token_is_denied if {
	d := line({"covered": [36300102, 36300103]})
	d.reasons == ["toewijzing 36300101 is not covered by the token (it covers 36300102, 36300103)"]
	denied(line({"covered": []}), "toewijzing 36300101 is not covered by the token (it covers none)")
}

test_declaratie_for_another_toewijzing_is_denied if {
	d := with_line({"toewijzingnummer": 36300102})
	denied(d, "the toewijzing given is toewijzing 36300101, not 36300102")
}

test_declaratie_toewijzing_of_another_holder_is_denied if {
	d := line({"holder": "did:web:bewijs.example:o:de-werkplaats"})
	denied(d, sprintf("the toewijzing was issued to %q, not to the holder \"did:web:bewijs.example:o:de-werkplaats\"", [linde]))
}

test_declaratie_on_a_revoked_toewijzing_is_denied if {
	d := line({"toewijzing": patched(toewijzing, {"status": "revoked"})})
	denied(d, "the toewijzing's status is \"revoked\", not \"valid\"")
}

test_declaratie_period_backwards_is_denied if {
	d := with_line({"begindatum": "2026-03-08", "einddatum": "2026-03-02"})
	denied(d, "the declaratie's begindatum 2026-03-08 is after its einddatum 2026-03-02")
}

test_declaratie_before_ingangsdatum_is_denied if {
	d := with_line({"begindatum": "2026-01-26", "einddatum": "2026-02-01"})
	d.reasons == ["the declaratie's begindatum 2026-01-26 is before the toewijzing's ingangsdatum 2026-02-01 (TR307)"]
	e := with_line({"begindatum": "2026-01-26", "einddatum": "2026-01-31"})
	denied(e, "the declaratie's einddatum 2026-01-31 is before the toewijzing's ingangsdatum 2026-02-01 (TR307)")
}

test_declaratie_after_einddatum_is_denied if {
	d := with_line({"begindatum": "2027-01-25", "einddatum": "2027-02-01"})
	denied(d, "the declaratie's einddatum 2027-02-01 is after the toewijzing's einddatum 2027-01-31 (TR308)")
	e := with_line({"begindatum": "2027-02-01", "einddatum": "2027-02-01"})
	denied(e, "the declaratie's begindatum 2027-02-01 is after the toewijzing's einddatum 2027-01-31 (TR308)")
}

test_declaratie_on_an_open_ended_toewijzing_has_no_end if {
	d := line({"toewijzing": patched(toewijzing, {"einddatum": null}), "declaratie": patched(declaratie, {"begindatum": "2031-03-03", "einddatum": "2031-03-09"})})
	d.allow
	"the declaratie period 2031-03-03 to 2031-03-09 lies within the toewijzing (from 2026-02-01 with no einddatum)" in d.reasons
}

test_declaratie_of_another_productcategorie_is_denied if {
	d := with_line({"productcategorie": "02"})
	d.reasons == ["the declaratie's productcategorie \"02\" is not the toewijzing's product categorie \"01\" (TR339)"]
}

test_declaratie_of_another_productcode_is_denied if {
	d := with_line({"productcode": "01A02"})
	d.reasons == ["the declaratie's productcode \"01A02\" is not the toewijzing's product code \"01A01\" (TR340)"]
	e := line({"toewijzing": patched(toewijzing, {"product": {"categorie": "01"}})})
	denied(e, "the declaratie's productcode \"01A01\" is not the toewijzing's product code null (TR340)")
}

test_declaratie_in_another_eenheid_is_denied if {
	d := with_line({"eenheid": "04"})
	d.reasons == ["the declaratie's eenheid \"04\" is not the toewijzing's eenheid \"01\" (TR341)"]
}

test_declaratie_without_volume_is_denied if {
	denied(with_line({"geleverdVolume": 0}), "the declaratie's geleverdVolume 0 is not positive")
	denied(with_line({"geleverdVolume": -30}), "the declaratie's geleverdVolume -30 is not positive")
}

test_declaratie_with_negative_bedrag_is_denied if {
	denied(with_line({"bedrag": -1}), "the declaratie's bedrag -1 is negative")
	with_line({"bedrag": 0}).allow
}

# The volume per frequentie (WMO757).

test_declaratie_over_the_weekly_omvang_is_denied if {
	d := line({"declared_before": {"volume": 0, "in_period": {"volume": 60}}})
	d.reasons == ["cumulative volume 210 exceeds the omvang 180 per week (60 declared before, 150 now)"]
}

test_declaratie_outside_one_iso_week_is_denied if {
	# Sunday 8 March to Monday 9 March 2026 spans two ISO weeks.
	d := with_line({"begindatum": "2026-03-08", "einddatum": "2026-03-09"})
	d.reasons == ["the declaratie period 2026-03-08 to 2026-03-09 is not within one ISO week (Monday to Sunday), as frequentie 2 (per week) requires"]
	with_line({"begindatum": "2026-03-04", "einddatum": "2026-03-05"}).allow
}

test_declaratie_over_the_monthly_omvang_is_denied if {
	# Fixture 05: 31 etmaal per maand.
	omvang := {"volume": 31, "eenheid": "14", "frequentie": "4"}
	patch := {"declaratie": patched(declaratie, {"eenheid": "14", "geleverdVolume": 10, "begindatum": "2026-03-01", "einddatum": "2026-03-31"})}
	with_omvang(omvang, {}, patched(patch, {"declared_before": {"in_period": {"volume": 21}}})).allow
	d := with_omvang(omvang, {}, patched(patch, {"declared_before": {"in_period": {"volume": 22}}}))
	d.reasons == ["cumulative volume 32 exceeds the omvang 31 per maand (22 declared before, 10 now)"]
}

test_declaratie_outside_one_month_is_denied if {
	omvang := {"volume": 31, "eenheid": "14", "frequentie": "4"}
	d := with_omvang(omvang, {}, {"declared_before": {"in_period": {"volume": 0}}, "declaratie": patched(declaratie, {"eenheid": "14", "geleverdVolume": 2, "begindatum": "2026-03-31", "einddatum": "2026-04-01"})})
	d.reasons == ["the declaratie period 2026-03-31 to 2026-04-01 is not within one calendar month, as frequentie 4 (per maand) requires"]
}

test_declaratie_over_the_daily_omvang_is_denied if {
	# Fixture 04: 2 stuks (output) per dag.
	omvang := {"volume": 2, "eenheid": "82", "frequentie": "1"}
	patch := {"declaratie": patched(declaratie, {"eenheid": "82", "geleverdVolume": 1, "begindatum": "2026-03-03", "einddatum": "2026-03-03"})}
	with_omvang(omvang, {}, patched(patch, {"declared_before": {"in_period": {"volume": 1}}})).allow
	d := with_omvang(omvang, {}, patched(patch, {"declared_before": {"in_period": {"volume": 2}}}))
	d.reasons == ["cumulative volume 3 exceeds the omvang 2 per dag (2 declared before, 1 now)"]
}

test_declaratie_outside_one_day_is_denied if {
	omvang := {"volume": 2, "eenheid": "82", "frequentie": "1"}
	d := with_omvang(omvang, {}, {"declared_before": {"in_period": {"volume": 0}}, "declaratie": patched(declaratie, {"eenheid": "82", "geleverdVolume": 2, "begindatum": "2026-03-03", "einddatum": "2026-03-04"})})
	d.reasons == ["the declaratie period 2026-03-03 to 2026-03-04 is not within one day, as frequentie 1 (per dag) requires"]
}

test_declaratie_over_the_total_omvang_is_denied if {
	# Fixture 09: 120 etmaal totaal, any period within the toewijzing.
	omvang := {"volume": 120, "eenheid": "14", "frequentie": "6"}
	patch := {"declaratie": patched(declaratie, {"eenheid": "14", "geleverdVolume": 61, "begindatum": "2026-03-01", "einddatum": "2026-04-30"})}
	ok := with_omvang(omvang, {}, patched(patch, {"declared_before": {"volume": 59, "in_period": {"volume": 100}}}))
	ok.allow
	"cumulative volume 120 is within the omvang 120 totaal binnen geldigheidsduur" in ok.reasons
	d := with_omvang(omvang, {}, patched(patch, {"declared_before": {"volume": 60}}))
	d.reasons == ["cumulative volume 121 exceeds the omvang 120 totaal binnen geldigheidsduur (60 declared before, 61 now)"]
}

test_declaratie_with_another_frequentie_is_not_volume_checked if {
	# Frequentie 3 (per vier weken) existed in iWmo 2.x only.
	d := with_omvang({"volume": 1, "eenheid": "01", "frequentie": "3"}, {}, {"declared_before": {}})
	d.allow
	"frequentie \"3\" is not one of 1, 2, 4, 6 (WMO757): the volume is not checked" in d.reasons
}

test_declaratie_non_object_input_is_denied if {
	every x in [null, [1], "x"] {
		d := declareren.declaratie_decision with input as x
		not d.allow
		"input.declaratie is missing or not an object" in d.reasons
	}
}
