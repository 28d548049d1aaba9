# May an aanbieder declare care (issue 5)? An aanbieder declares care only for clients a
# gemeente allocated to it (a toewijzing, OP276), within the allocated product, period and
# volume, and only while it is a recognised zorgaanbieder. It proves this with an OrganisatieRol
# credential of a trust anchor and the gemeente's Zorgtoewijzing credentials. The Go side has
# verified their signatures and read their status from the status lists ("valid", "revoked" or
# "suspended"). Rule codes (OPxxx, TRxxx) are those of iWmo/iJw 3.2.
#
# token_decision: may the holder get a token to declare to this gemeente, and for which
# toewijzingen?
# Input:  {"gemeente": {"did": "<DID>", "gemeentecode"?: "0363"},
#          "holder": "<DID>", "now": "<RFC 3339 time>",
#          "role": {"issuer", "subject", "role": "zorgaanbieder", "agb": "<8 digits>",
#                   "wetten": ["Wmo2015" | "Jeugdwet", ...], "valid_from", "valid_until",
#                   "status"},
#          "toewijzingen": [{"issuer", "subject", "toewijzingnummer", "wet", "aanbieder_agb",
#                   "product": {"categorie", "code"}, "ingangsdatum", "einddatum"?,
#                   "omvang": {"volume", "eenheid", "frequentie"}, "status"}]}
# Output: data.bewijs.declareren.token_decision = {"allow": bool, "reasons": [string],
#          "covered": [the toewijzingnummers covered, sorted; [] when allow is false]}
#
# declaratie_decision: may one declaratie line (a Prestatie of the 323) be declared?
# Input:  {"holder": "<DID>", "covered": [toewijzingnummer, ...], "now"?: "<RFC 3339 time>",
#          "toewijzing": <a toewijzing as above: the one with the declaratie's number>,
#          "declaratie": {"toewijzingnummer", "productcategorie", "productcode", "begindatum",
#                   "einddatum", "geleverdVolume", "eenheid", "bedrag"},
#          "declared_before": {"volume": <declared on this toewijzing before>,
#                   "in_period": {"volume": <declared before in this line's day, week or month>}}}
# Output: data.bewijs.declareren.declaratie_decision = {"allow": bool, "reasons": [string]}
#
# decision is token_decision, so that Decide(ctx, "declareren", input) asks the token question.
# Dates are iStandaarden dates (2026-02-01); today is the date part of input.now as written, so
# the Go side writes now in the time zone whose dates count (Europe/Amsterdam). An einddatum
# that is absent or null is open-ended. Reasons name toewijzingen by number and organisations by
# DID or AGB-code, never a client.
package bewijs.declareren

import data.bewijs.lib

# ---- token_decision ----

default token_allow := false

token_allow if {
	count(token_problems) == 0
	role_ok
	count(covered) > 0
}

token_decision := {"allow": token_allow, "reasons": token_reasons, "covered": token_covered}

decision := token_decision

# The reasons name the refused toewijzingen whether or not the token is granted.
token_reasons := sort([r | some r in (token_grants | refusals)]) if token_allow

token_reasons := sort([r | some r in (token_denials | refusals)]) if not token_allow

token_covered := sort([n | some n in covered]) if token_allow

token_covered := [] if not token_allow

# Input problems. (A negated expression whose input is missing is undefined, not true, hence
# the helper rules.)
token_problems contains msg if {
	not now_ns
	msg := sprintf("input.now %s is missing or not an RFC 3339 time", [lib.member_text(input, "now")])
}

token_problems contains "input.holder is missing or not a string" if not holder_is_string

token_problems contains "input.gemeente.did is missing or not a string" if not gemeente_is_string

token_problems contains "input.toewijzingen is missing or not an array" if not toewijzingen_is_array

now_ns := lib.time_ns(input.now)

today := substring(input.now, 0, 10) if now_ns

today_ns := lib.date_ns(today)

holder_is_string if is_string(input.holder)

gemeente_is_string if is_string(input.gemeente.did)

