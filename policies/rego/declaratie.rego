# declaratie_decision of package bewijs.declareren: may one declaratie line (a Prestatie of the
# 323) be declared? The input and output are described at the top of declareren.rego; helpers
# shared with token_decision live there.
package bewijs.declareren

import data.bewijs.lib

# ---- declaratie_decision ----

default declaratie_allow := false

declaratie_allow if {
	count(declaratie_problems) == 0
	count(declaratie_denials) == 0
	declaratie.toewijzingnummer in input.covered
}

declaratie_decision := {"allow": declaratie_allow, "reasons": declaratie_reasons}

declaratie_reasons := sort([r | some r in declaratie_grants]) if declaratie_allow

declaratie_reasons := sort([r | some r in (declaratie_problems | declaratie_denials)]) if not declaratie_allow

declaratie := input.declaratie if is_object(input.declaratie)

covered_is_array if is_array(input.covered)

declaratie_number_text := lib.quote(declaratie.toewijzingnummer) if {
	_ = declaratie.toewijzingnummer
} else := "(none)"

toewijzing := input.toewijzing if is_object(input.toewijzing)

# The members of a declaratie line (the Prestatie of the 323) and what each must be.
declaratie_fields := {
	"toewijzingnummer": "an integer 0 to 999999999",
	"productcategorie": "a string",
	"productcode": "a string",
	"begindatum": "a date (YYYY-MM-DD)",
	"einddatum": "a date (YYYY-MM-DD)",
	"geleverdVolume": "a number",
	"eenheid": "a string",
	"bedrag": "a number (eurocent)",
}

field_ok("toewijzingnummer", v) if valid_nummer(v)

field_ok("productcategorie", v) if is_string(v)

field_ok("productcode", v) if is_string(v)

field_ok("begindatum", v) if lib.date_ns(v)

field_ok("einddatum", v) if lib.date_ns(v)

field_ok("geleverdVolume", v) if is_number(v)

field_ok("eenheid", v) if is_string(v)

field_ok("bedrag", v) if is_number(v)

declaratie_problems contains "input.declaratie is missing or not an object" if not declaratie

declaratie_problems contains msg if {
	some field, what in declaratie_fields
	not field_ok(field, object.get(declaratie, field, null))
	msg := sprintf("input.declaratie.%s %s is missing or not %s", [field, lib.member_text(declaratie, field), what])
}

declaratie_problems contains "input.holder is missing or not a string" if not holder_is_string

declaratie_problems contains "input.covered is missing or not an array" if not covered_is_array

declaratie_problems contains msg if {
	not toewijzing
	msg := sprintf("input.toewijzing is missing or not an object: no toewijzing credential for toewijzing %s", [declaratie_number_text])
}

declaratie_problems contains msg if {
	not lib.date_ns(object.get(toewijzing, "ingangsdatum", null))
	msg := sprintf("the toewijzing's ingangsdatum %s is missing or not a date (YYYY-MM-DD)", [lib.member_text(toewijzing, "ingangsdatum")])
}

declaratie_problems contains msg if {
	has_einddatum(toewijzing)
	not lib.date_ns(toewijzing.einddatum)
	msg := sprintf("the toewijzing's einddatum %s is not a date (YYYY-MM-DD)", [lib.member_text(toewijzing, "einddatum")])
}

# An aspecifiek toewijzing or one with a budget has no omvang (CD077, CD080); declaring against
# it is not supported here.
declaratie_problems contains msg if {
	toewijzing
	not omvang_ok
	msg := sprintf("the toewijzing's omvang %s is missing or not {volume: a number, eenheid: a string, frequentie: a string}", [lib.member_text(toewijzing, "omvang")])
}

omvang_ok if {
	is_number(toewijzing.omvang.volume)
	is_string(toewijzing.omvang.eenheid)
	is_string(toewijzing.omvang.frequentie)
}

