package policies

import (
	"encoding/json"
	"testing"
)

// FuzzDecide feeds arbitrary JSON documents to every embedded policy. Each must decide (no
// evaluation error, no conflict), and a denial must always say why. The input is untrusted:
// the verifier passes what it read from a presentation.
func FuzzDecide(f *testing.F) {
	seeds := []string{
		`{"issuer": "did:web:bewijs.example:o:gemeente-utrecht", "vct": "urn:nl:sociaaldomein:wmo:toewijzing:1", "issuer_kind": "gemeente"}`,
		`{"issuer": "did:web:bewijs.example:o:ketenbureau", "vct": "urn:eudi:pid:nl:1", "x5c_subject": "CN=x"}`,
		`{"verifier": {"kind": "aanbieder"}, "purpose": "zorgstart", "query": {"credentials": [{"id": "t", "meta": {"vct_values": ["urn:nl:sociaaldomein:wmo:toewijzing:1"]}, "claims": [{"path": ["client", null, 0]}]}]}}`,
		`{"verifier": {"kind": "gemeente"}, "purpose": "declaratie-controle", "query": {"credentials": [{"vct_values": [1], "claims": [{"path": []}, 7]}]}}`,
		`{"purpose": {"a": 1}, "query": {"credentials": {"x": 1}}}`,
		`[]`, `null`, `"did:web:x:o:y"`, `1e400`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	e := newEmbedded(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		if !json.Valid(data) {
			if _, err := parseInput(data); err == nil {
				t.Fatalf("parseInput accepted invalid JSON %q", data)
			}
			return
		}
		input, err := parseInput(data)
		if err != nil {
			return // valid JSON that encoding/json still refuses, e.g. a number out of range
		}
		for _, policy := range []string{"trust", "requests", "pid"} {
			d, err := e.Decide(t.Context(), policy, input)
			if err != nil {
				t.Fatalf("%s on %s: %v", policy, data, err)
			}
			if !d.Allow && len(d.Reasons) == 0 {
				t.Fatalf("%s denied %s without a reason", policy, data)
			}
		}
	})
}
