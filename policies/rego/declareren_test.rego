package bewijs.declareren_test

import data.bewijs.declareren

amsterdam := "did:web:bewijs.example:o:gemeente-amsterdam"

linde := "did:web:bewijs.example:o:thuiszorg-de-linde"

ketenbureau := "did:web:bewijs.example:o:ketenbureau"

role := {
	"issuer": ketenbureau,
	"subject": linde,
	"role": "zorgaanbieder",
	"agb": "98000101",
	"wetten": ["Wmo2015"],
	"valid_from": "2026-01-01T00:00:00Z",
	"valid_until": "2027-01-01T00:00:00Z",
	"status": "valid",
}

# Fixture 01: Wmo hulp bij het huishouden, 180 minuten per week.
toewijzing := {
	"issuer": amsterdam,
	"subject": linde,
	"toewijzingnummer": 36300101,
	"wet": "Wmo2015",
	"aanbieder_agb": "98000101",
	"product": {"categorie": "01", "code": "01A01"},
	"ingangsdatum": "2026-02-01",
	"einddatum": "2027-01-31",
	"omvang": {"volume": 180, "eenheid": "01", "frequentie": "2"},
	"status": "valid",
}

# patched(obj, patch) is obj with the members of patch replaced (object.union would merge nested
# objects).
patched(obj, patch) := object.union(object.remove(obj, object.keys(patch)), patch)

token_input := {
	"gemeente": {"did": amsterdam, "gemeentecode": "0363"},
	"holder": linde,
	"now": "2026-11-29T10:00:00Z",
	"role": role,
	"toewijzingen": [toewijzing],
}

token(patch) := d if {
	d := declareren.token_decision with input as patched(token_input, patch)
}

with_role(patch) := token({"role": patched(role, patch)})

# with_toewijzing decides for one toewijzing, changed by patch.
with_toewijzing(patch) := token({"toewijzingen": [patched(toewijzing, patch)]})

# refused(d, why): d is a denial that names toewijzing 36300101 as not covered because why.
refused(d, why) if {
	not d.allow
	d.covered == []
	sprintf("toewijzing 36300101 (credential #0) is not covered: %s", [why]) in d.reasons
	sprintf("no toewijzing of the gemeente %q is covered (1 given)", [amsterdam]) in d.reasons
}

# ---- token_decision ----

test_token_covers_an_allocated_toewijzing if {
	d := token({})
	d.allow
	d.covered == [36300101]
	d.reasons == [
		sprintf("the role credential of trust anchor %q makes the holder a zorgaanbieder with AGB-code \"98000101\" for Wmo2015, valid from 2026-01-01T00:00:00Z until 2027-01-01T00:00:00Z", [ketenbureau]),
		sprintf("toewijzing 36300101 (credential #0) is covered: wet \"Wmo2015\", from 2026-02-01 until 2027-01-31, issued by the gemeente %q", [amsterdam]),
	]
}

test_decision_is_token_decision if {
	d := declareren.decision with input as token_input
	d == declareren.token_decision with input as token_input
}

test_token_covered_is_sorted_and_names_refused_ones if {
	d := token({"toewijzingen": [
		patched(toewijzing, {"toewijzingnummer": 36300109}),
		patched(toewijzing, {"toewijzingnummer": 36300102, "status": "revoked"}),
		toewijzing,
		toewijzing,
	]})
	d.allow
	d.covered == [36300101, 36300109]
	"toewijzing 36300102 (credential #1) is not covered: its status is \"revoked\", not \"valid\"" in d.reasons
}

test_token_toewijzing_without_einddatum_is_open_ended if {
	every patch in [{"einddatum": null}, {"einddatum": null, "ingangsdatum": "2026-11-29"}] {
		d := with_toewijzing(patch)
		d.allow
		some r in d.reasons
		contains(r, "with no einddatum")
	}
	d := token({"toewijzingen": [object.remove(toewijzing, ["einddatum"])]})
	d.allow
}

test_token_period_includes_its_first_and_last_day if {
	with_toewijzing({"ingangsdatum": "2026-11-29"}).allow
	with_toewijzing({"einddatum": "2026-11-29"}).allow
}

test_token_today_is_the_date_part_of_now if {
	# 23:30 on 30 November at UTC-1 is 1 December in UTC; the date as written counts.
	d := token({"now": "2026-11-30T23:30:00-01:00", "toewijzingen": [patched(toewijzing, {"einddatum": "2026-11-30"})]})
	d.allow
}

test_token_missing_now_is_denied if {
	d := declareren.token_decision with input as object.remove(token_input, ["now"])
	not d.allow
	"input.now (none) is missing or not an RFC 3339 time" in d.reasons
}

test_token_malformed_now_is_denied if {
	every now in ["2026-11-29", "2026-13-29T10:00:00Z", 1764410400, "29-11-2026T10:00:00Z"] {
		d := token({"now": now})
		not d.allow
		d.covered == []
		some r in d.reasons
		startswith(r, "input.now ")
		endswith(r, " is missing or not an RFC 3339 time")
	}
}

