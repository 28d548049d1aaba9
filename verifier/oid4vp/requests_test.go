package oid4vp

import "testing"

func TestQueryRequests(t *testing.T) {
	q := Query{Credentials: []CredentialQuery{{ID: "t", Format: FormatSDJWTVC, Claims: []ClaimsQuery{
		{Path: []any{"client", "naam", "achternaam"}},
		{Path: []any{"wet"}},
		{Path: []any{"producten", nil, "code"}},
	}}}}
	cases := []struct {
		name string
		path []string
		want bool
	}{
		{"ok - a requested claim", []string{"wet"}, true},
		{"ok - an object on the way", []string{"client"}, true},
		{"ok - deeper on the way", []string{"client", "naam"}, true},
		{"ok - the array itself", []string{"producten"}, true},
		{"error - a sibling", []string{"client", "bsn"}, false},
		{"error - below the requested claim", []string{"wet", "x"}, false},
		{"error - past an array step", []string{"producten", "code"}, false},
		{"error - not asked", []string{"gemeente"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := q.Requests(tc.path); got != tc.want {
				t.Fatalf("Requests(%v) = %v, want %v", tc.path, got, tc.want)
			}
		})
	}
}
