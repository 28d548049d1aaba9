# Which issuers may issue which credential types.
#
# Input:  {"issuer": "<DID>", "vct": "<type>", "issuer_kind"?: "gemeente" | "aanbieder" |
#          "trust-anchor", "x5c_subject"?: "<subject of the x5c leaf certificate>",
#          "roles"?: [{"issuer", "subject", "role", "status", "valid_from", "valid_until"}],
#          "now"?: "<RFC 3339 time>"}
# Output: data.bewijs.trust.decision = {"allow": bool, "reasons": [string]}
#
# The verifier asks this after it has checked the credential's signature against the issuer's
# key (draft-ietf-oauth-sd-jwt-vc §3.5: the recipient "MUST ... validate the signature"); this
# policy only says whether that issuer is one the verifier trusts for that type.
#
# Roles (issue 5): "trust.rego accepts a beschikking or zorgtoewijzing only from a gemeente DID
# that holds a valid gemeente role credential from a configured trust anchor, and an aanbieder's
# claims only with a valid zorgaanbieder role". A caller that passes input.roles (the
# OrganisatieRol credentials it verified, each with its status from the status lists: "valid",
# "revoked" or "suspended") and input.now gets that check: a row with a role then matches only
# when one of those credentials, acceptable now (lib.role_problems), gives the issuer the row's
# role. A caller that passes no roles (absent or null) gets the table alone, as before; roles
# without a now are refused, not skipped.
#
# role_decision says whether one OrganisatieRol credential is acceptable, for the Go side to
# check a gemeente's or a zorgaanbieder's role on its own:
# Input:  {"role": {"issuer", "subject", "role", "status", "valid_from", "valid_until", ...},
#          "now": "<RFC 3339 time>",
#          "expect"?: {"role"?: "gemeente" | "zorgaanbieder", "subject"?: "<DID>"}}
# Output: data.bewijs.trust.role_decision = {"allow": bool, "reasons": [string]}
package bewijs.trust

import data.bewijs.lib

# The trusted-issuer table. A row lets an issuer issue the row's vcts when its DID is
# did:web:<host>:o:<slug> with the host in hosts ("*": any host), the slug matching
# slug_pattern, input.issuer_kind (when given) equal to kind, for a row with an
# x5c_subject_pattern, input.x5c_subject matching it, and, for a row with a role when the
# caller passes input.roles, one of those roles giving the issuer that role.
#
# Demo set: every gemeente-* organisation on any bewijs host issues the Wmo and Jeugdwet
# toewijzing (the beschikkingen) and the zorgtoewijzing, with a gemeente role; the trust anchor
# (demo slug "ketenbureau") issues the test PID. A production set lists its hosts instead of
# "*", because whoever runs a host chooses its slugs. A row for a type that an aanbieder issues
# has "role": "zorgaanbieder".
trusted_issuers := [
	{
		"name": "gemeente",
		"kind": "gemeente",
		"hosts": {"*"},
		"slug_pattern": `^gemeente-[a-z0-9-]+$`,
		"vcts": lib.gemeente_vcts,
		"role": "gemeente",
	},
	{
		"name": "trust-anchor",
		"kind": "trust-anchor",
		"hosts": {"*"},
		"slug_pattern": `^ketenbureau$`,
		"vcts": {lib.vct_pid_nl},
	},
]

default allow := false

allow if {
	count(problems) == 0
	count(matching_rules) > 0
}

decision := {"allow": allow, "reasons": reasons}

reasons := sort([r | some r in grants]) if allow

reasons := sort([r | some r in denials]) if not allow

# Input problems: each is a reason to deny. (A call's undefined argument would make a negated
# call undefined rather than true, hence the helper rules.)
problems contains "input.issuer is missing or not a string" if not issuer_is_string

problems contains "input.vct is missing or not a string" if not vct_is_string

issuer_is_string if is_string(input.issuer)

vct_is_string if is_string(input.vct)

problems contains msg if {
	is_string(input.issuer)
	not lib.org(input.issuer)
	msg := sprintf("issuer %s is not the DID of an organisation on a bewijs host (did:web:<host>:o:<slug>)", [lib.quote(input.issuer)])
}

problems contains msg if {
	has_issuer_kind
	not input.issuer_kind in lib.kinds
	msg := sprintf("issuer_kind %s is not a kind of organisation", [lib.quote(input.issuer_kind)])
}

has_issuer_kind if _ = input.issuer_kind

problems contains "input.roles is not an array" if {
	checks_roles
	not is_array(input.roles)
}

problems contains msg if {
	checks_roles
	not now_ns
	msg := sprintf("input.now %s is missing or not an RFC 3339 time; it is needed to check input.roles", [lib.member_text(input, "now")])
}

# checks_roles holds when the caller passes input.roles (null counts as absent).
checks_roles if not is_null(input.roles)

now_ns := lib.time_ns(input.now)

# The rows that let this issuer issue this vct, before the role check.
fitting_rows contains row if {
	some row in trusted_issuers
	input.vct in row.vcts
	issuer_fits(row)
}