test_token_missing_holder_is_denied if {
	d := declareren.token_decision with input as object.remove(token_input, ["holder"])
	not d.allow
	"input.holder is missing or not a string" in d.reasons
}

test_token_missing_gemeente_is_denied if {
	d := token({"gemeente": {"gemeentecode": "0363"}})
	not d.allow
	"input.gemeente.did is missing or not a string" in d.reasons
	"no toewijzing of the gemeente (none) is covered (1 given)" in d.reasons
}

test_token_missing_toewijzingen_is_denied if {
	d := token({"toewijzingen": {"0": toewijzing}})
	not d.allow
	"input.toewijzingen is missing or not an array" in d.reasons
}

test_token_without_toewijzingen_is_denied if {
	d := token({"toewijzingen": []})
	not d.allow
	d.reasons == [sprintf("no toewijzing of the gemeente %q is covered (0 given)", [amsterdam])]
}

test_token_non_object_input_is_denied if {
	every x in [null, [1], "x", 7] {
		d := declareren.token_decision with input as x
		not d.allow
		d.covered == []
		"input.holder is missing or not a string" in d.reasons
		"no OrganisatieRol credential: input.role is missing" in d.reasons
	}
}

# The role credential.

test_token_role_missing_is_denied if {
	every x in [object.remove(token_input, ["role"]), patched(token_input, {"role": null})] {
		d := declareren.token_decision with input as x
		not d.allow
		"no OrganisatieRol credential: input.role is missing" in d.reasons
		"toewijzing 36300101 (credential #0) is not covered: without an acceptable role credential and input it cannot be checked" in d.reasons
	}
}

test_token_role_not_an_object_is_denied if {
	d := token({"role": ["zorgaanbieder"]})
	not d.allow
	"the role credential is not acceptable: it is not an object" in d.reasons
}

test_token_role_gemeente_is_denied if {
	d := with_role({"role": "gemeente"})
	not d.allow
	d.reasons == ["the role credential gives the role \"gemeente\", not \"zorgaanbieder\""]
	d.covered == []
}

test_token_role_unknown_is_denied if {
	d := with_role({"role": "zorgkantoor"})
	not d.allow
	"the role credential is not acceptable: its role \"zorgkantoor\" is not a known role (gemeente, zorgaanbieder)" in d.reasons
}

test_token_role_of_untrusted_issuer_is_denied if {
	every issuer in ["did:web:bewijs.example:o:gemeente-amsterdam", "did:web:bewijs.example:o:ketenbureau-2", "did:key:z6Mk"] {
		d := with_role({"issuer": issuer})
		not d.allow
		sprintf("the role credential is not acceptable: its issuer %q is not a trust anchor", [issuer]) in d.reasons
	}
}

test_token_role_of_ketenbureau_on_any_host_is_accepted if {
	with_role({"issuer": "did:web:localhost%3A8443:o:ketenbureau"}).allow
}

test_token_role_of_configured_trust_anchor_is_accepted if {
	anchors := [{"name": "ministerie", "hosts": {"vws.example"}, "slug_pattern": `^anchor$`}]
	d := with_role({"issuer": "did:web:vws.example:o:anchor"}) with data.bewijs.lib.trust_anchors as anchors
	d.allow
	not with_role({}).allow with data.bewijs.lib.trust_anchors as anchors
}

test_token_role_of_another_subject_is_denied if {
	d := with_role({"subject": "did:web:bewijs.example:o:de-werkplaats"})
	not d.allow
	sprintf("the role credential's subject \"did:web:bewijs.example:o:de-werkplaats\" is not the holder %q", [linde]) in d.reasons
}

test_token_role_revoked_is_denied if {
	d := with_role({"status": "revoked"})
	not d.allow
	"the role credential is not acceptable: its status is \"revoked\", not \"valid\"" in d.reasons
}

test_token_role_suspended_is_denied if {
	d := with_role({"status": "suspended"})
	not d.allow
	"the role credential is not acceptable: its status is \"suspended\", not \"valid\"" in d.reasons
}

test_token_role_expired_is_denied if {
	every until in ["2026-11-29T10:00:00Z", "2026-11-01T00:00:00+01:00"] {
		d := with_role({"valid_until": until})
		not d.allow
		sprintf("the role credential is not acceptable: it expired at %s", [until]) in d.reasons
	}
}

test_token_role_not_yet_valid_is_denied if {
	d := with_role({"valid_from": "2026-11-29T10:00:01Z"})
	not d.allow
	"the role credential is not acceptable: it is not valid before 2026-11-29T10:00:01Z" in d.reasons
	with_role({"valid_from": "2026-11-29T10:00:00Z"}).allow
}

test_token_role_without_validity_bounds_is_open_ended if {
	d := declareren.token_decision with input as patched(token_input, {"role": object.remove(role, ["valid_from", "valid_until"])})
	d.allow
	some r in d.reasons
	endswith(r, "for Wmo2015, valid from (open) until (open)")
	with_role({"valid_until": null}).allow
}

