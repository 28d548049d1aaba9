package policies

import "testing"

// BenchmarkDecideTrust measures one trust decision with the prepared query of the embedded set.
func BenchmarkDecideTrust(b *testing.B) {
	e := newEmbedded(b)
	input := map[string]any{"issuer": utrechtDID, "vct": vctWmo, "issuer_kind": "gemeente"}
	b.ReportAllocs()
	for b.Loop() {
		if d, err := e.Decide(b.Context(), "trust", input); err != nil || !d.Allow {
			b.Fatal(d, err)
		}
	}
}

func BenchmarkDecideTrustParallel(b *testing.B) {
	e := newEmbedded(b)
	input := map[string]any{"issuer": utrechtDID, "vct": vctWmo, "issuer_kind": "gemeente"}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if d, err := e.Decide(b.Context(), "trust", input); err != nil || !d.Allow {
				b.Error(d, err)
				return
			}
		}
	})
}

// BenchmarkDecideRequests measures a requests decision on the ten-claim zorgstart query.
func BenchmarkDecideRequests(b *testing.B) {
	e := newEmbedded(b)
	raw, err := e.NamedQuery(b.Context(), "zorgstart")
	if err != nil {
		b.Fatal(err)
	}
	query, err := parseInput(raw)
	if err != nil {
		b.Fatal(err)
	}
	input := map[string]any{"verifier": aanbieder, "purpose": "zorgstart", "query": query}
	b.ReportAllocs()
	for b.Loop() {
		if d, err := e.Decide(b.Context(), "requests", input); err != nil || !d.Allow {
			b.Fatal(d, err)
		}
	}
}

// BenchmarkLoad measures building the embedded set (parse, compile, Rego tests, prepare):
// the cost of New and of each reload.
func BenchmarkLoad(b *testing.B) {
	files, err := readFiles("")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := build(b.Context(), files); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecideToken measures a declareren token decision over 100 toewijzingen, half of them
// refused.
func BenchmarkDecideToken(b *testing.B) {
	e := newEmbedded(b)
	var toewijzingen []any
	for i := range 100 {
		t := zorgtoewijzing(36300100 + i)
		if i%2 == 1 {
			t["status"] = "revoked"
		}
		toewijzingen = append(toewijzingen, t)
	}
	input := tokenInput(toewijzingen...)
	b.ReportAllocs()
	for b.Loop() {
		if d, err := e.DecideRule(b.Context(), "declareren", "token_decision", input); err != nil || !d.Allow {
			b.Fatal(d, err)
		}
	}
}

// BenchmarkDecideDeclaratie measures one declareren declaratie decision.
func BenchmarkDecideDeclaratie(b *testing.B) {
	e := newEmbedded(b)
	input := declaratieInput(150, 30)
	b.ReportAllocs()
	for b.Loop() {
		if d, err := e.DecideRule(b.Context(), "declareren", "declaratie_decision", input); err != nil || !d.Allow {
			b.Fatal(d, err)
		}
	}
}