# The names of the rows that let this issuer issue this vct.
matching_rules contains row.name if {
	some row in fitting_rows
	role_fits(row)
}

# issuer_org is {"host", "slug"} of the issuer's DID, computed once per decision.
issuer_org := lib.org(input.issuer)

issuer_fits(row) if {
	lib.host_fits(row.hosts, issuer_org.host)
	regex.match(row.slug_pattern, issuer_org.slug)
	kind_fits(row)
	x5c_fits(row)
}

kind_fits(_) if not has_issuer_kind

kind_fits(row) if input.issuer_kind == row.kind

x5c_fits(row) if not row.x5c_subject_pattern

x5c_fits(row) if regex.match(row.x5c_subject_pattern, input.x5c_subject)

# A row without a role, or a caller that passes no roles, needs no role credential.
role_fits(row) if not row.role

role_fits(_) if not checks_roles

role_fits(row) if {
	some r in input.roles
	holds_role(r, row.role)
}

# holds_role(r, name) holds when role credential r is acceptable now and gives the issuer the
# role name.
holds_role(r, name) if {
	is_object(r)
	r.role == name
	r.subject == input.issuer
	count(lib.role_problems(r, now_ns)) == 0
}

grants contains msg if {
	some name in matching_rules
	msg := sprintf("trusted-issuer rule %q lets %s issue %s", [name, lib.quote(input.issuer), lib.quote(input.vct)])
}

grants contains msg if {
	checks_roles
	some row in fitting_rows
	some i, r in input.roles
	holds_role(r, row.role)
	msg := sprintf("role credential #%d of trust anchor %s gives %s the role %q", [i, lib.quote(r.issuer), lib.quote(input.issuer), row.role])
}

denials contains msg if some msg in problems

denials contains msg if {
	count(problems) == 0
	count(fitting_rows) == 0
	msg := sprintf("no trusted-issuer rule lets %s issue %s", [lib.quote(input.issuer), lib.quote(input.vct)])
}

# The role check: name the role the issuer lacks, and what is wrong with each role credential
# about the issuer.
denials contains msg if {
	count(problems) == 0
	some row in fitting_rows
	not role_fits(row)
	msg := sprintf("trusted-issuer rule %q needs a role credential of a trust anchor that gives %s the role %q and is valid now; input.roles has none", [row.name, lib.quote(input.issuer), row.role])
}

denials contains msg if {
	count(problems) == 0
	some row in fitting_rows
	not role_fits(row)
	some i, r in input.roles
	r.subject == input.issuer
	some p in role_mismatches(r, row.role)
	msg := sprintf("role credential #%d: %s", [i, p])
}

# role_mismatches(r, name) is why role credential r, about the issuer, does not give it the
# role name now.
role_mismatches(r, name) := lib.role_problems(r, now_ns) | {msg |
	r.role != name
	msg := sprintf("it gives the role %s, not %q", [lib.quote(r.role), name])
}

# Say which types an otherwise trusted issuer may issue, to make a wrong vct easy to spot.
denials contains msg if {
	count(fitting_rows) == 0
	some row in trusted_issuers
	issuer_fits(row)
	msg := sprintf("trusted-issuer rule %q lets this issuer issue only %s", [row.name, concat(", ", sort(row.vcts))])
}

# role_decision: is input.role, one OrganisatieRol credential, acceptable now, with the role and
# subject input.expect asks for?

default role_allow := false

role_allow if {
	count(role_denials) == 0
	count(lib.role_problems(input.role, now_ns)) == 0
}

role_decision := {"allow": role_allow, "reasons": role_reasons}

role_reasons := sort([r | some r in role_grants]) if role_allow

role_reasons := sort([r | some r in role_denials]) if not role_allow

has_role if not is_null(input.role)

# expect is input.expect, or {} when the caller expects no particular role or subject.
expect := input.expect if {
	is_object(input.expect)
} else := {}

role_denials contains "input.role is missing" if not has_role

role_denials contains msg if {
	not now_ns
	msg := sprintf("input.now %s is missing or not an RFC 3339 time", [lib.member_text(input, "now")])
}

role_denials contains msg if {
	has_role
	some p in lib.role_problems(input.role, now_ns)
	msg := sprintf("the role credential is not acceptable: %s", [p])
}

role_denials contains msg if {
	has_expect
	not is_object(input.expect)
	msg := sprintf("input.expect %s is not an object", [lib.member_text(input, "expect")])
}

role_denials contains msg if {
	some field in ["role", "subject"]
	_ = expect[field]
	object.get(input.role, field, null) != expect[field]
	msg := sprintf("the role credential's %s is %s, not %s", [field, lib.member_text(input.role, field), lib.quote(expect[field])])
}

has_expect if _ = input.expect

role_grants contains msg if {
	r := input.role
	msg := sprintf("role credential of trust anchor %s gives %s the role %s, %s", [lib.quote(r.issuer), lib.quote(r.subject), lib.quote(r.role), lib.validity_text(r)])
}