toewijzingen_is_array if is_array(input.toewijzingen)

gemeente_text := lib.quote(input.gemeente.did) if {
	_ = input.gemeente.did
} else := "(none)"

toewijzingen := input.toewijzingen if {
	is_array(input.toewijzingen)
} else := []

# The role: an acceptable OrganisatieRol credential that makes the holder a zorgaanbieder.
role_ok if {
	count(lib.role_problems(input.role, now_ns)) == 0
	input.role.role == "zorgaanbieder"
	input.role.subject == input.holder
	role_agb_ok
	role_wetten_ok
}

has_role if not is_null(input.role)

role_agb_ok if {
	is_string(input.role.agb)
	regex.match(`^[0-9]{8}$`, input.role.agb)
}

role_wetten_ok if {
	is_array(input.role.wetten)
	count(input.role.wetten) > 0
	every w in input.role.wetten {
		is_string(w)
	}
}

role_denials contains "no OrganisatieRol credential: input.role is missing" if not has_role

role_denials contains msg if {
	has_role
	some p in lib.role_problems(input.role, now_ns)
	msg := sprintf("the role credential is not acceptable: %s", [p])
}

role_denials contains msg if {
	is_object(input.role)
	object.get(input.role, "role", null) != "zorgaanbieder"
	msg := sprintf("the role credential gives the role %s, not \"zorgaanbieder\"", [lib.member_text(input.role, "role")])
}

role_denials contains msg if {
	is_object(input.role)
	holder_is_string
	object.get(input.role, "subject", null) != input.holder
	msg := sprintf("the role credential's subject %s is not the holder %s", [lib.member_text(input.role, "subject"), lib.quote(input.holder)])
}

role_denials contains msg if {
	is_object(input.role)
	not role_agb_ok
	msg := sprintf("the role credential's agb %s is missing or not an AGB-code (8 digits)", [lib.member_text(input.role, "agb")])
}

role_denials contains msg if {
	is_object(input.role)
	not role_wetten_ok
	msg := sprintf("the role credential's wetten %s is missing or not a non-empty array of wetten (%s)", [lib.member_text(input.role, "wetten"), concat(", ", sort(lib.wetten))])
}

# The toewijzingen: entries are the objects among them, by index; nummer(t) is the
# toewijzingnummer of t when it is one (an integer 0 to 999 999 999, XSD).
entries[i] := t if {
	some i, t in toewijzingen
	is_object(t)
}

nummer(t) := t.toewijzingnummer if valid_nummer(t.toewijzingnummer)

valid_nummer(n) if {
	is_number(n)
	n == round(n)
	n >= 0
	n <= 999999999
}

# covered holds the numbers of the toewijzingen the token covers: issued by the gemeente to the
# holder, allocating care to the role's AGB-code under one of its wetten, valid on the status
# list, and running today (OP279).
covered contains n if {
	some t in entries
	n := nummer(t)
	covers(t)
}

covers(t) if {
	nummer(t)
	t.issuer == input.gemeente.did
	t.subject == input.holder
	t.aanbieder_agb == input.role.agb
	t.status == "valid"
	t.wet in input.role.wetten
	lib.date_ns(t.ingangsdatum) <= today_ns
	runs_until(t, today_ns)
}

# runs_until(t, d) holds when toewijzing t has no einddatum or ends on or after date d.
runs_until(t, _) if not has_einddatum(t)

runs_until(t, d) if lib.date_ns(t.einddatum) >= d

has_einddatum(t) if not is_null(t.einddatum)

# label(i) names toewijzing credential #i in a reason.
label(i) := sprintf("toewijzing %v (credential #%d)", [nummer(toewijzingen[i]), i]) if {
	is_object(toewijzingen[i])
	nummer(toewijzingen[i])
} else := sprintf("toewijzing credential #%d", [i])

# refused[i] is why toewijzing credential #i is not covered, one rule per reason.
refused[i] contains "it is not an object" if {
	some i, t in toewijzingen
	not is_object(t)
}

