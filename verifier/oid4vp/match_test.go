package oid4vp

import (
	"errors"
	"reflect"
	"testing"
)

const (
	vctIdentity = "https://credentials.example.com/identity_credential"
	vctReduced  = "https://credentials.example.com/reduced_identity_credential"
	vctOtherPID = "https://othercredentials.example/pid"
	vctResident = "https://cred.example/residence_credential"
	vctRewards  = "https://company.example/company_rewards"
)

// sdjwt returns a holder-bound dc+sd-jwt candidate with the given vct and claims.
func sdjwt(id, vct string, claims map[string]any) Candidate {
	c := map[string]any{"vct": vct, "cnf": map[string]any{"jwk": map[string]any{"kty": "EC"}}}
	for k, v := range claims {
		c[k] = v
	}
	return Candidate{ID: id, Format: FormatSDJWTVC, VCT: vct, Claims: c}
}

func person(extra map[string]any) map[string]any {
	c := map[string]any{
		"first_name": "John", "last_name": "Doe", "given_name": "John", "family_name": "Doe",
		"address": map[string]any{"street_address": "42 Market Street"},
	}
	for k, v := range extra {
		c[k] = v
	}
	return c
}

func TestMatch(t *testing.T) {
	tests := []struct {
		name         string
		query        string // testdata/dcql file or inline JSON
		candidates   []Candidate
		wantSelected []string
		wantOptional []string
		wantMatches  map[string][]CandidateMatch
	}{
		{
			name:         "ok - simple: every claim of claims",
			query:        "spec_simple.json",
			candidates:   []Candidate{sdjwt("c1", vctOtherPID, person(nil)), sdjwt("c2", vctIdentity, person(nil))},
			wantSelected: []string{"my_credential"},
			wantMatches: map[string][]CandidateMatch{"my_credential": {{CandidateID: "c2", ClaimSet: -1,
				Paths: [][]any{{"last_name"}, {"first_name"}, {"address", "street_address"}}}}},
		},
		{
			name:  "ok - values filter keeps only the matching candidate",
			query: "spec_value_matching_simple.json",
			candidates: []Candidate{
				sdjwt("wrong-postal", vctIdentity, person(map[string]any{"postal_code": "12345"})),
				sdjwt("right", vctIdentity, person(map[string]any{"postal_code": "90211"})),
				sdjwt("wrong-name", vctIdentity, person(map[string]any{"postal_code": "90210", "last_name": "Dent"})),
			},
			wantSelected: []string{"my_credential"},
			wantMatches: map[string][]CandidateMatch{"my_credential": {{CandidateID: "right", ClaimSet: -1,
				Paths: [][]any{{"last_name"}, {"first_name"}, {"address", "street_address"}, {"postal_code"}}}}},
		},
		{
			name:  "ok - claim_sets: first satisfiable set per candidate",
			query: "spec_claims_alternatives.json",
			candidates: []Candidate{
				sdjwt("full", vctIdentity, person(map[string]any{"postal_code": "1", "locality": "L", "region": "R", "date_of_birth": "1940-01-01"})),
				sdjwt("postal-only", vctIdentity, person(map[string]any{"postal_code": "1", "date_of_birth": "1940-01-01"})),
			},
			wantSelected: []string{"pid"},
			wantMatches: map[string][]CandidateMatch{"pid": {
				{CandidateID: "full", ClaimSet: 0, Paths: [][]any{{"last_name"}, {"locality"}, {"region"}, {"date_of_birth"}}},
				{CandidateID: "postal-only", ClaimSet: 1, Paths: [][]any{{"last_name"}, {"postal_code"}, {"date_of_birth"}}},
			}},
		},
		{
			name:         "ok - credential_sets: second option",
			query:        "spec_credentials_alternatives.json",
			candidates:   []Candidate{sdjwt("o", vctOtherPID, person(nil))},
			wantSelected: []string{"other_pid"},
			wantMatches: map[string][]CandidateMatch{"other_pid": {{CandidateID: "o", ClaimSet: -1,
				Paths: [][]any{{"given_name"}, {"family_name"}, {"address", "street_address"}}}}},
		},
		{
			name:  "ok - credential_sets: first option wins, optional set offered",
			query: "spec_credentials_alternatives.json",
			candidates: []Candidate{
				sdjwt("o", vctOtherPID, person(nil)),
				sdjwt("p", vctIdentity, person(nil)),
				sdjwt("r", vctRewards, map[string]any{"rewards_number": 7}),
			},
			wantSelected: []string{"pid"},
			wantOptional: []string{"nice_to_have"},
			wantMatches: map[string][]CandidateMatch{
				"pid":          {{CandidateID: "p", ClaimSet: -1, Paths: [][]any{{"given_name"}, {"family_name"}, {"address", "street_address"}}}},
				"other_pid":    {{CandidateID: "o", ClaimSet: -1, Paths: [][]any{{"given_name"}, {"family_name"}, {"address", "street_address"}}}},
				"nice_to_have": {{CandidateID: "r", ClaimSet: -1, Paths: [][]any{{"rewards_number"}}}},
			},
		},
		{
			name:  "ok - credential_sets: option of two credentials",
			query: "spec_credentials_alternatives.json",
			candidates: []Candidate{
				sdjwt("r1", vctReduced, person(nil)),
				sdjwt("r2", vctResident, map[string]any{"postal_code": "1", "locality": "L", "region": "R"}),
			},
			wantSelected: []string{"pid_reduced_cred_1", "pid_reduced_cred_2"},
			wantMatches: map[string][]CandidateMatch{
				"pid_reduced_cred_1": {{CandidateID: "r1", ClaimSet: -1, Paths: [][]any{{"family_name"}, {"given_name"}}}},
				"pid_reduced_cred_2": {{CandidateID: "r2", ClaimSet: -1, Paths: [][]any{{"postal_code"}, {"locality"}, {"region"}}}},
			},
		},
		{
			name: "ok - multiple lists every matching candidate",
			query: `{"credentials":[{"id":"ids","format":"dc+sd-jwt","multiple":true,
				"meta":{"vct_values":["` + vctIdentity + `"]},"claims":[{"path":["last_name"]}]}]}`,
			candidates:   []Candidate{sdjwt("a", vctIdentity, person(nil)), sdjwt("b", vctIdentity, person(nil))},
			wantSelected: []string{"ids"},
			wantMatches: map[string][]CandidateMatch{"ids": {
				{CandidateID: "a", ClaimSet: -1, Paths: [][]any{{"last_name"}}},
				{CandidateID: "b", ClaimSet: -1, Paths: [][]any{{"last_name"}}},
			}},
		},
		{
			name: "ok - null path over an array, with values",
			query: `{"credentials":[{"id":"d","format":"dc+sd-jwt","meta":{"vct_values":["` + vctIdentity + `"]},
				"claims":[{"path":["degrees",null,"type"],"values":["Master of Science"]}]}]}`,
			candidates: []Candidate{sdjwt("c", vctIdentity, map[string]any{"degrees": []any{
				map[string]any{"type": "Bachelor of Science"}, map[string]any{"type": "Master of Science"},
			}})},
			wantSelected: []string{"d"},
			wantMatches:  map[string][]CandidateMatch{"d": {{CandidateID: "c", ClaimSet: -1, Paths: [][]any{{"degrees", 1, "type"}}}}},
		},
		{
			name: "ok - null path over an array selects all elements",
			query: `{"credentials":[{"id":"d","format":"dc+sd-jwt","meta":{"vct_values":["` + vctIdentity + `"]},
				"claims":[{"path":["nationalities",null]}]}]}`,
			candidates:   []Candidate{sdjwt("c", vctIdentity, map[string]any{"nationalities": []any{"NL", "BE"}})},
			wantSelected: []string{"d"},
			wantMatches: map[string][]CandidateMatch{"d": {{CandidateID: "c", ClaimSet: -1,
				Paths: [][]any{{"nationalities", 0}, {"nationalities", 1}}}}},
		},
		{
			name:         "ok - no claims requested",
			query:        `{"credentials":[{"id":"d","format":"dc+sd-jwt","meta":{"vct_values":["` + vctIdentity + `"]}}]}`,
			candidates:   []Candidate{sdjwt("c", vctIdentity, person(nil))},
			wantSelected: []string{"d"},
			wantMatches:  map[string][]CandidateMatch{"d": {{CandidateID: "c", ClaimSet: -1}}},
		},
		{
			name: "ok - holder binding not required accepts a credential without cnf",
			query: `{"credentials":[{"id":"d","format":"dc+sd-jwt","require_cryptographic_holder_binding":false,
				"meta":{"vct_values":["` + vctIdentity + `"]}}]}`,
			candidates:   []Candidate{{ID: "c", Format: FormatSDJWTVC, Claims: map[string]any{"vct": vctIdentity}}},
			wantSelected: []string{"d"},
			wantMatches:  map[string][]CandidateMatch{"d": {{CandidateID: "c", ClaimSet: -1}}},
		},
		{
			name:  "ok - mdoc: required set by doctype, optional address",
			query: "spec_complex_mdoc.json",
			candidates: []Candidate{{ID: "m", Format: FormatMDoc, VCT: "org.iso.18013.5.1.mDL", Claims: map[string]any{
				"org.iso.18013.5.1": map[string]any{"given_name": "J", "family_name": "D", "portrait": "p",
					"resident_address": "A", "resident_country": "NL"},
			}}},
			wantSelected: []string{"mdl-id"},
			wantOptional: []string{"mdl-address"},
			wantMatches: map[string][]CandidateMatch{
				"mdl-id": {{CandidateID: "m", ClaimSet: -1, Paths: [][]any{
					{"org.iso.18013.5.1", "given_name"}, {"org.iso.18013.5.1", "family_name"}, {"org.iso.18013.5.1", "portrait"}}}},
				"mdl-address": {{CandidateID: "m", ClaimSet: -1, Paths: [][]any{
					{"org.iso.18013.5.1", "resident_address"}, {"org.iso.18013.5.1", "resident_country"}}}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := loadQuery(t, tt.query)

			res, err := Match(q, tt.candidates)

			if err != nil {
				t.Fatalf("Match: %v", err)
			}
			if !reflect.DeepEqual(res.Selected, tt.wantSelected) {
				t.Errorf("Selected = %v, want %v", res.Selected, tt.wantSelected)
			}
			if !reflect.DeepEqual(res.Optional, tt.wantOptional) {
				t.Errorf("Optional = %v, want %v", res.Optional, tt.wantOptional)
			}
			if !reflect.DeepEqual(res.Matches, tt.wantMatches) {
				t.Errorf("Matches = %#v\nwant %#v", res.Matches, tt.wantMatches)
			}
		})
	}
}

func TestMatch_Unsatisfied(t *testing.T) {
	tests := []struct {
		name       string
		query      string
		candidates []Candidate
		want       UnsatisfiedError // Reason compared only when set
	}{
		{
			name:       "error - no candidates",
			query:      "spec_simple.json",
			candidates: nil,
			want:       UnsatisfiedError{CredentialQueryID: "my_credential", CredentialSet: -1, Reason: "no credential matches"},
		},
		{
			name:       "error - wrong vct",
			query:      "spec_simple.json",
			candidates: []Candidate{sdjwt("c", vctOtherPID, person(nil))},
			want:       UnsatisfiedError{CredentialQueryID: "my_credential", CredentialSet: -1, Reason: "no credential with a vct in vct_values"},
		},
		{
			name:       "error - wrong format",
			query:      "spec_simple.json",
			candidates: []Candidate{{ID: "m", Format: FormatMDoc, VCT: vctIdentity, Claims: person(nil)}},
			want:       UnsatisfiedError{CredentialQueryID: "my_credential", CredentialSet: -1, Reason: "no credential of format dc+sd-jwt"},
		},
		{
			name:       "error - holder binding required but no cnf",
			query:      "spec_simple.json",
			candidates: []Candidate{{ID: "c", Format: FormatSDJWTVC, VCT: vctIdentity, Claims: person(nil)}},
			want: UnsatisfiedError{CredentialQueryID: "my_credential", CredentialSet: -1,
				Reason: "holder binding is required but the credential has no cnf"},
		},
		{
			name:       "error - missing claim named, even when another candidate has the wrong vct",
			query:      "spec_simple.json",
			candidates: []Candidate{sdjwt("x", vctOtherPID, nil), sdjwt("c", vctIdentity, map[string]any{"last_name": "Doe", "first_name": "J"})},
			want: UnsatisfiedError{CredentialQueryID: "my_credential", CredentialSet: -1,
				ClaimPath: []any{"address", "street_address"}, Reason: "claim is missing"},
		},
		{
			name:       "error - value does not match",
			query:      "spec_value_matching_simple.json",
			candidates: []Candidate{sdjwt("c", vctIdentity, person(map[string]any{"postal_code": "12345"}))},
			want: UnsatisfiedError{CredentialQueryID: "my_credential", CredentialSet: -1,
				ClaimPath: []any{"postal_code"}, Reason: "claim is missing or has none of the requested values"},
		},
		{
			name:       "error - no claim set satisfiable names the first set's missing claim",
			query:      "spec_claims_alternatives.json",
			candidates: []Candidate{sdjwt("c", vctIdentity, person(map[string]any{"postal_code": "1", "locality": "L"}))},
			want: UnsatisfiedError{CredentialQueryID: "pid", CredentialSet: -1, ClaimID: "d", ClaimPath: []any{"region"},
				Reason: "no claim set can be satisfied; the first lacks this claim"},
		},
		{
			name:       "error - required credential set without a satisfiable option",
			query:      "spec_credentials_alternatives.json",
			candidates: []Candidate{sdjwt("r1", vctReduced, person(nil)), sdjwt("r", vctRewards, map[string]any{"rewards_number": 7})},
			want:       UnsatisfiedError{CredentialQueryID: "pid", CredentialSet: 0},
		},
		{
			name:       "error - one of two credentials without sets is missing",
			query:      "spec_multi_credentials.json",
			candidates: []Candidate{sdjwt("p", vctIdentity, person(nil))},
			want:       UnsatisfiedError{CredentialQueryID: "mdl", CredentialSet: -1, Reason: "no credential of format mso_mdoc"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := loadQuery(t, tt.query)

			res, err := Match(q, tt.candidates)

			var ue *UnsatisfiedError
			if !errors.As(err, &ue) {
				t.Fatalf("err = %v, want *UnsatisfiedError", err)
			}
			if res.Selected != nil || res.Optional != nil {
				t.Errorf("nothing may be selected on error, got %v %v", res.Selected, res.Optional)
			}
			got := *ue
			if tt.want.Reason == "" {
				got.Reason = ""
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("err = %#v\nwant %#v", got, tt.want)
			}
			if ue.Error() == "" {
				t.Error("empty message")
			}
		})
	}
}

func TestMatch_InvalidQuery(t *testing.T) {
	_, err := Match(Query{}, nil)

	var perr *Error
	if !errors.As(err, &perr) || perr.Code != ErrInvalidRequest {
		t.Fatalf("err = %v, want invalid_request", err)
	}
}

// loadQuery parses s as inline JSON when it starts with "{", else as a testdata/dcql file.
func loadQuery(t *testing.T, s string) Query {
	t.Helper()
	data := []byte(s)
	if s[0] != '{' {
		data = readTestdata(t, "dcql/"+s)
	}
	q, err := ParseQuery(data)
	if err != nil {
		t.Fatalf("ParseQuery: %v", err)
	}
	return q
}
