package bewijs.trust_test

import data.bewijs.lib
import data.bewijs.trust

utrecht := "did:web:bewijs.example:o:gemeente-utrecht"

ketenbureau := "did:web:bewijs.example:o:ketenbureau"

test_gemeente_may_issue_wmo if {
	d := trust.decision with input as {"issuer": utrecht, "vct": lib.vct_wmo, "issuer_kind": "gemeente"}
	d.allow
	d.reasons == [sprintf("trusted-issuer rule \"gemeente\" lets %q issue %q", [utrecht, lib.vct_wmo])]
}

test_gemeente_may_issue_jeugdwet_on_any_host_and_port if {
	d := trust.decision with input as {"issuer": "did:web:localhost%3A8443:o:gemeente-den-haag", "vct": lib.vct_jeugdwet}
	d.allow
}

test_gemeente_may_not_issue_pid if {
	d := trust.decision with input as {"issuer": utrecht, "vct": lib.vct_pid_nl}
	not d.allow
	some r in d.reasons
	contains(r, "no trusted-issuer rule")
	some s in d.reasons
	contains(s, "issue only urn:nl:sociaaldomein:jeugdwet:toewijzing:1, urn:nl:sociaaldomein:wmo:toewijzing:1")
}

test_aanbieder_may_not_issue_toewijzing if {
	d := trust.decision with input as {"issuer": "did:web:bewijs.example:o:thuiszorg-de-linde", "vct": lib.vct_wmo, "issuer_kind": "aanbieder"}
	not d.allow
	count(d.reasons) == 1
}

test_gemeente_slug_with_other_kind_is_denied if {
	d := trust.decision with input as {"issuer": utrecht, "vct": lib.vct_wmo, "issuer_kind": "aanbieder"}
	not d.allow
}

test_unknown_kind_is_denied if {
	d := trust.decision with input as {"issuer": utrecht, "vct": lib.vct_wmo, "issuer_kind": "zorgkantoor"}
	not d.allow
	some r in d.reasons
	contains(r, "\"zorgkantoor\" is not a kind")
}

test_trust_anchor_may_issue_pid if {
	d := trust.decision with input as {"issuer": ketenbureau, "vct": lib.vct_pid_nl, "issuer_kind": "trust-anchor"}
	d.allow
}

test_trust_anchor_may_not_issue_wmo if {
	d := trust.decision with input as {"issuer": ketenbureau, "vct": lib.vct_wmo}
	not d.allow
}

test_other_dids_are_denied if {
	every did in [
		"did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
		"did:web:bewijs.example",
		"did:web:bewijs.example:gemeente-utrecht",
		"did:web:bewijs.example:o:gemeente-utrecht:extra",
		"did:web:Bewijs.Example:o:gemeente-utrecht",
		"did:web::o:gemeente-utrecht",
	] {
		d := trust.decision with input as {"issuer": did, "vct": lib.vct_wmo}
		not d.allow
		d.reasons == [sprintf("issuer %q is not the DID of an organisation on a bewijs host (did:web:<host>:o:<slug>)", [did])]
	}
}

test_malformed_input_is_denied_with_reasons if {
	d := trust.decision with input as {"issuer": 42}
	not d.allow
	d.reasons == ["input.issuer is missing or not a string", "input.vct is missing or not a string"]
}

test_non_object_input_is_denied if {
	d := trust.decision with input as [1, 2]
	not d.allow
	count(d.reasons) == 2
}

test_x5c_subject_pattern_is_enforced if {
	rows := [{"name": "x5c", "kind": "gemeente", "hosts": {"bewijs.example"}, "slug_pattern": `^gemeente-`, "x5c_subject_pattern": `^CN=Gemeente Utrecht,`, "vcts": {lib.vct_wmo}}]
	ok := trust.decision with trust.trusted_issuers as rows
		with input as {"issuer": utrecht, "vct": lib.vct_wmo, "x5c_subject": "CN=Gemeente Utrecht,O=Gemeente Utrecht,C=NL"}
	ok.allow
	wrong := trust.decision with trust.trusted_issuers as rows
		with input as {"issuer": utrecht, "vct": lib.vct_wmo, "x5c_subject": "CN=Gemeente Amsterdam,C=NL"}
	not wrong.allow
	missing := trust.decision with trust.trusted_issuers as rows
		with input as {"issuer": utrecht, "vct": lib.vct_wmo}
	not missing.allow
	other_host := trust.decision with trust.trusted_issuers as rows
		with input as {"issuer": "did:web:elders.example:o:gemeente-utrecht", "vct": lib.vct_wmo, "x5c_subject": "CN=Gemeente Utrecht,C=NL"}
	not other_host.allow
}
