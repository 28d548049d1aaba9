# Which PID issuers are trusted for login by disclosure: a person logs in by presenting a PID
# (person identification data) credential, and the verifier accepts it only from an issuer the
# trust policy lets issue that PID type, and only for a PID type accepted for login.
#
# Input:  the input of bewijs.trust: {"issuer": "<DID>", "vct": "<type>", "issuer_kind"?, ...}
# Output: data.bewijs.pid.decision = {"allow": bool, "reasons": [string]}
package bewijs.pid

import data.bewijs.lib
import data.bewijs.trust

# PID types accepted for login.
login_vcts := {lib.vct_pid_nl}

default allow := false

allow if {
	login_vct
	trust.decision.allow
}

# Helper rules: a negated expression whose input is missing is undefined, not true.
login_vct if input.vct in login_vcts

vct_text := lib.quote(input.vct) if {
	_ = input.vct
} else := "(none)"

decision := {"allow": allow, "reasons": reasons}

reasons := sort([r | some r in grants]) if allow

reasons := sort([r | some r in denials]) if not allow

grants contains sprintf("%s is a PID type accepted for login", [lib.quote(input.vct)])

grants contains r if some r in trust.decision.reasons

denials contains msg if {
	not login_vct
	msg := sprintf("%s is not a PID type accepted for login (accepted: %s)", [vct_text, concat(", ", sort(login_vcts))])
}

denials contains r if {
	not trust.decision.allow
	some r in trust.decision.reasons
}
