package policies

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
)

const (
	amsterdamDID = "did:web:bewijs.example:o:gemeente-amsterdam"
	vctZorgtoe   = "urn:nl:sociaaldomein:zorgtoewijzing:1"
)

// zorgaanbiederRole is Thuiszorg De Linde's OrganisatieRol credential, as the Go side passes it.
func zorgaanbiederRole() map[string]any {
	return map[string]any{
		"issuer": anchorDID, "subject": lindeDID, "role": "zorgaanbieder", "agb": "98000101",
		"wetten": []any{"Wmo2015"}, "status": "valid",
		"valid_from": "2026-01-01T00:00:00Z", "valid_until": "2027-01-01T00:00:00Z",
	}
}

// zorgtoewijzing is toewijzing number n of fixture 01 (180 minuten per week) for De Linde.
func zorgtoewijzing(n int) map[string]any {
	return map[string]any{
		"issuer": amsterdamDID, "subject": lindeDID, "toewijzingnummer": n, "wet": "Wmo2015",
		"aanbieder_agb": "98000101", "product": map[string]any{"categorie": "01", "code": "01A01"},
		"ingangsdatum": "2026-02-01", "einddatum": "2027-01-31",
		"omvang": map[string]any{"volume": 180, "eenheid": "01", "frequentie": "2"}, "status": "valid",
	}
}

func tokenInput(toewijzingen ...any) map[string]any {
	return map[string]any{
		"gemeente": map[string]any{"did": amsterdamDID, "gemeentecode": "0363"},
		"holder":   lindeDID, "now": "2026-11-29T10:00:00Z",
		"role": zorgaanbiederRole(), "toewijzingen": toewijzingen,
	}
}

func declaratieInput(geleverd, before int) map[string]any {
	return map[string]any{
		"now": "2026-11-29T10:00:00Z", "holder": lindeDID, "covered": []any{36300101},
		"toewijzing": zorgtoewijzing(36300101),
		"declaratie": map[string]any{
			"toewijzingnummer": 36300101, "productcategorie": "01", "productcode": "01A01",
			"begindatum": "2026-03-02", "einddatum": "2026-03-08", "geleverdVolume": geleverd,
			"eenheid": "01", "bedrag": 4500,
		},
		"declared_before": map[string]any{"volume": 0, "in_period": map[string]any{"volume": before}},
	}
}

func TestDecideRuleDeclareren(t *testing.T) {
	e := newEmbedded(t)
	revoked := zorgtoewijzing(36300102)
	revoked["status"] = "revoked"
	noRole := tokenInput(zorgtoewijzing(36300101))
	delete(noRole, "role")
	cases := []struct {
		name    string
		rule    string
		input   any
		allow   bool
		reason  string
		covered []int
	}{
		{"ok - token covers the allocated toewijzingen", "token_decision", tokenInput(zorgtoewijzing(36300109), revoked, zorgtoewijzing(36300101)), true, "toewijzing 36300102 (credential #1) is not covered: its status is \"revoked\"", []int{36300101, 36300109}},
		{"ok - decision is the token decision", "decision", tokenInput(zorgtoewijzing(36300101)), true, "toewijzing 36300101 (credential #0) is covered", []int{36300101}},
		{"ok - declaratie within the weekly omvang", "declaratie_decision", declaratieInput(150, 30), true, "cumulative volume 180 is within the omvang 180 per week", nil},
		{"error - token without role", "token_decision", noRole, false, "no OrganisatieRol credential: input.role is missing", []int{}},
		{"error - token with only a revoked toewijzing", "token_decision", tokenInput(revoked), false, "no toewijzing of the gemeente", []int{}},
		{"error - declaratie over the weekly omvang", "declaratie_decision", declaratieInput(150, 60), false, "cumulative volume 210 exceeds the omvang 180 per week (60 declared before, 150 now)", nil},
		{"error - empty input", "token_decision", map[string]any{}, false, "input.now (none) is missing or not an RFC 3339 time", []int{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, err := e.DecideRule(t.Context(), "declareren", tc.rule, tc.input)

			if err != nil {
				t.Fatal(err)
			}
			if d.Allow != tc.allow || !hasReasonContaining(d, tc.reason) {
				t.Errorf("decision %+v, want allow %v with a reason containing %q", d, tc.allow, tc.reason)
			}
			if d.Policy != "declareren" || d.Revision != e.Revision() {
				t.Errorf("policy %q revision %q, want declareren and %q", d.Policy, d.Revision, e.Revision())
			}
			if got := covered(t, d); tc.covered != nil && !slices.Equal(got, tc.covered) || tc.covered == nil && got != nil {
				t.Errorf("covered = %v, want %v", got, tc.covered)
			}
		})
	}
}