test_token_role_with_malformed_validity_is_denied if {
	d := with_role({"valid_from": "2026-01-01", "valid_until": 1798761600})
	not d.allow
	"the role credential is not acceptable: its valid_from \"2026-01-01\" is not an RFC 3339 time between the years 1678 and 2261" in d.reasons
	"the role credential is not acceptable: its valid_until 1798761600 is not an RFC 3339 time between the years 1678 and 2261" in d.reasons
}

test_token_role_without_agb_is_denied if {
	every agb in [null, 98000101, "9800010", "98000101 "] {
		d := with_role({"agb": agb})
		not d.allow
		some r in d.reasons
		startswith(r, "the role credential's agb ")
		endswith(r, " is missing or not an AGB-code (8 digits)")
	}
}

test_token_role_without_wetten_is_denied if {
	every wetten in [[], "Wmo2015", [1], null] {
		d := with_role({"wetten": wetten})
		not d.allow
		some r in d.reasons
		endswith(r, "is missing or not a non-empty array of wetten (Jeugdwet, Wmo2015)")
	}
}

# The toewijzingen, one test per reason to refuse one.

test_token_toewijzing_not_an_object_is_refused if {
	d := token({"toewijzingen": ["36300101"]})
	not d.allow
	"toewijzing credential #0 is not covered: it is not an object" in d.reasons
}

test_token_toewijzing_without_number_is_refused if {
	every n in [null, "36300101", 36300101.5, -1, 1000000000] {
		d := with_toewijzing({"toewijzingnummer": n})
		not d.allow
		some r in d.reasons
		startswith(r, "toewijzing credential #0 is not covered: its toewijzingnummer ")
	}
}

test_token_toewijzing_of_another_gemeente_is_refused if {
	refused(
		with_toewijzing({"issuer": "did:web:bewijs.example:o:gemeente-utrecht"}),
		sprintf("it was issued by \"did:web:bewijs.example:o:gemeente-utrecht\", not by the gemeente %q", [amsterdam]),
	)
}

test_token_toewijzing_of_another_holder_is_refused if {
	refused(
		with_toewijzing({"subject": "did:web:bewijs.example:o:de-werkplaats"}),
		sprintf("it was issued to \"did:web:bewijs.example:o:de-werkplaats\", not to the holder %q", [linde]),
	)
}

test_token_toewijzing_of_another_aanbieder_is_refused if {
	refused(
		with_toewijzing({"aanbieder_agb": "98000202"}),
		"it allocates care to another aanbieder (AGB-code \"98000202\", the role credential's is \"98000101\")",
	)
}

test_token_toewijzing_revoked_is_refused if {
	refused(with_toewijzing({"status": "revoked"}), "its status is \"revoked\", not \"valid\"")
	refused(with_toewijzing({"status": "suspended"}), "its status is \"suspended\", not \"valid\"")
}

test_token_toewijzing_under_another_wet_is_refused if {
	refused(with_toewijzing({"wet": "Jeugdwet"}), "its wet \"Jeugdwet\" is not among the wetten of the role credential (Wmo2015)")
}

test_token_toewijzing_not_started_is_refused if {
	refused(with_toewijzing({"ingangsdatum": "2026-11-30"}), "its period has not started: it starts on 2026-11-30, after today (2026-11-29)")
}

test_token_toewijzing_over_is_refused if {
	refused(with_toewijzing({"einddatum": "2026-11-28"}), "its period is over: it ended on 2026-11-28, before today (2026-11-29)")
}

test_token_toewijzing_without_ingangsdatum_is_refused if {
	refused(with_toewijzing({"ingangsdatum": "2026-02-30"}), "its ingangsdatum \"2026-02-30\" is missing or not a date (YYYY-MM-DD)")
	refused(token({"toewijzingen": [object.remove(toewijzing, ["ingangsdatum"])]}), "its ingangsdatum (none) is missing or not a date (YYYY-MM-DD)")
}

test_token_toewijzing_with_malformed_einddatum_is_refused if {
	refused(with_toewijzing({"einddatum": "31-01-2027"}), "its einddatum \"31-01-2027\" is not a date (YYYY-MM-DD)")
}

# ---- declaratie_decision ----

declaratie := {
	"toewijzingnummer": 36300101,
	"productcategorie": "01",
	"productcode": "01A01",
	"begindatum": "2026-03-02",
	"einddatum": "2026-03-08",
	"geleverdVolume": 150,
	"eenheid": "01",
	"bedrag": 4500,
}

declaratie_input := {
	"now": "2026-11-29T10:00:00Z",
	"holder": linde,
	"covered": [36300101],
	"toewijzing": toewijzing,
	"declaratie": declaratie,
	"declared_before": {"volume": 0, "in_period": {"volume": 30}},
}

line(patch) := d if {
	d := declareren.declaratie_decision with input as patched(declaratie_input, patch)
}

with_line(patch) := line({"declaratie": patched(declaratie, patch)})

# with_omvang decides the line (patched) against a toewijzing with omvang and period patched.
with_omvang(omvang, period, patch) := line(patched(patch, {"toewijzing": patched(toewijzing, patched(period, {"omvang": omvang}))}))

# denied(d, reason): d denies with reason among its reasons.
denied(d, reason) if {
	not d.allow
	reason in d.reasons
}
