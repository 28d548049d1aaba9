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

test_gemeente_may_issue_zorgtoewijzing if {
	d := trust.decision with input as {"issuer": utrecht, "vct": lib.vct_zorgtoewijzing, "issuer_kind": "gemeente"}
	d.allow
}

# Roles (issue 5): with input.roles and input.now, a beschikking or zorgtoewijzing needs a
# gemeente role credential of a trust anchor.

now := "2026-11-29T10:00:00Z"

gemeente_role := {
	"issuer": ketenbureau,
	"subject": utrecht,
	"role": "gemeente",
	"status": "valid",
	"valid_from": "2026-01-01T00:00:00Z",
	"valid_until": "2027-01-01T00:00:00Z",
}

# with_roles decides whether utrecht may issue vct given roles.
with_roles(vct, roles) := d if {
	d := trust.decision with input as {"issuer": utrecht, "vct": vct, "roles": roles, "now": now}
}

# lacks_role(d): d denies because the gemeente row needs a role the roles do not give.
lacks_role(d) if {
	not d.allow
	sprintf("trusted-issuer rule \"gemeente\" needs a role credential of a trust anchor that gives %q the role \"gemeente\" and is valid now; input.roles has none", [utrecht]) in d.reasons
}

test_gemeente_with_its_role_may_issue_every_gemeente_type if {
	every vct in lib.gemeente_vcts {
		d := with_roles(vct, [gemeente_role])
		d.allow
		d.reasons == [
			sprintf("role credential #0 of trust anchor %q gives %q the role \"gemeente\"", [ketenbureau, utrecht]),
			sprintf("trusted-issuer rule \"gemeente\" lets %q issue %q", [utrecht, vct]),
		]
	}
}

test_roles_null_is_no_role_check if {
	d := trust.decision with input as {"issuer": utrecht, "vct": lib.vct_wmo, "roles": null}
	d.allow
}

test_gemeente_without_role_is_denied if {
	d := with_roles(lib.vct_zorgtoewijzing, [])
	lacks_role(d)
	count(d.reasons) == 1
}

test_role_of_another_subject_is_ignored if {
	other := object.union(gemeente_role, {"subject": "did:web:bewijs.example:o:gemeente-amsterdam"})
	d := with_roles(lib.vct_wmo, [other])
	lacks_role(d)
	count(d.reasons) == 1
	with_roles(lib.vct_wmo, [other, gemeente_role]).allow
}

test_zorgaanbieder_role_does_not_make_a_gemeente if {
	d := with_roles(lib.vct_wmo, [object.union(gemeente_role, {"role": "zorgaanbieder"})])
	lacks_role(d)
	"role credential #0: it gives the role \"zorgaanbieder\", not \"gemeente\"" in d.reasons
}

test_revoked_gemeente_role_is_denied if {
	d := with_roles(lib.vct_jeugdwet, [object.union(gemeente_role, {"status": "revoked"})])
	lacks_role(d)
	"role credential #0: its status is \"revoked\", not \"valid\"" in d.reasons
}

test_expired_gemeente_role_is_denied if {
	d := with_roles(lib.vct_wmo, [object.union(gemeente_role, {"valid_until": now})])
	lacks_role(d)
	"role credential #0: it expired at 2026-11-29T10:00:00Z" in d.reasons
}

test_future_gemeente_role_is_denied if {
	d := with_roles(lib.vct_wmo, [object.union(gemeente_role, {"valid_from": "2026-12-01T00:00:00+01:00"})])
	lacks_role(d)
	"role credential #0: it is not valid before 2026-12-01T00:00:00+01:00" in d.reasons
}

test_gemeente_role_of_untrusted_issuer_is_denied if {
	d := with_roles(lib.vct_wmo, [object.union(gemeente_role, {"issuer": utrecht})])
	lacks_role(d)
	sprintf("role credential #0: its issuer %q is not a trust anchor", [utrecht]) in d.reasons
}

test_malformed_role_is_denied if {
	d := with_roles(lib.vct_wmo, ["gemeente", {"subject": utrecht}])
	lacks_role(d)
	"role credential #1: its status is (none), not \"valid\"" in d.reasons
	"role credential #1: its issuer (none) is not a trust anchor" in d.reasons
}

test_roles_without_now_are_denied if {
	every x in [
		{"issuer": utrecht, "vct": lib.vct_wmo, "roles": [gemeente_role]},
		{"issuer": utrecht, "vct": lib.vct_wmo, "roles": [gemeente_role], "now": "29-11-2026"},
	] {
		d := trust.decision with input as x
		not d.allow
		some r in d.reasons
		endswith(r, "is missing or not an RFC 3339 time; it is needed to check input.roles")
	}
}

