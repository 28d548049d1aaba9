package policies

import (
	"encoding/json"
	"testing"
)

// FuzzDecide feeds arbitrary JSON documents to every decision rule of the embedded policies
// (decision, and the *_decision rules DecideRule evaluates). Each must decide (no
// evaluation error, no conflict), and a denial must always say why. The input is untrusted:
// the verifier passes what it read from a presentation.
func FuzzDecide(f *testing.F) {
	seeds := []string{
		`{"issuer": "did:web:bewijs.example:o:gemeente-utrecht", "vct": "urn:nl:sociaaldomein:wmo:toewijzing:1", "issuer_kind": "gemeente"}`,
		`{"issuer": "did:web:bewijs.example:o:ketenbureau", "vct": "urn:eudi:pid:nl:1", "x5c_subject": "CN=x"}`,
		`{"verifier": {"kind": "aanbieder"}, "purpose": "zorgstart", "query": {"credentials": [{"id": "t", "meta": {"vct_values": ["urn:nl:sociaaldomein:wmo:toewijzing:1"]}, "claims": [{"path": ["client", null, 0]}]}]}}`,
		`{"verifier": {"kind": "gemeente"}, "purpose": "declaratie-controle", "query": {"credentials": [{"vct_values": [1], "claims": [{"path": []}, 7]}]}}`,
		`{"purpose": {"a": 1}, "query": {"credentials": {"x": 1}}}`,
		`{"issuer": "did:web:bewijs.example:o:gemeente-utrecht", "vct": "urn:nl:sociaaldomein:zorgtoewijzing:1", "now": "2026-11-29T10:00:00Z", "roles": [{"issuer": "did:web:bewijs.example:o:ketenbureau", "subject": "did:web:bewijs.example:o:gemeente-utrecht", "role": "gemeente", "status": "valid", "valid_from": "2026-01-01T00:00:00Z", "valid_until": "2027-01-01T00:00:00Z"}, 7]}`,
		`{"role": {"issuer": "did:web:h:o:ketenbureau", "role": "gemeente", "valid_from": 1}, "now": "2026-11-29T10:00:00Z", "expect": {"role": null}}`,
		`{"gemeente": {"did": "did:web:h:o:gemeente-amsterdam"}, "holder": "did:web:h:o:thuiszorg-de-linde", "now": "2026-11-29T10:00:00+01:00", "role": {"issuer": "did:web:h:o:ketenbureau", "subject": "did:web:h:o:thuiszorg-de-linde", "role": "zorgaanbieder", "agb": "98000101", "wetten": ["Wmo2015", 1], "valid_from": "2026-01-01T00:00:00Z", "valid_until": "2027-01-01T00:00:00Z", "status": "valid"}, "toewijzingen": [{"issuer": "did:web:h:o:gemeente-amsterdam", "subject": "did:web:h:o:thuiszorg-de-linde", "toewijzingnummer": 36300101, "wet": "Wmo2015", "aanbieder_agb": "98000101", "ingangsdatum": "2026-02-01", "einddatum": null, "status": "valid"}, null, {"toewijzingnummer": 1e9}]}`,
		`{"holder": "did:web:h:o:x", "covered": [36300101, "a"], "toewijzing": {"toewijzingnummer": 36300101, "subject": "did:web:h:o:x", "status": "valid", "ingangsdatum": "2026-02-01", "product": "01", "omvang": {"volume": 180, "eenheid": "01", "frequentie": "2"}}, "declaratie": {"toewijzingnummer": 36300101, "productcategorie": "01", "productcode": "01A01", "begindatum": "2026-03-08", "einddatum": "2026-03-02", "geleverdVolume": 1e3, "eenheid": "01", "bedrag": -0.5}, "declared_before": {"volume": "0", "in_period": {"volume": 2e400}}}`,
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
		for _, r := range []struct{ policy, rule string }{
			{"trust", "decision"}, {"trust", "role_decision"}, {"requests", "decision"}, {"pid", "decision"},
			{"declareren", "decision"}, {"declareren", "token_decision"}, {"declareren", "declaratie_decision"},
		} {
			d, err := e.DecideRule(t.Context(), r.policy, r.rule, input)
			if err != nil {
				t.Fatalf("%s.%s on %s: %v", r.policy, r.rule, data, err)
			}
			if !d.Allow && len(d.Reasons) == 0 {
				t.Fatalf("%s.%s denied %s without a reason", r.policy, r.rule, data)
			}
		}
	})
}
