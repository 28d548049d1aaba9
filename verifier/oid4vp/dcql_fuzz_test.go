package oid4vp

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParseQuery feeds DCQL JSON to ParseQuery: it must fail only with invalid_request, and
// what it accepts must survive a marshal/parse round trip and be safe to Match and check.
func FuzzParseQuery(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "dcql", "*.json"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"credentials":[{"id":"a","format":"dc+sd-jwt","meta":{"vct_values":["v"]},
		"claims":[{"id":"x","path":["l",null,0],"values":[1,"1",true]}],"claim_sets":[["x"],[]]}],
		"credential_sets":[{"options":[["a"]],"required":false}]}`))
	candidates := []Candidate{
		sdjwt("c", "v", map[string]any{"l": []any{[]any{1.0}, []any{"1"}}, "last_name": "Doe"}),
		sdjwt("d", vctIdentity, person(nil)),
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		q, err := ParseQuery(data)
		if err != nil {
			var perr *Error
			if !errors.As(err, &perr) || perr.Code != ErrInvalidRequest {
				t.Fatalf("error %v is not invalid_request", err)
			}
			return
		}
		first, err := json.Marshal(q)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		again, err := ParseQuery(first)
		if err != nil {
			t.Fatalf("re-parse of %s: %v", first, err)
		}
		second, _ := json.Marshal(again)
		if !bytes.Equal(first, second) {
			t.Fatalf("round trip differs:\n%s\n%s", first, second)
		}
		if _, err := Match(q, candidates); err != nil {
			var ue *UnsatisfiedError
			if !errors.As(err, &ue) {
				t.Fatalf("Match of a valid query: %v", err)
			}
		}
		presented := map[string][]map[string]any{q.Credentials[0].ID: {candidates[0].Claims}}
		if err := SatisfiedBy(q, presented); err != nil {
			var ue *UnsatisfiedError
			if !errors.As(err, &ue) {
				t.Fatalf("SatisfiedBy of a valid query: %v", err)
			}
		}
	})
}
