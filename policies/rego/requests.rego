# Which verifier may ask which claims for which purpose: data minimisation (AVG/GDPR art. 5(1)(c),
# "adequate, relevant and limited to what is necessary in relation to the purposes").
#
# Input:  {"verifier": {"did": "<DID>", "kind": "gemeente" | "aanbieder" | ..., "slug": "..."},
#          "purpose": "<a key of purposes>",
#          "query": <a DCQL query, OpenID4VP 1.0 §6: {"credentials": [{"id", "format",
#                   "meta": {"vct_values": [...]}, "claims": [{"path": [...]}]}]}>}
#         A credential query may also carry vct_values at its top level (the short form).
# Output: data.bewijs.requests.decision = {"allow": bool, "reasons": [string]}
#
# named_queries holds the DCQL queries bewijs' verifier sends for a named purpose.
package bewijs.requests

import data.bewijs.lib

# The purposes a verifier may name: which kinds of verifier may ask for them, which credential
# types they cover, and which restricted claims (see restricted_claims) they allow.
purposes := {
	"zorgstart": {
		"description": "an aanbieder or gemeente checks a toewijzing before care starts",
		"verifier_kinds": {"aanbieder", "gemeente"},
		"vcts": lib.toewijzing_vcts,
		"allows": set(),
	},
	"login": {
		"description": "a gemeente identifies a citizen by their PID to issue their beschikkingen (login by disclosure)",
		"verifier_kinds": {"gemeente"},
		"vcts": {lib.vct_pid_nl},
		"allows": {"pid.bsn"},
	},
	"declaratie-controle": {
		"description": "a gemeente matches a declaratie to the client of a toewijzing",
		"verifier_kinds": {"gemeente"},
		"vcts": lib.toewijzing_vcts,
		"allows": {"client.bsn"},
	},
}

# Restricted claims: only a purpose that allows one by name may ask for it. Each has its claims
# path pointer (OpenID4VP 1.0 §7) in the credential types it applies to.
restricted_claims := {
	"client.bsn": {"path": ["client", "bsn"], "vcts": lib.toewijzing_vcts},
	"pid.bsn": {"path": ["bsn"], "vcts": {lib.vct_pid_nl}},
}

# The named DCQL queries (OpenID4VP 1.0 §6). zorgstart asks what an aanbieder needs to start
# care: product, period, gemeente and aanbieder of a toewijzing, and no client data.
named_queries := {
	"zorgstart": {"credentials": [{
		"id": "toewijzing",
		"format": "dc+sd-jwt",
		"meta": {"vct_values": [lib.vct_wmo, lib.vct_jeugdwet]},
		"claims": [{"path": p} | some p in zorgstart_claims],
	}]},
	# pid-login asks the wallet's PID for the BSN only, for login by disclosure.
	"pid-login": {"credentials": [{
		"id": "pid",
		"format": "dc+sd-jwt",
		"meta": {"vct_values": [lib.vct_pid_nl]},
		"claims": [{"path": ["bsn"]}],
	}]},
}

zorgstart_claims := [
	["gemeente", "code"],
	["gemeente", "naam"],
	["wet"],
	["toewijzingnummer"],
	["product", "categorie"],
	["product", "code"],
	["ingangsdatum"],
	["einddatum"],
	["aanbieder", "agb"],
	["aanbieder", "naam"],
]

default allow := false

allow if {
	known_purpose
	kind_allowed(purposes[input.purpose])
	count(credential_queries) > 0
	count(denials) == 0
}

decision := {"allow": allow, "reasons": reasons}

reasons := sort([r | some r in grants]) if allow

reasons := sort([r | some r in denials]) if not allow

credential_queries := input.query.credentials if {
	is_array(input.query.credentials)
} else := []

# allowed_restricted is the set of restricted claims the named purpose allows.
allowed_restricted := purposes[input.purpose].allows if {
	purposes[input.purpose]
} else := set()

# Helper rules, because a negated call or lookup whose argument is undefined is undefined, not
# true: `not f(input.x)` does not hold when input.x is missing.
known_purpose if purposes[input.purpose]

