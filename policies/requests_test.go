package policies

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"
)

var (
	aanbieder = map[string]any{"did": lindeDID, "kind": "aanbieder", "slug": "thuiszorg-de-linde"}
	gemeente  = map[string]any{"did": utrechtDID, "kind": "gemeente", "slug": "gemeente-utrecht"}
)

// dcql is a DCQL query (OpenID4VP 1.0 §6) for one Wmo toewijzing with the given claim paths.
func dcql(paths ...[]any) map[string]any {
	claims := []any{}
	for _, p := range paths {
		claims = append(claims, map[string]any{"path": p})
	}
	return map[string]any{"credentials": []any{map[string]any{
		"id": "toewijzing", "format": "dc+sd-jwt",
		"meta":   map[string]any{"vct_values": []any{vctWmo}},
		"claims": claims,
	}}}
}

func TestDecideRequests(t *testing.T) {
	e := newEmbedded(t)
	zorgstart := namedQuery(t, e, "zorgstart")
	cases := []struct {
		name     string
		verifier map[string]any
		purpose  string
		query    any
		allow    bool
		reason   string
	}{
		{"ok - aanbieder sends the named zorgstart query", aanbieder, "zorgstart", zorgstart, true, `may ask for purpose "zorgstart"`},
		{"ok - gemeente asks BSN for declaratie-controle", gemeente, "declaratie-controle", dcql([]any{"client", "bsn"}), true, `purpose "declaratie-controle" allows client.bsn`},
		{"error - aanbieder asks BSN for zorgstart", aanbieder, "zorgstart", dcql([]any{"product", "code"}, []any{"client", "bsn"}), false, `asks for client.bsn (path client.bsn), which purpose "zorgstart" does not allow`},
		{"error - aanbieder asks the whole client object", aanbieder, "zorgstart", dcql([]any{"client"}), false, "asks for client.bsn (path client)"},
		{"error - aanbieder asks BSN for declaratie-controle", aanbieder, "declaratie-controle", dcql([]any{"client", "bsn"}), false, `kind "aanbieder" may not ask for purpose "declaratie-controle"`},
		{"error - unknown purpose", gemeente, "marketing", dcql([]any{"wet"}), false, `unknown purpose "marketing"`},
		{"error - empty query", aanbieder, "zorgstart", map[string]any{}, false, "query has no credentials"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			input := map[string]any{"verifier": tc.verifier, "purpose": tc.purpose, "query": tc.query}

			d := mustDecide(t, e, "requests", input)

			if d.Allow != tc.allow {
				t.Errorf("allow = %v, want %v (reasons %q)", d.Allow, tc.allow, d.Reasons)
			}
			if !hasReasonContaining(d, tc.reason) {
				t.Errorf("reasons %q lack %q", d.Reasons, tc.reason)
			}
		})
	}
}

func TestNamedQueryZorgstart(t *testing.T) {
	e := newEmbedded(t)

	q := namedQuery(t, e, "zorgstart")

	var parsed struct {
		Credentials []struct {
			ID     string `json:"id"`
			Format string `json:"format"`
			Meta   struct {
				VCTValues []string `json:"vct_values"`
			} `json:"meta"`
			Claims []struct {
				Path []any `json:"path"`
			} `json:"claims"`
		} `json:"credentials"`
	}
	raw, _ := json.Marshal(q)
	if err := json.Unmarshal(raw, &parsed); err != nil || len(parsed.Credentials) != 1 {
		t.Fatalf("zorgstart = %s (%v), want one credential query", raw, err)
	}
	cq := parsed.Credentials[0]
	if cq.ID != "toewijzing" || cq.Format != "dc+sd-jwt" || !slices.Equal(cq.Meta.VCTValues, []string{vctWmo, vctJeugdwet}) {
		t.Errorf("credential query = %+v", cq)
	}
	want := [][]any{{"gemeente", "code"}, {"gemeente", "naam"}, {"wet"}, {"toewijzingnummer"}, {"product", "categorie"},
		{"product", "code"}, {"ingangsdatum"}, {"einddatum"}, {"aanbieder", "agb"}, {"aanbieder", "naam"}}
	var got [][]any
	for _, c := range cq.Claims {
		got = append(got, c.Path)
		if len(c.Path) > 0 && (c.Path[0] == "client" || c.Path[0] == nil) {
			t.Errorf("zorgstart asks for client data: %v", c.Path)
		}
	}
	if !slices.EqualFunc(got, want, func(a, b []any) bool { return slices.Equal(a, b) }) {
		t.Errorf("claim paths = %v, want %v", got, want)
	}
}

func TestNamedQueryUnknown(t *testing.T) {
	e := newEmbedded(t)

	_, err := e.NamedQuery(t.Context(), "alles")

	if !errors.Is(err, ErrUnknownQuery) {
		t.Fatalf("err = %v, want ErrUnknownQuery", err)
	}
}

// The returned JSON is the caller's: changing it does not change the engine's copy.
func TestNamedQueryReturnsACopy(t *testing.T) {
	e := newEmbedded(t)
	first, err := e.NamedQuery(t.Context(), "zorgstart")
	if err != nil {
		t.Fatal(err)
	}
	clear(first)

	second, err := e.NamedQuery(t.Context(), "zorgstart")

	if err != nil || !json.Valid(second) {
		t.Fatalf("second NamedQuery = %q, %v", second, err)
	}
}

func namedQuery(t *testing.T, e *Engine, name string) map[string]any {
	t.Helper()
	raw, err := e.NamedQuery(t.Context(), name)
	if err != nil {
		t.Fatal(err)
	}
	var q map[string]any
	if err := json.Unmarshal(raw, &q); err != nil {
		t.Fatal(err)
	}
	return q
}
