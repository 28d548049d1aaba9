package bewijs.pid_test

import data.bewijs.lib
import data.bewijs.pid

test_trust_anchor_pid_is_accepted_for_login if {
	d := pid.decision with input as {"issuer": "did:web:bewijs.example:o:ketenbureau", "vct": lib.vct_pid_nl}
	d.allow
	some r in d.reasons
	contains(r, "is a PID type accepted for login")
}

test_gemeente_pid_is_refused if {
	d := pid.decision with input as {"issuer": "did:web:bewijs.example:o:gemeente-utrecht", "vct": lib.vct_pid_nl}
	not d.allow
	some r in d.reasons
	contains(r, "no trusted-issuer rule")
}

test_toewijzing_is_not_a_login_type if {
	d := pid.decision with input as {"issuer": "did:web:bewijs.example:o:gemeente-utrecht", "vct": lib.vct_wmo}
	not d.allow
	some r in d.reasons
	contains(r, "is not a PID type accepted for login")
}

test_malformed_input_is_refused if {
	d := pid.decision with input as {}
	not d.allow
	"(none) is not a PID type accepted for login (accepted: urn:eudi:pid:nl:1)" in d.reasons
	"input.issuer is missing or not a string" in d.reasons
}
