package toewijzing

import (
	"encoding/json"
	"strings"
	"testing"
)

// leaves calls visit for every non-object value under m, with its path.
func leaves(m map[string]any, prefix []string, visit func(path []string, v any)) {
	for k, v := range m {
		path := append(append([]string(nil), prefix...), k)
		if sub, ok := v.(map[string]any); ok {
			leaves(sub, path, visit)
			continue
		}
		visit(path, v)
	}
}

func TestClaims_ThreeProducts(t *testing.T) {
	body := mutate(t, fx01, func(m map[string]any) {
		p := obj(m, "toegewezenProduct")
		delete(m, "toegewezenProduct")
		second := map[string]any{"toewijzingNummer": 36300102, "product": map[string]any{"categorie": "02", "code": "02A05"},
			"toewijzingsdatum": "2026-01-12", "toewijzingstijd": "10:04:31", "ingangsdatum": "2026-02-01", "einddatum": "2026-12-31",
			"omvang": map[string]any{"volume": 4, "eenheid": "04", "frequentie": "2"}}
		third := map[string]any{"toewijzingNummer": 36300103, "product": map[string]any{"categorie": "14"},
			"toewijzingsdatum": "2026-01-12", "toewijzingstijd": "10:04:31", "ingangsdatum": "2026-03-01", "einddatum": "2026-12-31",
			"budget": 125000}
		m["toegewezenProducten"] = []any{p, second, third}
	})
	doc, err := Parse(body)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(ValidateOptions{Now: at(2026, 3, 1), Gemeentecode: "0363"}); err != nil {
		t.Fatal(err)
	}
	want := []struct {
		nummer   int
		hasOmvng bool
		budget   any
	}{{36300101, true, nil}, {36300102, true, nil}, {36300103, false, 125000}}
	for i, p := range doc.Producten {
		c := doc.Claims(p, "2026-000123")
		if c["toewijzingnummer"] != want[i].nummer {
			t.Errorf("product %d: toewijzingnummer = %v", i, c["toewijzingnummer"])
		}
		if _, ok := c["omvang"]; ok != want[i].hasOmvng {
			t.Errorf("product %d: omvang present = %v", i, ok)
		}
		if c["budget"] != want[i].budget {
			t.Errorf("product %d: budget = %v", i, c["budget"])
		}
		if a := c["aanbieder"].(map[string]any); a["agb"] != "98000101" || a["naam"] != "Thuiszorg De Linde B.V." {
			t.Errorf("product %d: aanbieder = %v", i, a)
		}
		if c["beschikkingnummer"] != "2026-000123" {
			t.Errorf("product %d: beschikkingnummer = %v", i, c["beschikkingnummer"])
		}
	}
}

func TestClaims_Leaves(t *testing.T) {
	for _, name := range fixtureNames(t) {
		t.Run(name, func(t *testing.T) {
			doc := parseFixture(t, name)
			meta := metadataClaims(t, VCT(doc.Wet))
			for _, p := range doc.Producten {
				claims := doc.Claims(p, "")
				for _, reserved := range []string{"iss", "iat", "nbf", "exp", "cnf", "status", "vct", "sub"} {
					if _, ok := claims[reserved]; ok {
						t.Errorf("claims carry the reserved %q", reserved)
					}
				}
				seen := map[string]bool{}
				leaves(claims, nil, func(path []string, v any) {
					key := strings.Join(path, ".")
					seen[key] = true
					switch v := v.(type) {
					case string:
						if v == "" {
							t.Errorf("%s is an empty string; absent values are omitted", key)
						}
					case int, float64, bool:
					default:
						t.Errorf("%s is a %T; only string, number and boolean leaves are allowed", key, v)
					}
					m, ok := meta[key]
					if !ok {
						t.Errorf("%s has no claim in the type metadata", key)
						return
					}
					if want := map[bool]string{true: "always", false: "never"}[Disclosable(path)]; m.SD != want {
						t.Errorf("%s: metadata sd %q, Disclosable says %q", key, m.SD, want)
					}
				})
				for key, m := range meta {
					if m.Mandatory && !seen[key] {
						t.Errorf("mandatory %s is missing", key)
					}
				}
			}
		})
	}
}

