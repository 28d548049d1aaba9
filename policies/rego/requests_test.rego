package bewijs.requests_test

import data.bewijs.lib
import data.bewijs.requests

aanbieder := {"did": "did:web:bewijs.example:o:thuiszorg-de-linde", "kind": "aanbieder", "slug": "thuiszorg-de-linde"}

gemeente := {"did": "did:web:bewijs.example:o:gemeente-utrecht", "kind": "gemeente", "slug": "gemeente-utrecht"}

query(paths) := {"credentials": [{
	"id": "toewijzing",
	"format": "dc+sd-jwt",
	"meta": {"vct_values": [lib.vct_wmo]},
	"claims": [{"path": p} | some p in paths],
}]}

test_named_zorgstart_query_is_allowed_for_an_aanbieder if {
	d := requests.decision with input as {"verifier": aanbieder, "purpose": "zorgstart", "query": requests.named_queries.zorgstart}
	d.allow
}

test_named_zorgstart_query_asks_no_restricted_claim if {
	every claim in requests.named_queries.zorgstart.credentials[0].claims {
		every _, r in requests.restricted_claims {
			not requests.overlaps(claim.path, r.path)
		}
	}
}

test_named_zorgstart_query_shape if {
	cq := requests.named_queries.zorgstart.credentials[0]
	cq.id == "toewijzing"
	cq.format == "dc+sd-jwt"
	cq.meta.vct_values == [lib.vct_wmo, lib.vct_jeugdwet]
	count(cq.claims) == 10
}

test_aanbieder_may_not_ask_bsn_for_zorgstart if {
	d := requests.decision with input as {"verifier": aanbieder, "purpose": "zorgstart", "query": query([["product", "code"], ["client", "bsn"]])}
	not d.allow
	d.reasons == ["credential query \"toewijzing\" asks for client.bsn (path client.bsn), which purpose \"zorgstart\" does not allow"]
}

test_whole_client_object_counts_as_bsn if {
	every path in [["client"], ["client", null], [null, "bsn"], ["client", "bsn", "x"]] {
		d := requests.decision with input as {"verifier": aanbieder, "purpose": "zorgstart", "query": query([path])}
		not d.allow
		some r in d.reasons
		contains(r, "asks for client.bsn")
	}
}

test_other_client_claims_are_not_restricted if {
	d := requests.decision with input as {"verifier": aanbieder, "purpose": "zorgstart", "query": query([["client", "geboortedatum"]])}
	d.allow
}

test_gemeente_may_ask_bsn_for_declaratie_controle if {
	d := requests.decision with input as {"verifier": gemeente, "purpose": "declaratie-controle", "query": query([["client", "bsn"], ["toewijzingnummer"]])}
	d.allow
	"purpose \"declaratie-controle\" allows client.bsn" in d.reasons
}

test_aanbieder_may_not_use_declaratie_controle if {
	d := requests.decision with input as {"verifier": aanbieder, "purpose": "declaratie-controle", "query": query([["client", "bsn"]])}
	not d.allow
	d.reasons == ["a verifier of kind \"aanbieder\" may not ask for purpose \"declaratie-controle\""]
}

test_unknown_purpose_is_denied if {
	d := requests.decision with input as {"verifier": gemeente, "purpose": "nieuwsgierigheid", "query": query([["wet"]])}
	not d.allow
	d.reasons == ["unknown purpose \"nieuwsgierigheid\" (known: declaratie-controle, login, zorgstart)"]
}

test_type_outside_the_purpose_is_denied if {
	q := {"credentials": [{"id": "pid", "format": "dc+sd-jwt", "meta": {"vct_values": [lib.vct_pid_nl]}, "claims": [{"path": ["given_name"]}]}]}
	d := requests.decision with input as {"verifier": aanbieder, "purpose": "zorgstart", "query": q}
	not d.allow
	d.reasons == ["credential query \"pid\" asks for type \"urn:eudi:pid:nl:1\", which purpose \"zorgstart\" does not cover"]
}

test_query_without_type_is_denied_and_still_checked_for_bsn if {
	q := {"credentials": [{"claims": [{"path": ["client", "bsn"]}]}]}
	d := requests.decision with input as {"verifier": aanbieder, "purpose": "zorgstart", "query": q}
	not d.allow
	"credential query #0 names no vct_values" in d.reasons
	"credential query #0 asks for client.bsn (path client.bsn), which purpose \"zorgstart\" does not allow" in d.reasons
}

test_short_form_vct_values_is_read if {
	q := {"credentials": [{"id": "t", "vct_values": [lib.vct_jeugdwet], "claims": [{"path": ["client", "bsn"]}]}]}
	d := requests.decision with input as {"verifier": aanbieder, "purpose": "zorgstart", "query": q}
	not d.allow
	"credential query \"t\" asks for client.bsn (path client.bsn), which purpose \"zorgstart\" does not allow" in d.reasons
}

test_absent_claims_ask_nothing_restricted if {
	q := {"credentials": [{"id": "t", "format": "dc+sd-jwt", "meta": {"vct_values": [lib.vct_wmo]}}]}
	d := requests.decision with input as {"verifier": aanbieder, "purpose": "zorgstart", "query": q}
	d.allow
}

test_malformed_claims_are_denied if {
	every claims in [[], "client.bsn", [{"path": []}], [{"path": "client"}], [{}]] {
		q := {"credentials": [{"id": "t", "meta": {"vct_values": [lib.vct_wmo]}, "claims": claims}]}
		d := requests.decision with input as {"verifier": aanbieder, "purpose": "zorgstart", "query": q}
		not d.allow
	}
}

test_empty_or_missing_query_is_denied if {
	every q in [{}, {"credentials": []}, {"credentials": "x"}, null] {
		d := requests.decision with input as {"verifier": aanbieder, "purpose": "zorgstart", "query": q}
		not d.allow
		"query has no credentials (DCQL: credentials is a non-empty array)" in d.reasons
	}
}

test_missing_verifier_is_denied if {
	d := requests.decision with input as {"purpose": "zorgstart", "query": query([["wet"]])}
	not d.allow
	d.reasons == ["a verifier of kind (none) may not ask for purpose \"zorgstart\""]
}

test_missing_purpose_is_denied if {
	d := requests.decision with input as {"verifier": gemeente, "query": query([["wet"]])}
	not d.allow
	d.reasons == ["unknown purpose (none) (known: declaratie-controle, login, zorgstart)"]
}

test_a_denial_always_has_a_reason if {
	every x in [{}, [], "x", 1, {"verifier": 1, "purpose": [], "query": {"credentials": [1, "x", {"claims": [1]}]}}] {
		d := requests.decision with input as x
		not d.allow
		count(d.reasons) > 0
	}
}

test_login_allows_pid_bsn_for_a_gemeente if {
	d := requests.decision with input as {
		"verifier": {"kind": "gemeente"},
		"purpose": "login",
		"query": requests.named_queries["pid-login"],
	}
	d.allow
}

test_login_is_not_for_an_aanbieder if {
	d := requests.decision with input as {
		"verifier": {"kind": "aanbieder"},
		"purpose": "login",
		"query": requests.named_queries["pid-login"],
	}
	not d.allow
}

test_zorgstart_may_not_ask_the_pid_bsn if {
	d := requests.decision with input as {
		"verifier": {"kind": "gemeente"},
		"purpose": "zorgstart",
		"query": requests.named_queries["pid-login"],
	}
	not d.allow
}