declaratie_problems contains msg if {
	omvang_ok
	f := frequenties[toewijzing.omvang.frequentie]
	not already
	msg := sprintf("input.declared_before.%s is missing or not a number; frequentie %s (%s) needs it", [already_path[f.span], toewijzing.omvang.frequentie, f.name])
}

# The declaratie's toewijzing: covered by the token (OP276) and the one the line names (TR338).
declaratie_denials contains msg if {
	covered_is_array
	field_ok("toewijzingnummer", declaratie.toewijzingnummer)
	not declaratie.toewijzingnummer in input.covered
	msg := sprintf("toewijzing %v is not covered by the token (it covers %s)", [declaratie.toewijzingnummer, numbers_text(input.covered)])
}

declaratie_denials contains msg if {
	field_ok("toewijzingnummer", declaratie.toewijzingnummer)
	object.get(toewijzing, "toewijzingnummer", null) != declaratie.toewijzingnummer
	msg := sprintf("the toewijzing given is toewijzing %s, not %v", [lib.member_text(toewijzing, "toewijzingnummer"), declaratie.toewijzingnummer])
}

declaratie_denials contains msg if {
	holder_is_string
	object.get(toewijzing, "subject", null) != input.holder
	msg := sprintf("the toewijzing was issued to %s, not to the holder %s", [lib.member_text(toewijzing, "subject"), lib.quote(input.holder)])
}

declaratie_denials contains msg if {
	object.get(toewijzing, "status", null) != "valid"
	msg := sprintf("the toewijzing's status is %s, not \"valid\"", [lib.member_text(toewijzing, "status")])
}

# The period: begindatum <= einddatum, and both within the toewijzing (TR307, TR308).
declaratie_denials contains msg if {
	lib.date_ns(declaratie.begindatum) > lib.date_ns(declaratie.einddatum)
	msg := sprintf("the declaratie's begindatum %s is after its einddatum %s", [declaratie.begindatum, declaratie.einddatum])
}

declaratie_denials contains msg if {
	some field in ["begindatum", "einddatum"]
	lib.date_ns(declaratie[field]) < lib.date_ns(toewijzing.ingangsdatum)
	msg := sprintf("the declaratie's %s %s is before the toewijzing's ingangsdatum %s (TR307)", [field, declaratie[field], toewijzing.ingangsdatum])
}

declaratie_denials contains msg if {
	some field in ["begindatum", "einddatum"]
	lib.date_ns(declaratie[field]) > lib.date_ns(toewijzing.einddatum)
	msg := sprintf("the declaratie's %s %s is after the toewijzing's einddatum %s (TR308)", [field, declaratie[field], toewijzing.einddatum])
}

# The product and eenheid of the toewijzing (TR339, TR340, TR341).
product_fields := {
	"productcategorie": {"member": "categorie", "rule": "TR339"},
	"productcode": {"member": "code", "rule": "TR340"},
}

declaratie_denials contains msg if {
	toewijzing
	some field, p in product_fields
	is_string(declaratie[field])
	declaratie[field] != product_member(p.member)
	msg := sprintf("the declaratie's %s %s is not the toewijzing's product %s %s (%s)", [field, lib.quote(declaratie[field]), p.member, lib.quote(product_member(p.member)), p.rule])
}

# product_member(m) is member m of the toewijzing's product, or null when it has none.
product_member(m) := toewijzing.product[m] if {
	is_object(toewijzing.product)
	_ = toewijzing.product[m]
} else := null

declaratie_denials contains msg if {
	omvang_ok
	is_string(declaratie.eenheid)
	declaratie.eenheid != toewijzing.omvang.eenheid
	msg := sprintf("the declaratie's eenheid %s is not the toewijzing's eenheid %s (TR341)", [lib.quote(declaratie.eenheid), lib.quote(toewijzing.omvang.eenheid)])
}

declaratie_denials contains msg if {
	is_number(declaratie.geleverdVolume)
	declaratie.geleverdVolume <= 0
	msg := sprintf("the declaratie's geleverdVolume %v is not positive", [declaratie.geleverdVolume])
}