refused[i] contains msg if {
	some i, t in entries
	not nummer(t)
	msg := sprintf("its toewijzingnummer %s is missing or not an integer 0 to 999999999", [lib.member_text(t, "toewijzingnummer")])
}

refused[i] contains msg if {
	gemeente_is_string
	some i, t in entries
	object.get(t, "issuer", null) != input.gemeente.did
	msg := sprintf("it was issued by %s, not by the gemeente %s", [lib.member_text(t, "issuer"), lib.quote(input.gemeente.did)])
}

refused[i] contains msg if {
	holder_is_string
	some i, t in entries
	object.get(t, "subject", null) != input.holder
	msg := sprintf("it was issued to %s, not to the holder %s", [lib.member_text(t, "subject"), lib.quote(input.holder)])
}

refused[i] contains msg if {
	role_agb_ok
	some i, t in entries
	object.get(t, "aanbieder_agb", null) != input.role.agb
	msg := sprintf("it allocates care to another aanbieder (AGB-code %s, the role credential's is %s)", [lib.member_text(t, "aanbieder_agb"), lib.quote(input.role.agb)])
}

refused[i] contains msg if {
	some i, t in entries
	object.get(t, "status", null) != "valid"
	msg := sprintf("its status is %s, not \"valid\"", [lib.member_text(t, "status")])
}

refused[i] contains msg if {
	role_wetten_ok
	some i, t in entries
	not object.get(t, "wet", null) in input.role.wetten
	msg := sprintf("its wet %s is not among the wetten of the role credential (%s)", [lib.member_text(t, "wet"), concat(", ", input.role.wetten)])
}

refused[i] contains msg if {
	some i, t in entries
	not lib.date_ns(object.get(t, "ingangsdatum", null))
	msg := sprintf("its ingangsdatum %s is missing or not a date (YYYY-MM-DD)", [lib.member_text(t, "ingangsdatum")])
}

refused[i] contains msg if {
	some i, t in entries
	has_einddatum(t)
	not lib.date_ns(t.einddatum)
	msg := sprintf("its einddatum %s is not a date (YYYY-MM-DD)", [lib.member_text(t, "einddatum")])
}

refused[i] contains msg if {
	some i, t in entries
	lib.date_ns(t.ingangsdatum) > today_ns
	msg := sprintf("its period has not started: it starts on %s, after today (%s)", [t.ingangsdatum, today])
}

refused[i] contains msg if {
	some i, t in entries
	lib.date_ns(t.einddatum) < today_ns
	msg := sprintf("its period is over: it ended on %s, before today (%s)", [t.einddatum, today])
}

# Every toewijzing that is not covered is named, also when only the role or the input is at
# fault.
refusals contains msg if {
	some i, whys in refused
	some why in whys
	msg := sprintf("%s is not covered: %s", [label(i), why])
}

refusals contains msg if {
	some i, t in entries
	not covers(t)
	not refused[i]
	msg := sprintf("%s is not covered: without an acceptable role credential and input it cannot be checked", [label(i)])
}

token_grants contains msg if {
	r := input.role
	msg := sprintf("the role credential of trust anchor %s makes the holder a zorgaanbieder with AGB-code %s for %s, %s", [lib.quote(r.issuer), lib.quote(r.agb), concat(", ", r.wetten), lib.validity_text(r)])
}

token_grants contains msg if {
	some i, t in entries
	covers(t)
	msg := sprintf("%s is covered: wet %s, from %s %s, issued by the gemeente %s", [label(i), lib.quote(t.wet), t.ingangsdatum, until_text(t), lib.quote(t.issuer)])
}

until_text(t) := sprintf("until %s", [t.einddatum]) if {
	has_einddatum(t)
} else := "with no einddatum"

token_denials contains msg if some msg in token_problems

token_denials contains msg if some msg in role_denials

token_denials contains msg if {
	count(covered) == 0
	msg := sprintf("no toewijzing of the gemeente %s is covered (%d given)", [gemeente_text, count(toewijzingen)])
}

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