// covered reads Details["covered"] of a token decision; nil when there is none.
func covered(t *testing.T, d Decision) []int {
	t.Helper()
	raw, ok := d.Details["covered"]
	if !ok {
		return nil
	}
	out := []int{}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("covered %s: %v", raw, err)
	}
	return out
}

// Decide asks the token question of declareren, with covered in Details.
func TestDecideDeclareren(t *testing.T) {
	e := newEmbedded(t)

	d := mustDecide(t, e, "declareren", tokenInput(zorgtoewijzing(36300101)))

	if !d.Allow || !slices.Equal(covered(t, d), []int{36300101}) {
		t.Errorf("decision %+v, want allow covering 36300101", d)
	}
	if trust := mustDecide(t, e, "trust", trustInput{utrechtDID, vctWmo, ""}); trust.Details != nil {
		t.Errorf("trust details = %v, want none", trust.Details)
	}
}

func TestDecideRuleTrustRole(t *testing.T) {
	e := newEmbedded(t)
	gemeenteRole := map[string]any{
		"issuer": anchorDID, "subject": amsterdamDID, "role": "gemeente", "status": "valid",
		"valid_from": "2026-01-01T00:00:00Z", "valid_until": "2027-01-01T00:00:00Z",
	}
	cases := []struct {
		name   string
		rule   string
		input  map[string]any
		allow  bool
		reason string
	}{
		{"ok - gemeente role", "role_decision", map[string]any{"role": gemeenteRole, "now": "2026-11-29T10:00:00Z", "expect": map[string]any{"role": "gemeente", "subject": amsterdamDID}}, true, "gives \"" + amsterdamDID + "\" the role \"gemeente\""},
		{"ok - zorgaanbieder role", "role_decision", map[string]any{"role": zorgaanbiederRole(), "now": "2026-11-29T10:00:00Z", "expect": map[string]any{"role": "zorgaanbieder"}}, true, "the role \"zorgaanbieder\""},
		{"ok - zorgtoewijzing from a gemeente with its role", "decision", map[string]any{"issuer": amsterdamDID, "vct": vctZorgtoe, "roles": []any{gemeenteRole}, "now": "2026-11-29T10:00:00Z"}, true, "role credential #0 of trust anchor"},
		{"error - expired role", "role_decision", map[string]any{"role": gemeenteRole, "now": "2027-01-01T00:00:00Z"}, false, "it expired at 2027-01-01T00:00:00Z"},
		{"error - zorgaanbieder role for a gemeente", "role_decision", map[string]any{"role": zorgaanbiederRole(), "now": "2026-11-29T10:00:00Z", "expect": map[string]any{"role": "gemeente"}}, false, "the role credential's role is \"zorgaanbieder\", not \"gemeente\""},
		{"error - zorgtoewijzing from a gemeente without role", "decision", map[string]any{"issuer": amsterdamDID, "vct": vctZorgtoe, "roles": []any{}, "now": "2026-11-29T10:00:00Z"}, false, "input.roles has none"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, err := e.DecideRule(t.Context(), "trust", tc.rule, tc.input)

			if err != nil {
				t.Fatal(err)
			}
			if d.Allow != tc.allow || !hasReasonContaining(d, tc.reason) {
				t.Errorf("decision %+v, want allow %v with a reason containing %q", d, tc.allow, tc.reason)
			}
		})
	}
}

func TestDecideRuleErrors(t *testing.T) {
	e := newEmbedded(t)
	cases := []struct {
		name   string
		policy string
		rule   string
		want   error
		text   string
	}{
		{"error - unknown policy", "zorgkantoor", "decision", ErrUnknownPolicy, `"zorgkantoor"`},
		{"error - rule that is not a decision rule", "declareren", "covered", ErrUnknownPolicy, "no decision rule covered"},
		{"error - decision rule of another policy", "trust", "token_decision", ErrUnknownPolicy, "no decision rule token_decision"},
		{"error - no rule", "declareren", "", ErrUnknownPolicy, "no decision rule"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.DecideRule(t.Context(), tc.policy, tc.rule, map[string]any{})

			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.text) {
				t.Errorf("DecideRule() = %v, want %v containing %q", err, tc.want, tc.text)
			}
		})
	}
}