declaratie_denials contains msg if {
	is_number(declaratie.bedrag)
	declaratie.bedrag < 0
	msg := sprintf("the declaratie's bedrag %v is negative", [declaratie.bedrag])
}

# The volume (TR321, TR322): where the frequentie (WMO757) bounds it, the volume declared before
# in the span plus this line's must fit the omvang, and the line must lie within one span.
frequenties := {
	"1": {"name": "per dag", "span": "day"},
	"2": {"name": "per week", "span": "week"},
	"4": {"name": "per maand", "span": "month"},
	"6": {"name": "totaal binnen geldigheidsduur", "span": "toewijzing"},
}

span_text := {
	"day": "one day",
	"week": "one ISO week (Monday to Sunday)",
	"month": "one calendar month",
}

already_path := {
	"day": "in_period.volume",
	"week": "in_period.volume",
	"month": "in_period.volume",
	"toewijzing": "volume",
}

frequentie := frequenties[toewijzing.omvang.frequentie]

# already is what the Go side counted as declared before: on the whole toewijzing, or in the
# day, week or month of this line.
already := input.declared_before.volume if {
	frequentie.span == "toewijzing"
	is_number(input.declared_before.volume)
}

already := input.declared_before.in_period.volume if {
	frequentie.span != "toewijzing"
	is_number(input.declared_before.in_period.volume)
}

cumulative := already + declaratie.geleverdVolume if is_number(declaratie.geleverdVolume)

declaratie_denials contains msg if {
	omvang_ok
	cumulative > toewijzing.omvang.volume
	msg := sprintf("cumulative volume %v exceeds the omvang %v %s (%v declared before, %v now)", [cumulative, toewijzing.omvang.volume, frequentie.name, already, declaratie.geleverdVolume])
}

declaratie_denials contains msg if {
	span_text[frequentie.span]
	not in_span(frequentie.span, lib.date_ns(declaratie.begindatum), lib.date_ns(declaratie.einddatum))
	msg := sprintf("the declaratie period %s to %s is not within %s, as frequentie %s (%s) requires", [declaratie.begindatum, declaratie.einddatum, span_text[frequentie.span], toewijzing.omvang.frequentie, frequentie.name])
}

in_span("day", b, e) if b == e

in_span("week", b, e) if week_start(b) == week_start(e)

in_span("month", b, e) if {
	[y, m, _] := time.date(b)
	[y, m, _] = time.date(e)
}

# week_start(ns) is the Monday that starts the ISO week of date ns (ISO 8601: weeks begin on
# Monday).
week_start(ns) := ns - (weekdays[time.weekday(ns)] * ns_per_day)

weekdays := {"Monday": 0, "Tuesday": 1, "Wednesday": 2, "Thursday": 3, "Friday": 4, "Saturday": 5, "Sunday": 6}

ns_per_day := ((24 * 60) * 60) * 1000000000

declaratie_grants contains sprintf("toewijzing %v is covered by the token", [declaratie.toewijzingnummer])

declaratie_grants contains msg if {
	msg := sprintf("the declaratie period %s to %s lies within the toewijzing (from %s %s)", [declaratie.begindatum, declaratie.einddatum, toewijzing.ingangsdatum, until_text(toewijzing)])
}

declaratie_grants contains msg if {
	msg := sprintf("product %s %s and eenheid %s match the toewijzing", [declaratie.productcategorie, declaratie.productcode, declaratie.eenheid])
}

declaratie_grants contains msg if {
	msg := sprintf("cumulative volume %v is within the omvang %v %s", [cumulative, toewijzing.omvang.volume, frequentie.name])
}

declaratie_grants contains msg if {
	not frequentie
	msg := sprintf("frequentie %s is not one of %s (WMO757): the volume is not checked", [lib.quote(toewijzing.omvang.frequentie), concat(", ", sort(object.keys(frequenties)))])
}

numbers_text(ns) := concat(", ", [sprintf("%v", [n]) | some n in ns]) if {
	count(ns) > 0
} else := "none"