func TestClaims_Aspecifiek(t *testing.T) {
	doc := parseFixture(t, fx12)
	c := doc.Claims(doc.Producten[0], "")
	if _, ok := c["beschikkingnummer"]; ok {
		t.Error("empty beschikkingnummer is present")
	}
	product := c["product"].(map[string]any)
	if _, ok := product["code"]; ok {
		t.Error("absent product code is present")
	}
	if product["categorie"] != "54" || product["omschrijving"] != "Jeugd-ggz" {
		t.Errorf("product = %v", product)
	}
	if c["budget"] != 450000 {
		t.Errorf("budget = %v", c["budget"])
	}
	if _, ok := c["omvang"]; ok {
		t.Error("omvang present without omvang")
	}
}

func TestDisclosable(t *testing.T) {
	tests := []struct {
		path []string
		want bool
	}{
		{[]string{"client"}, true},
		{[]string{"client", "bsn"}, true},
		{[]string{"client", "naam"}, true},
		{[]string{"client", "naam", "achternaam"}, true},
		{[]string{"client", "geboortedatum"}, true},
		{[]string{"omvang"}, true},
		{[]string{"omvang", "volume"}, true},
		{[]string{"budget"}, true},
		{[]string{"beschikkingnummer"}, true},
		{[]string{"referentieaanbieder"}, true},
		{[]string{"gemeente"}, false},
		{[]string{"gemeente", "code"}, false},
		{[]string{"wet"}, false},
		{[]string{"toewijzingnummer"}, false},
		{[]string{"product"}, false},
		{[]string{"product", "categorie"}, false},
		{[]string{"product", "code"}, false},
		{[]string{"ingangsdatum"}, false},
		{[]string{"einddatum"}, false},
		{[]string{"aanbieder", "agb"}, false},
		{[]string{"vct"}, false},
		{[]string{"cnf"}, false},
		{[]string{"status"}, false},
		{nil, false},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.path, "."), func(t *testing.T) {
			if got := Disclosable(tt.path); got != tt.want {
				t.Errorf("Disclosable(%q) = %v, want %v", tt.path, got, tt.want)
			}
		})
	}
}

func TestClaims_Golden(t *testing.T) {
	doc := parseFixture(t, fx01)
	got, err := json.MarshalIndent(doc.Claims(doc.Producten[0], "2026-000123"), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "claims-01.golden.json", append(got, '\n'))
}

func TestVCT(t *testing.T) {
	tests := []struct{ wet, want string }{
		{WetWmo, "urn:nl:sociaaldomein:wmo:toewijzing:1"},
		{WetJeugdwet, "urn:nl:sociaaldomein:jeugdwet:toewijzing:1"},
		{"Wlz", ""},
	}
	for _, tt := range tests {
		if got := VCT(tt.wet); got != tt.want {
			t.Errorf("VCT(%q) = %q, want %q", tt.wet, got, tt.want)
		}
	}
}

// TestClaims_MetadataMatchesLeaves: the fixtures plus one document with every optional
// element produce exactly the leaf paths the type metadata lists, no more and no fewer.
func TestClaims_MetadataMatchesLeaves(t *testing.T) {
	full := mutate(t, "02-wmo-begeleiding-uren-per-week-na-vot.json", func(m map[string]any) {
		obj(m, "client", "geboortedatum")["datumGebruik"] = "1"
		obj(m, "client", "naam", "geslachtsnaam")["voorvoegsel"] = "van"
	})
	docs := []Document{}
	for _, name := range fixtureNames(t) {
		docs = append(docs, parseFixture(t, name))
	}
	doc, err := Parse(full)
	if err != nil {
		t.Fatal(err)
	}
	docs = append(docs, doc)
	for _, wet := range []string{WetWmo, WetJeugdwet} {
		t.Run(wet, func(t *testing.T) {
			produced := map[string]bool{}
			for _, d := range docs {
				for _, p := range d.Producten {
					leaves(d.Claims(p, "1"), nil, func(path []string, _ any) { produced[strings.Join(path, ".")] = true })
				}
			}
			for key := range metadataClaims(t, VCT(wet)) {
				if !produced[key] {
					t.Errorf("type metadata lists %s, which no claims produce", key)
				}
				delete(produced, key)
			}
			for key := range produced {
				t.Errorf("claims produce %s, which the type metadata does not list", key)
			}
		})
	}
}
