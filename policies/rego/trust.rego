# Which issuers may issue which credential types.
#
# Input:  {"issuer": "<DID>", "vct": "<type>", "issuer_kind"?: "gemeente" | "aanbieder" |
#          "trust-anchor", "x5c_subject"?: "<subject of the x5c leaf certificate>"}
# Output: data.bewijs.trust.decision = {"allow": bool, "reasons": [string]}
#
# The verifier asks this after it has checked the credential's signature against the issuer's
# key (draft-ietf-oauth-sd-jwt-vc §3.5: the recipient "MUST ... validate the signature"); this
# policy only says whether that issuer is one the verifier trusts for that type.
package bewijs.trust

import data.bewijs.lib

# The trusted-issuer table. A row lets an issuer issue the row's vcts when its DID is
# did:web:<host>:o:<slug> with the host in hosts ("*": any host), the slug matching
# slug_pattern, input.issuer_kind (when given) equal to kind, and, for a row with an
# x5c_subject_pattern, input.x5c_subject matching it.
#
# Demo set: every gemeente-* organisation on any bewijs host issues the Wmo and Jeugdwet
# toewijzing; the trust anchor (demo slug "ketenbureau") issues the test PID. A production
# set lists its hosts instead of "*", because whoever runs a host chooses its slugs.
trusted_issuers := [
	{
		"name": "gemeente",
		"kind": "gemeente",
		"hosts": {"*"},
		"slug_pattern": `^gemeente-[a-z0-9-]+$`,
		"vcts": lib.toewijzing_vcts,
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

# The names of the rows that let this issuer issue this vct.
matching_rules contains row.name if {
	some row in trusted_issuers
	input.vct in row.vcts
	issuer_fits(row)
}

# issuer_org is {"host", "slug"} of the issuer's DID, computed once per decision.
issuer_org := lib.org(input.issuer)

issuer_fits(row) if {
	host_fits(row.hosts, issuer_org.host)
	regex.match(row.slug_pattern, issuer_org.slug)
	kind_fits(row)
	x5c_fits(row)
}

host_fits(hosts, _) if "*" in hosts

host_fits(hosts, host) if host in hosts

kind_fits(_) if not has_issuer_kind

kind_fits(row) if input.issuer_kind == row.kind

x5c_fits(row) if not row.x5c_subject_pattern

x5c_fits(row) if regex.match(row.x5c_subject_pattern, input.x5c_subject)

grants contains msg if {
	some name in matching_rules
	msg := sprintf("trusted-issuer rule %q lets %s issue %s", [name, lib.quote(input.issuer), lib.quote(input.vct)])
}

denials contains msg if some msg in problems

denials contains msg if {
	count(problems) == 0
	count(matching_rules) == 0
	msg := sprintf("no trusted-issuer rule lets %s issue %s", [lib.quote(input.issuer), lib.quote(input.vct)])
}

# Say which types an otherwise trusted issuer may issue, to make a wrong vct easy to spot.
denials contains msg if {
	count(matching_rules) == 0
	some row in trusted_issuers
	issuer_fits(row)
	msg := sprintf("trusted-issuer rule %q lets this issuer issue only %s", [row.name, concat(", ", sort(row.vcts))])
}
