# Shared names and helpers of the bewijs policies. Not a policy itself: it has no `decision`.
package bewijs.lib

# Credential types (vct) that bewijs knows, as in issuer/toewijzing (draft-ietf-oauth-sd-jwt-vc
# §2.2.2.1: the vct is a collision-resistant name; the trailing ":1" is its version).
vct_wmo := "urn:nl:sociaaldomein:wmo:toewijzing:1"

vct_jeugdwet := "urn:nl:sociaaldomein:jeugdwet:toewijzing:1"

toewijzing_vcts := {vct_wmo, vct_jeugdwet}

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