kind_allowed(p) if input.verifier.kind in p.verifier_kinds

purpose_text := lib.quote(input.purpose) if {
	_ = input.purpose
} else := "(none)"

kind_text := lib.quote(input.verifier.kind) if {
	_ = input.verifier.kind
} else := "(none)"

denials contains msg if {
	not known_purpose
	msg := sprintf("unknown purpose %s (known: %s)", [purpose_text, concat(", ", sort(object.keys(purposes)))])
}

denials contains msg if {
	p := purposes[input.purpose]
	not kind_allowed(p)
	msg := sprintf("a verifier of kind %s may not ask for purpose %q", [kind_text, input.purpose])
}

denials contains "query has no credentials (DCQL: credentials is a non-empty array)" if count(credential_queries) == 0

denials contains msg if {
	some i, cq in credential_queries
	count(query_vcts(cq)) == 0
	msg := sprintf("credential query %s names no vct_values", [label(i, cq)])
}

denials contains msg if {
	p := purposes[input.purpose]
	some i, cq in credential_queries
	some vct in query_vcts(cq)
	not vct in p.vcts
	msg := sprintf("credential query %s asks for type %s, which purpose %q does not cover", [label(i, cq), lib.quote(vct), input.purpose])
}

denials contains msg if {
	some i, cq in credential_queries
	_ = cq.claims
	not valid_claims(cq.claims)
	msg := sprintf("credential query %s: claims must be a non-empty array of objects with a non-empty path", [label(i, cq)])
}

# The core of this policy: a restricted claim needs a purpose that allows it. Absent claims ask
# for no selectively disclosable claim (OpenID4VP 1.0 §6.4.1), so only listed paths count.
denials contains msg if {
	some i, cq in credential_queries
	some name, r in restricted_claims
	restriction_applies(r, cq)
	some claim in cq.claims
	overlaps(claim.path, r.path)
	not name in allowed_restricted
	msg := sprintf("credential query %s asks for %s (path %s), which purpose %s does not allow", [label(i, cq), name, lib.path_string(claim.path), purpose_text])
}

grants contains msg if {
	p := purposes[input.purpose]
	msg := sprintf("a verifier of kind %q may ask for purpose %q (%s)", [input.verifier.kind, input.purpose, p.description])
}

grants contains msg if {
	some cq in credential_queries
	some name, r in restricted_claims
	restriction_applies(r, cq)
	some claim in cq.claims
	overlaps(claim.path, r.path)
	msg := sprintf("purpose %q allows %s", [input.purpose, name])
}

# query_vcts is the set of credential types a credential query names, in meta.vct_values
# (OpenID4VP 1.0 §B.3.5, "vct_values: REQUIRED") or in the short form vct_values.
query_vcts(cq) := {v | some v in cq.meta.vct_values} | {v | some v in cq.vct_values}

label(_, cq) := lib.quote(cq.id) if has_string_id(cq)

label(i, cq) := sprintf("#%d", [i]) if not has_string_id(cq)

has_string_id(cq) if is_string(cq.id)

# A restriction applies to a query for one of its types, and to a query that names no type.
restriction_applies(r, cq) if count(query_vcts(cq) & r.vcts) > 0

restriction_applies(_, cq) if count(query_vcts(cq)) == 0

valid_claims(claims) if {
	is_array(claims)
	count(claims) > 0
	every claim in claims {
		is_array(claim.path)
		count(claim.path) > 0
	}
}

# overlaps(path, restricted) holds when a claims path pointer selects the restricted claim, a
# part of it, or an object that contains it. OpenID4VP 1.0 §7: a string selects an object key, null
# all elements of an array, a non-negative integer one element; null is taken as a wildcard.
overlaps(path, restricted) if {
	is_array(path)
	count(path) > 0
	n := min({count(path), count(restricted)})
	every i in numbers.range(0, n - 1) {
		element_matches(path[i], restricted[i])
	}
}

element_matches(a, b) if a == b

element_matches(a, _) if is_null(a)
