package oid4vp

import (
	"errors"
	"reflect"
	"testing"
)

func disclosed(vct string, claims map[string]any) map[string]any {
	out := map[string]any{"vct": vct}
	for k, v := range claims {
		out[k] = v
	}
	return out
}

func TestSatisfiedBy(t *testing.T) {
	postal := map[string]any{"last_name": "Doe", "postal_code": "1", "date_of_birth": "1940-01-01"}
	tests := []struct {
		name      string
		query     string
		presented map[string][]map[string]any
		want      *UnsatisfiedError // nil: satisfied; Reason compared only when set
	}{
		{
			name:      "ok - simple",
			query:     "spec_simple.json",
			presented: map[string][]map[string]any{"my_credential": {disclosed(vctIdentity, person(nil))}},
		},
		{
			name:      "ok - second claim set accepted",
			query:     "spec_claims_alternatives.json",
			presented: map[string][]map[string]any{"pid": {disclosed(vctIdentity, postal)}},
		},
		{
			name:  "ok - credential set option of two",
			query: "spec_credentials_alternatives.json",
			presented: map[string][]map[string]any{
				"pid_reduced_cred_1": {disclosed(vctReduced, person(nil))},
				"pid_reduced_cred_2": {disclosed(vctResident, map[string]any{"postal_code": "1", "locality": "L", "region": "R"})},
			},
		},
		{
			name:  "ok - optional set answered too",
			query: "spec_credentials_alternatives.json",
			presented: map[string][]map[string]any{
				"pid":          {disclosed(vctIdentity, person(nil))},
				"nice_to_have": {disclosed(vctRewards, map[string]any{"rewards_number": 1})},
			},
		},
		{
			name: "ok - multiple presentations",
			query: `{"credentials":[{"id":"ids","format":"dc+sd-jwt","multiple":true,
				"meta":{"vct_values":["` + vctIdentity + `"]},"claims":[{"path":["last_name"]}]}]}`,
			presented: map[string][]map[string]any{"ids": {disclosed(vctIdentity, person(nil)), disclosed(vctIdentity, person(nil))}},
		},
		{
			name:      "error - claim not disclosed",
			query:     "spec_simple.json",
			presented: map[string][]map[string]any{"my_credential": {disclosed(vctIdentity, map[string]any{"last_name": "Doe", "first_name": "J"})}},
			want: &UnsatisfiedError{CredentialQueryID: "my_credential", CredentialSet: -1,
				ClaimPath: []any{"address", "street_address"}, Reason: "claim is missing"},
		},
		{
			name:      "error - value outside values",
			query:     "spec_value_matching_simple.json",
			presented: map[string][]map[string]any{"my_credential": {disclosed(vctIdentity, person(map[string]any{"postal_code": "12345"}))}},
			want: &UnsatisfiedError{CredentialQueryID: "my_credential", CredentialSet: -1,
				ClaimPath: []any{"postal_code"}},
		},
		{
			name:      "error - no claim set",
			query:     "spec_claims_alternatives.json",
			presented: map[string][]map[string]any{"pid": {disclosed(vctIdentity, map[string]any{"last_name": "Doe"})}},
			want:      &UnsatisfiedError{CredentialQueryID: "pid", CredentialSet: -1, ClaimID: "c", ClaimPath: []any{"locality"}},
		},
		{
			name:      "error - wrong vct",
			query:     "spec_simple.json",
			presented: map[string][]map[string]any{"my_credential": {disclosed(vctOtherPID, person(nil))}},
			want:      &UnsatisfiedError{CredentialQueryID: "my_credential", CredentialSet: -1, Reason: "no credential with a vct in vct_values"},
		},
		{
			name:      "error - two presentations without multiple",
			query:     "spec_simple.json",
			presented: map[string][]map[string]any{"my_credential": {disclosed(vctIdentity, person(nil)), disclosed(vctIdentity, person(nil))}},
			want:      &UnsatisfiedError{CredentialQueryID: "my_credential", CredentialSet: -1, Reason: "2 presentations but multiple is not true"},
		},
		{
			name:      "error - empty presentation list",
			query:     "spec_simple.json",
			presented: map[string][]map[string]any{"my_credential": {}},
			want:      &UnsatisfiedError{CredentialQueryID: "my_credential", CredentialSet: -1, Reason: "no presentation"},
		},
		{
			name:      "error - unknown credential query id",
			query:     "spec_simple.json",
			presented: map[string][]map[string]any{"my_credential": {disclosed(vctIdentity, person(nil))}, "extra": {{}}},
			want:      &UnsatisfiedError{CredentialQueryID: "extra", CredentialSet: -1, Reason: "not a credential query id of the request"},
		},
		{
			name:      "error - nothing presented",
			query:     "spec_simple.json",
			presented: nil,
			want:      &UnsatisfiedError{CredentialQueryID: "my_credential", CredentialSet: -1, Reason: "no credential matches"},
		},
		{
			name:      "error - one credential of two missing",
			query:     "spec_multi_credentials.json",
			presented: map[string][]map[string]any{"pid": {disclosed(vctIdentity, person(nil))}},
			want:      &UnsatisfiedError{CredentialQueryID: "mdl", CredentialSet: -1},
		},
		{
			name:      "error - required set: only half of an option",
			query:     "spec_credentials_alternatives.json",
			presented: map[string][]map[string]any{"pid_reduced_cred_1": {disclosed(vctReduced, person(nil))}},
			want:      &UnsatisfiedError{CredentialSet: 0, Reason: "no option can be satisfied (options lack pid, other_pid, pid_reduced_cred_2)"},
		},
		{
			name:      "error - only the optional set",
			query:     "spec_credentials_alternatives.json",
			presented: map[string][]map[string]any{"nice_to_have": {disclosed(vctRewards, map[string]any{"rewards_number": 1})}},
			want:      &UnsatisfiedError{CredentialSet: 0},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := loadQuery(t, tt.query)

			err := SatisfiedBy(q, tt.presented)

			if tt.want == nil {
				if err != nil {
					t.Fatalf("SatisfiedBy: %v", err)
				}
				return
			}
			var ue *UnsatisfiedError
			if !errors.As(err, &ue) {
				t.Fatalf("err = %v, want *UnsatisfiedError", err)
			}
			got := *ue
			if tt.want.Reason == "" {
				got.Reason = ""
			}
			if !reflect.DeepEqual(&got, tt.want) {
				t.Errorf("err = %#v\nwant %#v", got, *tt.want)
			}
		})
	}
}

func TestSatisfiedBy_InvalidQuery(t *testing.T) {
	err := SatisfiedBy(Query{Credentials: []CredentialQuery{{ID: "a b", Format: "x"}}}, nil)

	var perr *Error
	if !errors.As(err, &perr) || perr.Code != ErrInvalidRequest {
		t.Fatalf("err = %v, want invalid_request", err)
	}
}
