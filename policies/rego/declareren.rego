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
