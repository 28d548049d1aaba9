package toewijzing

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// metadataClaims parses TypeMetadata(vct) and indexes its claims by dotted path.
func metadataClaims(t *testing.T, vct string) map[string]claimMetadata {
	t.Helper()
	raw, err := TypeMetadata(vct)
	if err != nil {
		t.Fatalf("TypeMetadata(%q): %v", vct, err)
	}
	var doc typeMetadata
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	out := map[string]claimMetadata{}
	for _, c := range doc.Claims {
		out[strings.Join(c.Path, ".")] = c
	}
	return out
}

func TestTypeMetadata_Golden(t *testing.T) {
	tests := []struct{ vct, file string }{
		{VCTWmo, "typemetadata-wmo.golden.json"},
		{VCTJeugdwet, "typemetadata-jeugdwet.golden.json"},
	}
	for _, tt := range tests {
		t.Run(tt.vct, func(t *testing.T) {
			got, err := TypeMetadata(tt.vct)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, tt.file, append(got, '\n'))
		})
	}
}

func TestTypeMetadata_Structure(t *testing.T) {
	svgID := regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	for _, vct := range []string{VCTWmo, VCTJeugdwet} {
		t.Run(vct, func(t *testing.T) {
			raw, _ := TypeMetadata(vct)
			var doc typeMetadata
			if err := json.Unmarshal(raw, &doc); err != nil {
				t.Fatal(err)
			}
			// §4.2: vct REQUIRED; the NL Wallet also requires name, display and claims.
			if doc.VCT != vct || doc.Name == "" || len(doc.Claims) == 0 {
				t.Fatalf("vct/name/claims missing: %+v", doc)
			}
			locales := map[string]bool{}
			for _, d := range doc.Display {
				locales[d.Locale] = true
				if d.Name == "" || d.Rendering.Simple.BackgroundColor == "" || d.Rendering.Simple.TextColor == "" {
					t.Errorf("display %s incomplete", d.Locale)
				}
			}
			if !locales["nl-NL"] || !locales["en-US"] || len(locales) != len(doc.Display) {
				t.Errorf("display locales = %v", locales)
			}
			ids := map[string]bool{}
			for _, c := range doc.Claims {
				key := strings.Join(c.Path, ".")
				if len(c.Path) == 0 || (c.SD != "always" && c.SD != "never") {
					t.Errorf("%s: path or sd invalid", key)
				}
				if !svgID.MatchString(c.SVGID) || ids[c.SVGID] {
					t.Errorf("%s: svg_id %q not unique or not [A-Za-z0-9_]", key, c.SVGID)
				}
				ids[c.SVGID] = true
				if len(c.Display) != 2 || c.Display[0].Label == "" || c.Display[1].Label == "" ||
					c.Display[0].Locale != "nl-NL" || c.Display[1].Locale != "en-US" {
					t.Errorf("%s: display = %+v", key, c.Display)
				}
			}
			for _, d := range doc.Display {
				for _, ref := range regexp.MustCompile(`\{\{(\w+)\}\}`).FindAllStringSubmatch(d.Summary, -1) {
					if !ids[ref[1]] {
						t.Errorf("summary %s refers to unknown svg_id %s", d.Locale, ref[1])
					}
				}
			}
		})
	}
}

func TestTypeMetadata_UnknownVCT(t *testing.T) {
	if _, err := TypeMetadata("urn:nl:sociaaldomein:wlz:toewijzing:1"); err == nil {
		t.Fatal("want an error for an unknown vct")
	}
}

func TestTypeMetadata_CategorieList(t *testing.T) {
	tests := []struct{ vct, want string }{{VCTWmo, "WMO020"}, {VCTJeugdwet, "JZ020"}}
	for _, tt := range tests {
		c := metadataClaims(t, tt.vct)["product.categorie"]
		if !strings.Contains(c.Display[0].Description, tt.want) {
			t.Errorf("%s: categorie description %q does not name %s", tt.vct, c.Display[0].Description, tt.want)
		}
	}
}
