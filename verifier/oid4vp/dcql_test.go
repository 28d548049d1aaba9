package oid4vp

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestParseQuery_SpecExamples parses the DCQL examples of OpenID4VP 1.0 (§7.4, Appendix D
// and B.1.3), copied from the spec repository at tag 1.0-final into testdata/dcql.
func TestParseQuery_SpecExamples(t *testing.T) {
	tests := []struct {
		name         string
		file         string
		wantIDs      []string
		wantSets     int
		wantClaimSet int
	}{
		{name: "ok - simple (§7.4)", file: "spec_simple.json", wantIDs: []string{"my_credential"}},
		{name: "ok - simple mdoc", file: "spec_simple_mdoc.json", wantIDs: []string{"my_credential"}},
		{name: "ok - multi credentials", file: "spec_multi_credentials.json", wantIDs: []string{"pid", "mdl"}},
		{name: "ok - credentials alternatives", file: "spec_credentials_alternatives.json",
			wantIDs: []string{"pid", "other_pid", "pid_reduced_cred_1", "pid_reduced_cred_2", "nice_to_have"}, wantSets: 2},
		{name: "ok - complex mdoc", file: "spec_complex_mdoc.json",
			wantIDs: []string{"mdl-id", "mdl-address", "photo_card-id", "photo_card-address"}, wantSets: 2},
		{name: "ok - claims alternatives", file: "spec_claims_alternatives.json", wantIDs: []string{"pid"}, wantClaimSet: 2},
		{name: "ok - value matching", file: "spec_value_matching_simple.json", wantIDs: []string{"my_credential"}},
		{name: "ok - jwt_vc_json", file: "spec_dcql_jwt_vc.json", wantIDs: []string{"example_jwt_vc"}},
		{name: "ok - ldp_vc", file: "spec_dcql_ldp_vc.json", wantIDs: []string{"example_ldp_vc"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := readTestdata(t, filepath.Join("dcql", tt.file))

			q, err := ParseQuery(data)

			if err != nil {
				t.Fatalf("ParseQuery: %v", err)
			}
			var ids []string
			for _, c := range q.Credentials {
				ids = append(ids, c.ID)
			}
			if !reflect.DeepEqual(ids, tt.wantIDs) {
				t.Errorf("ids = %v, want %v", ids, tt.wantIDs)
			}
			if len(q.CredentialSets) != tt.wantSets {
				t.Errorf("credential_sets = %d, want %d", len(q.CredentialSets), tt.wantSets)
			}
			if len(q.Credentials[0].ClaimSets) != tt.wantClaimSet {
				t.Errorf("claim_sets = %d, want %d", len(q.Credentials[0].ClaimSets), tt.wantClaimSet)
			}
			assertSameJSON(t, data, q)
		})
	}
}

func TestParseQuery_Typed(t *testing.T) {
	q, err := ParseQuery(readTestdata(t, "dcql/spec_value_matching_simple.json"))
	if err != nil {
		t.Fatal(err)
	}
	postal := q.Credentials[0].Claims[3]
	if want := []any{"90210", "90211"}; !reflect.DeepEqual(postal.Values, want) {
		t.Errorf("values = %#v, want %#v", postal.Values, want)
	}
	if !q.Credentials[0].RequiresHolderBinding() {
		t.Error("require_cryptographic_holder_binding must default to true")
	}
	q, err = ParseQuery([]byte(`{"credentials":[{"id":"a","format":"x","meta":{},
		"require_cryptographic_holder_binding":false,
		"claims":[{"path":["list",null,2]},{"path":["n"],"values":[18,true,"x"]}]}],
		"credential_sets":[{"options":[["a"]]},{"options":[["a"]],"required":false}]}`))
	if err != nil {
		t.Fatal(err)
	}
	c := q.Credentials[0]
	if c.RequiresHolderBinding() {
		t.Error("explicit false must turn holder binding off")
	}
	if want := []any{"list", nil, 2}; !reflect.DeepEqual(c.Claims[0].Path, want) {
		t.Errorf("path = %#v, want %#v", c.Claims[0].Path, want)
	}
	if want := []any{int64(18), true, "x"}; !reflect.DeepEqual(c.Claims[1].Values, want) {
		t.Errorf("values = %#v, want %#v", c.Claims[1].Values, want)
	}
	if !q.CredentialSets[0].IsRequired() || q.CredentialSets[1].IsRequired() {
		t.Error("required must default to true and honour false")
	}
}

func TestParseQuery_Errors(t *testing.T) {
	const sd = `"format":"dc+sd-jwt","meta":{"vct_values":["urn:x"]}`
	tests := []struct {
		name  string
		query string
		want  string // part of the description
	}{
		{"error - not JSON", `{`, "not a valid DCQL"},
		{"error - credentials missing", `{}`, "credentials: must be a non-empty array"},
		{"error - credentials empty", `{"credentials":[]}`, "credentials: must be a non-empty array"},
		{"error - duplicate credential id", `{"credentials":[{"id":"a",` + sd + `},{"id":"a",` + sd + `}]}`, `credentials[1].id: "a" is used more than once`},
		{"error - bad id chars", `{"credentials":[{"id":"a b",` + sd + `}]}`, `credentials[0].id`},
		{"error - id with dot", `{"credentials":[{"id":"a.b",` + sd + `}]}`, `credentials[0].id`},
		{"error - empty id", `{"credentials":[{"id":"",` + sd + `}]}`, `credentials[0].id`},
		{"error - format missing", `{"credentials":[{"id":"a","meta":{}}]}`, "credentials[0].format: required"},
		{"error - meta missing", `{"credentials":[{"id":"a","format":"x"}]}`, "credentials[0].meta: required"},
		{"error - meta null", `{"credentials":[{"id":"a","format":"x","meta":null}]}`, "credentials[0].meta: required"},
		{"error - vct_values missing for dc+sd-jwt", `{"credentials":[{"id":"a","format":"dc+sd-jwt","meta":{}}]}`, "meta.vct_values: required"},
		{"error - vct_values empty", `{"credentials":[{"id":"a","format":"dc+sd-jwt","meta":{"vct_values":[]}}]}`, "meta.vct_values: required"},
		{"error - doctype_value missing for mso_mdoc", `{"credentials":[{"id":"a","format":"mso_mdoc","meta":{}}]}`, "meta.doctype_value: required"},
		{"error - type_values missing for jwt_vc_json", `{"credentials":[{"id":"a","format":"jwt_vc_json","meta":{}}]}`, "meta.type_values: required"},
		{"error - type_values inner empty", `{"credentials":[{"id":"a","format":"ldp_vc","meta":{"type_values":[[]]}}]}`, "meta.type_values[0]"},
		{"error - claims empty", `{"credentials":[{"id":"a",` + sd + `,"claims":[]}]}`, "claims: must be a non-empty array"},
		{"error - empty path", `{"credentials":[{"id":"a",` + sd + `,"claims":[{"path":[]}]}]}`, "claims[0].path: must be a non-empty array"},
		{"error - path missing", `{"credentials":[{"id":"a",` + sd + `,"claims":[{"id":"x"}]}]}`, "claims[0].path: must be a non-empty array"},
		{"error - negative index", `{"credentials":[{"id":"a",` + sd + `,"claims":[{"path":["a",-1]}]}]}`, "claims[0].path[1]"},
		{"error - fractional index", `{"credentials":[{"id":"a",` + sd + `,"claims":[{"path":["a",1.5]}]}]}`, "claims[0].path[1]"},
		{"error - object in path", `{"credentials":[{"id":"a",` + sd + `,"claims":[{"path":[{}]}]}]}`, "claims[0].path[0]"},
		{"error - bool in path", `{"credentials":[{"id":"a",` + sd + `,"claims":[{"path":[true]}]}]}`, "claims[0].path[0]"},
		{"error - object in values", `{"credentials":[{"id":"a",` + sd + `,"claims":[{"path":["a"],"values":[{"k":1}]}]}]}`, "claims[0].values[0]"},
		{"error - array in values", `{"credentials":[{"id":"a",` + sd + `,"claims":[{"path":["a"],"values":[[1]]}]}]}`, "claims[0].values[0]"},
		{"error - null in values", `{"credentials":[{"id":"a",` + sd + `,"claims":[{"path":["a"],"values":[null]}]}]}`, "claims[0].values[0]"},
		{"error - float in values", `{"credentials":[{"id":"a",` + sd + `,"claims":[{"path":["a"],"values":[1.5]}]}]}`, "claims[0].values[0]"},
		{"error - values empty", `{"credentials":[{"id":"a",` + sd + `,"claims":[{"path":["a"],"values":[]}]}]}`, "claims[0].values: must be a non-empty array"},
		{"error - claim_sets without claim ids", `{"credentials":[{"id":"a",` + sd + `,"claims":[{"path":["a"]}],"claim_sets":[["x"]]}]}`, "claims[0].id: required when claim_sets is present"},
		{"error - claim_sets without claims", `{"credentials":[{"id":"a",` + sd + `,"claim_sets":[["x"]]}]}`, "claim_sets: must not be present without claims"},
		{"error - claim_sets empty", `{"credentials":[{"id":"a",` + sd + `,"claims":[{"id":"x","path":["a"]}],"claim_sets":[]}]}`, "claim_sets: must be a non-empty array"},
		{"error - unknown id in claim_sets", `{"credentials":[{"id":"a",` + sd + `,"claims":[{"id":"x","path":["a"]}],"claim_sets":[["x","y"]]}]}`, `claim_sets[0]: "y" is not the id of a claim`},
		{"error - duplicate claim id", `{"credentials":[{"id":"a",` + sd + `,"claims":[{"id":"x","path":["a"]},{"id":"x","path":["b"]}]}]}`, `claims[1].id: "x" is used more than once`},
		{"error - bad claim id", `{"credentials":[{"id":"a",` + sd + `,"claims":[{"id":"x/y","path":["a"]}]}]}`, `claims[0].id`},
		{"error - same claim twice", `{"credentials":[{"id":"a",` + sd + `,"claims":[{"path":["a",0]},{"path":["a",0]}]}]}`, "claims[1].path: same path as claims[0]"},
		{"error - mdoc path of one element", `{"credentials":[{"id":"a","format":"mso_mdoc","meta":{"doctype_value":"d"},"claims":[{"path":["ns"]}]}]}`, "mso_mdoc path"},
		{"error - credential_sets empty", `{"credentials":[{"id":"a",` + sd + `}],"credential_sets":[]}`, "credential_sets: must be a non-empty array"},
		{"error - options empty", `{"credentials":[{"id":"a",` + sd + `}],"credential_sets":[{"options":[]}]}`, "credential_sets[0].options: must be a non-empty array"},
		{"error - option empty", `{"credentials":[{"id":"a",` + sd + `}],"credential_sets":[{"options":[[]]}]}`, "credential_sets[0].options[0]: must be a non-empty array"},
		{"error - unknown id in credential_sets", `{"credentials":[{"id":"a",` + sd + `}],"credential_sets":[{"options":[["a"],["b"]]}]}`, `options[1]: "b" is not the id of a credential query`},
		{"error - trusted_authorities empty", `{"credentials":[{"id":"a",` + sd + `,"trusted_authorities":[]}]}`, "trusted_authorities: must be a non-empty array"},
		{"error - trusted_authorities values empty", `{"credentials":[{"id":"a",` + sd + `,"trusted_authorities":[{"type":"aki","values":[]}]}]}`, "trusted_authorities[0].values"},
		{"error - wrong type for multiple", `{"credentials":[{"id":"a",` + sd + `,"multiple":"yes"}]}`, "not a valid DCQL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseQuery([]byte(tt.query))

			var perr *Error
			if !errors.As(err, &perr) {
				t.Fatalf("err = %v, want *Error", err)
			}
			if perr.Code != ErrInvalidRequest {
				t.Errorf("code = %q, want invalid_request", perr.Code)
			}
			if !strings.Contains(perr.Description, tt.want) {
				t.Errorf("description = %q, want it to contain %q", perr.Description, tt.want)
			}
		})
	}
}

func TestParseQuery_IgnoresUnknownProperties(t *testing.T) {
	// §6: "Implementations MUST ignore any unknown properties."
	q, err := ParseQuery([]byte(`{"future":1,"credentials":[{"id":"a","format":"x","meta":{"other":true},"new":[],
		"claims":[{"path":["a"],"extra":{}}]}],"credential_sets":[{"options":[["a"]],"purpose":"why"}]}`))
	if err != nil {
		t.Fatalf("ParseQuery: %v", err)
	}
	if q.CredentialSets[0].Purpose != "why" {
		t.Errorf("purpose = %v", q.CredentialSets[0].Purpose)
	}
}

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// assertSameJSON checks that v marshals to JSON equal (as a value) to want.
func assertSameJSON(t *testing.T, want []byte, v any) {
	t.Helper()
	got, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var a, b any
	if err := json.Unmarshal(want, &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(got, &b); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("round trip differs:\n got %s\nwant %s", got, want)
	}
}
