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
