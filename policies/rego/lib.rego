# Shared names and helpers of the bewijs policies. Not a policy itself: it has no `decision`.
package bewijs.lib

# Credential types (vct) that bewijs knows, as in issuer/toewijzing (draft-ietf-oauth-sd-jwt-vc
# §2.2.2.1: the vct is a collision-resistant name; the trailing ":1" is its version).
vct_wmo := "urn:nl:sociaaldomein:wmo:toewijzing:1"

vct_jeugdwet := "urn:nl:sociaaldomein:jeugdwet:toewijzing:1"

toewijzing_vcts := {vct_wmo, vct_jeugdwet}

# The Zorgtoewijzing (issue 5): a gemeente allocates care for a client to an aanbieder, who holds
# it and declares against it. It names the client by a per-aanbieder pseudonym, not a BSN, so it
# is not in toewijzing_vcts: that set is the citizen's beschikking, whose client.bsn the requests
# policy restricts.
vct_zorgtoewijzing := "urn:nl:sociaaldomein:zorgtoewijzing:1"

# The types only a gemeente issues: the beschikkingen and the zorgtoewijzing.
gemeente_vcts := toewijzing_vcts | {vct_zorgtoewijzing}

# The NL Wallet's PID type; bewijs' trust anchor issues a test PID of this type.
vct_pid_nl := "urn:eudi:pid:nl:1"

# Organisation kinds, as in internal/tenant.
kinds := {"gemeente", "aanbieder", "trust-anchor"}

# org(did) is {"host": ..., "slug": ...} when did is the did:web of an organisation on a bewijs
# host, did:web:<host>:o:<slug> (did:web method §3.2: ":" separates path segments and a port is
# percent-encoded as %3A). Undefined for anything else.
org(did) := {"host": parts[2], "slug": parts[4]} if {
	is_string(did)
	count(did) <= 4096
	parts := split(did, ":")
	count(parts) == 5
	parts[0] == "did"
	parts[1] == "web"
	parts[3] == "o"
	regex.match(`^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(%3[aA][0-9]{1,5})?$`, parts[2])
	regex.match(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`, parts[4])
}

# host_fits(hosts, host) holds when host is in hosts, a set of hosts in which "*" is any host.
host_fits(hosts, _) if "*" in hosts

host_fits(hosts, host) if host in hosts

# Organisation roles (issue 5): an OrganisatieRol credential of a trust anchor says that an
# organisation is a gemeente (with gemeentecode and OIN) or a zorgaanbieder (with AGB-code, KvK
# and the wetten it serves).
roles := {"gemeente", "zorgaanbieder"}

# The wetten an OrganisatieRol credential and a Zorgtoewijzing name.
wetten := {"Wmo2015", "Jeugdwet"}

# The trust anchors: the organisations whose OrganisatieRol credentials bewijs accepts. A row
# matches did:web:<host>:o:<slug> as a trusted-issuer row of bewijs.trust does. Demo set: the
# ketenbureau on any host; a production set lists its hosts instead of "*".
trust_anchors := [{"name": "ketenbureau", "hosts": {"*"}, "slug_pattern": `^ketenbureau$`}]

# trust_anchor(did) holds when did is the DID of a trust anchor.
trust_anchor(did) if {
	o := org(did)
	some row in trust_anchors
	host_fits(row.hosts, o.host)
	regex.match(row.slug_pattern, o.slug)
}

# role_problems(role, now_ns) is the set of reasons why role, an OrganisatieRol credential whose
# signature the caller verified ({"issuer", "subject", "role", "status", "valid_from",
# "valid_until", ...}), is not acceptable at now_ns (ns since the epoch): not an object, not from
# a trust anchor, not a known role, not "valid" on its status list, or outside its validity
# (valid_from <= now < valid_until, RFC 3339 times; an absent or null bound is no bound, as
# validFrom and validUntil are optional in a credential). Empty when it is acceptable. Which role
# and which subject a caller needs is the caller's to check.
role_problems(role, _) := {"it is not an object"} if not is_object(role)

role_problems(role, now_ns) := (role_claim_problems(role) | role_status_problems(role)) | role_period_problems(role, now_ns) if is_object(role)

role_claim_problems(role) := {msg |
	not trust_anchor(object.get(role, "issuer", null))
	msg := sprintf("its issuer %s is not a trust anchor", [member_text(role, "issuer")])
} | {msg |
	not object.get(role, "role", null) in roles
	msg := sprintf("its role %s is not a known role (%s)", [member_text(role, "role"), concat(", ", sort(roles))])
}

# Status lists (IETF Token Status List): the caller passes "valid", "revoked" or "suspended".
role_status_problems(role) := {msg |
	object.get(role, "status", null) != "valid"
	msg := sprintf("its status is %s, not \"valid\"", [member_text(role, "status")])
}

role_period_problems(role, now_ns) := ({msg |
	some field in ["valid_from", "valid_until"]
	not is_null(object.get(role, field, null))
	not time_ns(role[field])
	msg := sprintf("its %s %s is not an RFC 3339 time between the years 1678 and 2261", [field, member_text(role, field)])
} | {msg |
	now_ns < time_ns(role.valid_from)
	msg := sprintf("it is not valid before %s", [role.valid_from])
}) | {msg |
	now_ns >= time_ns(role.valid_until)
	msg := sprintf("it expired at %s", [role.valid_until])
}

# validity_text(role) renders the validity of a role credential for a message: "valid from
# <valid_from> until <valid_until>", with "(open)" for an absent bound.
validity_text(role) := sprintf("valid from %s until %s", [bound_text(role, "valid_from"), bound_text(role, "valid_until")])

bound_text(role, field) := role[field] if {
	is_string(role[field])
} else := "(open)"

# time_ns(s) is s, an RFC 3339 date-time (2026-11-29T10:00:00Z), in ns since the epoch;
# undefined for anything else, and for a time ns since the epoch cannot hold in 64 bits (before
# 1677-09-21 or after 2262-04-11, such as Go's zero time).
time_ns(s) := time.parse_rfc3339_ns(s) if {
	is_string(s)
	regex.match(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$`, s)
}

# date_ns(s) is s, a date as in the iStandaarden (2026-02-01), at 00:00 UTC in ns since the
# epoch; undefined for anything else.
date_ns(s) := time.parse_ns("2006-01-02", s) if {
	is_string(s)
	regex.match(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`, s)
}

# member_text(obj, key) renders obj[key] for a message, or "(none)" when obj has no such member.
member_text(obj, key) := quote(obj[key]) if {
	is_object(obj)
	_ = obj[key]
} else := "(none)"

# path_string(["client", "bsn"]) is "client.bsn": a DCQL claims path pointer (OpenID4VP 1.0 §7)
# for messages; null (all array elements) prints as "*".
path_string(path) := concat(".", [path_element_string(e) | some e in path]) if is_array(path)

path_string(path) := sprintf("%v", [path]) if not is_array(path)

path_element_string(e) := e if is_string(e)

path_element_string(e) := "*" if is_null(e)

path_element_string(e) := sprintf("%v", [e]) if {
	not is_string(e)
	not is_null(e)
}

# quote(x) renders an input value for a message, cut at 200 bytes so a huge input makes no huge
# reason.
quote(x) := substring(sprintf("%q", [x]), 0, 200) if is_string(x)

quote(x) := substring(sprintf("%v", [x]), 0, 200) if not is_string(x)
