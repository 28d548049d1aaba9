package bewijs.lib_test

import data.bewijs.lib

test_org_parses_a_bewijs_did if {
	lib.org("did:web:bewijs.example%3A8443:o:gemeente-utrecht") == {"host": "bewijs.example%3A8443", "slug": "gemeente-utrecht"}
}

test_org_refuses_other_dids if {
	not lib.org("did:web:bewijs.example:x:gemeente-utrecht")
	not lib.org("did:web:bewijs.example:o:-utrecht")
	not lib.org("did:jwk:eyJrdHkiOiJFQyJ9")
	not lib.org(7)
}

test_path_string if {
	lib.path_string(["client", "bsn"]) == "client.bsn"
	lib.path_string(["client", null, 0]) == "client.*.0"
	lib.path_string("client") == "client"
}

test_quote_bounds_long_values if {
	count(lib.quote(concat("", [x | some _ in numbers.range(1, 500); x := "a"]))) == 200
}

test_time_ns_reads_rfc3339_only if {
	lib.time_ns("2026-11-29T10:00:00Z") == lib.time_ns("2026-11-29T11:00:00+01:00")
	lib.time_ns("2026-11-29T10:00:00.5Z") > lib.time_ns("2026-11-29T10:00:00Z")
	not lib.time_ns("2026-11-29")
	not lib.time_ns("2026-11-29 10:00:00Z")
	not lib.time_ns("2026-02-30T10:00:00Z")
	not lib.time_ns(1764410400)
}

test_date_ns_reads_dates_only if {
	lib.date_ns("2026-03-02") == time.parse_rfc3339_ns("2026-03-02T00:00:00Z")
	not lib.date_ns("2026-02-30")
	not lib.date_ns("2026-3-2")
	not lib.date_ns("2026-03-02T00:00:00Z")
	not lib.date_ns(20260302)
}

test_trust_anchor_is_the_ketenbureau_on_any_host if {
	lib.trust_anchor("did:web:bewijs.example:o:ketenbureau")
	lib.trust_anchor("did:web:localhost%3A8443:o:ketenbureau")
	not lib.trust_anchor("did:web:bewijs.example:o:gemeente-utrecht")
	not lib.trust_anchor("did:web:bewijs.example")
	not lib.trust_anchor(null)
}

test_host_fits if {
	lib.host_fits({"*"}, "bewijs.example")
	lib.host_fits({"bewijs.example"}, "bewijs.example")
	not lib.host_fits({"bewijs.example"}, "elders.example")
}

test_member_text if {
	lib.member_text({"a": "x"}, "a") == "\"x\""
	lib.member_text({"a": 1}, "a") == "1"
	lib.member_text({"a": 1}, "b") == "(none)"
	lib.member_text([1], "a") == "(none)"
}

test_role_problems if {
	role := {"issuer": "did:web:bewijs.example:o:ketenbureau", "subject": "did:web:bewijs.example:o:gemeente-utrecht", "role": "gemeente", "status": "valid", "valid_from": "2026-01-01T00:00:00Z", "valid_until": "2027-01-01T00:00:00Z"}
	lib.role_problems(role, lib.time_ns("2026-06-01T00:00:00Z")) == set()
	lib.role_problems(role, lib.time_ns("2027-01-01T00:00:00Z")) == {"it expired at 2027-01-01T00:00:00Z"}
	lib.role_problems(role, lib.time_ns("2025-12-31T23:59:59Z")) == {"it is not valid before 2026-01-01T00:00:00Z"}
	count(lib.role_problems({}, 0)) == 3
	lib.role_problems(object.remove(role, ["valid_from", "valid_until"]), 0) == set()
	lib.role_problems(object.union(role, {"valid_until": null}), lib.time_ns("2099-01-01T00:00:00Z")) == set()
	lib.role_problems(object.union(role, {"valid_until": 1}), lib.time_ns("2026-06-01T00:00:00Z")) == {"its valid_until 1 is not an RFC 3339 time between the years 1678 and 2261"}
	lib.role_problems("gemeente", 0) == {"it is not an object"}
}

test_time_ns_refuses_times_out_of_range if {
	not lib.time_ns("0001-01-01T00:00:00Z")
	not lib.time_ns("9999-12-31T23:59:59Z")
}