test_roles_not_an_array_are_denied if {
	d := with_roles(lib.vct_wmo, gemeente_role)
	not d.allow
	"input.roles is not an array" in d.reasons
}

test_rows_without_a_role_need_none if {
	d := trust.decision with input as {"issuer": ketenbureau, "vct": lib.vct_pid_nl, "roles": [], "now": now}
	d.allow
}

# An aanbieder's claims: a row for a type an aanbieder issues names the zorgaanbieder role.
test_aanbieder_row_needs_a_zorgaanbieder_role if {
	linde := "did:web:bewijs.example:o:thuiszorg-de-linde"
	rows := [{"name": "aanbieder", "kind": "aanbieder", "hosts": {"*"}, "slug_pattern": `^[a-z0-9-]+$`, "vcts": {"urn:example:declaratie:1"}, "role": "zorgaanbieder"}]
	aanbieder_role := object.union(gemeente_role, {"subject": linde, "role": "zorgaanbieder"})
	ok := trust.decision with trust.trusted_issuers as rows
		with input as {"issuer": linde, "vct": "urn:example:declaratie:1", "roles": [aanbieder_role], "now": now}
	ok.allow
	denied := trust.decision with trust.trusted_issuers as rows
		with input as {"issuer": linde, "vct": "urn:example:declaratie:1", "roles": [object.union(aanbieder_role, {"role": "gemeente"})], "now": now}
	not denied.allow
	"role credential #0: it gives the role \"gemeente\", not \"zorgaanbieder\"" in denied.reasons
}

# role_decision: one role credential on its own.

role_input := {"role": gemeente_role, "now": now}

role(patch) := d if {
	d := trust.role_decision with input as object.union(role_input, patch)
}

test_role_decision_accepts_a_current_role if {
	d := trust.role_decision with input as role_input
	d.allow
	d.reasons == [sprintf("role credential of trust anchor %q gives %q the role \"gemeente\", valid from 2026-01-01T00:00:00Z until 2027-01-01T00:00:00Z", [ketenbureau, utrecht])]
}

test_role_decision_accepts_the_expected_role if {
	role({"expect": {"role": "gemeente", "subject": utrecht}}).allow
	role({"expect": {}}).allow
}

test_role_decision_missing_role_is_denied if {
	every x in [{"now": now}, {"now": now, "role": null}] {
		d := trust.role_decision with input as x
		d == {"allow": false, "reasons": ["input.role is missing"]}
	}
}

test_role_decision_missing_now_is_denied if {
	d := trust.role_decision with input as {"role": gemeente_role}
	d == {"allow": false, "reasons": ["input.now (none) is missing or not an RFC 3339 time"]}
}

test_role_decision_refuses_an_unacceptable_role if {
	every patch, reason in {
		{"role": "not-a-role"}: "its role \"not-a-role\" is not a known role (gemeente, zorgaanbieder)",
		{"issuer": utrecht}: sprintf("its issuer %q is not a trust anchor", [utrecht]),
		{"status": "suspended"}: "its status is \"suspended\", not \"valid\"",
		{"valid_until": "2026-11-29T09:59:59Z"}: "it expired at 2026-11-29T09:59:59Z",
		{"valid_from": "2026-11-29T11:00:00+00:00"}: "it is not valid before 2026-11-29T11:00:00+00:00",
		{"valid_from": "2026-01-01"}: "its valid_from \"2026-01-01\" is not an RFC 3339 time between the years 1678 and 2261",
	} {
		d := role({"role": object.union(gemeente_role, patch)})
		d == {"allow": false, "reasons": [sprintf("the role credential is not acceptable: %s", [reason])]}
	}
	d := role({"role": 7})
	d.reasons == ["the role credential is not acceptable: it is not an object"]
}

test_role_decision_refuses_another_role_or_subject if {
	d := role({"expect": {"role": "zorgaanbieder", "subject": ketenbureau}})
	not d.allow
	d.reasons == [
		"the role credential's role is \"gemeente\", not \"zorgaanbieder\"",
		sprintf("the role credential's subject is %q, not %q", [utrecht, ketenbureau]),
	]
}

test_role_decision_malformed_expect_is_denied if {
	d := role({"expect": "gemeente"})
	d == {"allow": false, "reasons": ["input.expect \"gemeente\" is not an object"]}
}

test_role_decision_trust_anchors_are_configurable if {
	anchors := [{"name": "vws", "hosts": {"vws.example"}, "slug_pattern": `^anchor$`}]
	d := role({"role": object.union(gemeente_role, {"issuer": "did:web:vws.example:o:anchor"})}) with data.bewijs.lib.trust_anchors as anchors
	d.allow
	not role({}).allow with data.bewijs.lib.trust_anchors as anchors
}
