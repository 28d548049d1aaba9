package toewijzing

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/internal/fixtures"
)

func TestValidate_Fixtures(t *testing.T) {
	// At 2026-11-29 the fixtures whose einddatum has passed (06b, 07, 09, 10) and the
	// verwijderde 11 are refused as already ended; the others are current.
	ended := map[string]bool{
		fx06b: true, fx07: true, fx11: true,
		"09-jw-verblijf-etmalen-totaal.json":        true,
		"10-jw-ggz-stuks-inspanning-per-maand.json": true,
	}
	for _, name := range fixtureNames(t) {
		t.Run(name, func(t *testing.T) {
			doc := parseFixture(t, name)
			err := doc.Validate(ValidateOptions{Now: at(2026, 11, 29), Gemeentecode: doc.Gemeente.Gemeentecode})
			if !ended[name] {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			var v *ValidationError
			if !errors.As(err, &v) || !v.OnlyEnded() {
				t.Fatalf("want only 'already ended', got %v", err)
			}
			if !doc.Producten[0].Ended(at(2026, 11, 29)()) {
				t.Error("Product.Ended = false")
			}
		})
	}
}

func TestValidate_Ended(t *testing.T) {
	tests := []struct {
		name      string
		fixture   string
		now       func() time.Time
		wantField string // "": valid
	}{
		{"ok - 06b before its early end", fx06b, at(2026, 3, 1), ""},
		{"ok - 06b on its last day", fx06b, at(2026, 6, 30), ""},
		{"error - 06b the day after", fx06b, at(2026, 7, 1), "toegewezenProduct.einddatum"},
		{"ok - 06a after 06b's end", fx06a, at(2026, 11, 29), ""},
		{"error - 11 verwijderd even before its date", fx11, at(2026, 2, 1), "toegewezenProduct.redenWijziging"},
		{"error - 11 verwijderd later", fx11, at(2026, 11, 29), "toegewezenProduct.redenWijziging"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := parseFixture(t, tt.fixture)
			err := doc.Validate(ValidateOptions{Now: tt.now, Gemeentecode: doc.Gemeente.Gemeentecode})
			if tt.wantField == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if got := fieldsOf(t, err); !slices.Contains(got, tt.wantField) {
				t.Fatalf("fields %q do not name %q", got, tt.wantField)
			}
			if !err.(*ValidationError).OnlyEnded() {
				t.Errorf("OnlyEnded = false for %v", err)
			}
		})
	}
}

func TestValidate_InvalidBSNs(t *testing.T) {
	_, invalid, err := fixtures.Burgers()
	if err != nil || len(invalid) == 0 {
		t.Fatalf("no invalid BSNs in fixtures: %v", err)
	}
	for _, bad := range invalid {
		t.Run("error - "+bad.Reason, func(t *testing.T) {
			body := mutate(t, fx01, func(m map[string]any) { obj(m, "client")["bsn"] = bad.BSN })
			err := parseAndValidate(body, ValidateOptions{Now: at(2026, 11, 29), Gemeentecode: "0363"})
			if got := fieldsOf(t, err); !slices.Equal(got, []string{"client.bsn"}) {
				t.Fatalf("fields = %q, want [client.bsn]", got)
			}
			assertNoValue(t, err, bad.BSN)
		})
	}
}

func TestValidate_Negatives(t *testing.T) {
	prod := func(m map[string]any) map[string]any { return obj(m, "toegewezenProduct") }
	tests := []struct {
		name       string
		fixture    string
		gemeente   string // issuing gemeentecode; "" = the fixture's own
		change     func(m map[string]any)
		wantFields []string
	}{
		{"error - unknown categorie for the wet", fx01, "", func(m map[string]any) {
			obj(m, "toegewezenProduct", "product")["categorie"] = "45"
		}, []string{"toegewezenProduct.product.categorie"}},
		{"error - jeugdwet categorie under jeugdwet is checked too", fx07, "", func(m map[string]any) {
			obj(m, "toegewezenProduct", "product")["categorie"] = "01"
		}, []string{"toegewezenProduct.product.categorie"}},
		{"error - unknown eenheid", fx01, "", func(m map[string]any) {
			obj(m, "toegewezenProduct", "omvang")["eenheid"] = "02"
		}, []string{"toegewezenProduct.omvang.eenheid"}},
		{"error - unknown frequentie (2.x per vier weken)", fx01, "", func(m map[string]any) {
			obj(m, "toegewezenProduct", "omvang")["frequentie"] = "3"
		}, []string{"toegewezenProduct.omvang.frequentie"}},
		{"error - productcode too long", fx01, "", func(m map[string]any) {
			obj(m, "toegewezenProduct", "product")["code"] = "01A01X"
		}, []string{"toegewezenProduct.product.code"}},
		{"error - einddatum before ingangsdatum (CS003)", fx01, "", func(m map[string]any) {
			prod(m)["einddatum"] = "2026-01-31"
		}, []string{"toegewezenProduct.einddatum"}},
		{"error - omvang missing with product code (CD041)", fx01, "", func(m map[string]any) {
			delete(prod(m), "omvang")
		}, []string{"toegewezenProduct.omvang"}},
		{"error - omvang and budget (CD077, CD078)", fx01, "", func(m map[string]any) {
			prod(m)["budget"] = 1000
		}, []string{"toegewezenProduct.budget"}},
		{"error - budget without einddatum (CD075)", fx12, "", func(m map[string]any) {
			delete(prod(m), "einddatum")
		}, []string{"toegewezenProduct.einddatum"}},
		{"error - frequentie 2 without einddatum (CD076)", fx01, "", func(m map[string]any) {
			delete(prod(m), "einddatum")
		}, []string{"toegewezenProduct.einddatum"}},
		{"error - no product and no budget (CD079)", fx01, "", func(m map[string]any) {
			delete(prod(m), "product")
		}, []string{"toegewezenProduct.product", "toegewezenProduct.omvang"}},
		{"error - omvang without product code (CD080)", fx01, "", func(m map[string]any) {
			delete(obj(m, "toegewezenProduct", "product"), "code")
		}, []string{"toegewezenProduct.omvang"}},
		{"error - etmaal per dag (CS338)", fx01, "", func(m map[string]any) {
			obj(m, "toegewezenProduct", "omvang")["eenheid"] = "14"
			obj(m, "toegewezenProduct", "omvang")["frequentie"] = "1"
		}, []string{"toegewezenProduct.omvang.frequentie"}},
		{"error - reden 01 (CS336)", fx01, "", func(m map[string]any) { prod(m)["redenWijziging"] = "01" },
			[]string{"toegewezenProduct.redenWijziging"}},
		{"error - reden unknown", fx01, "", func(m map[string]any) { prod(m)["redenWijziging"] = "15" },
			[]string{"toegewezenProduct.redenWijziging"}},
		{"error - reden 13 with a period (CS335)", fx01, "", func(m map[string]any) { prod(m)["redenWijziging"] = "13" },
			[]string{"toegewezenProduct.redenWijziging"}},
		{"error - another gemeente's gemeentecode", fx01, "0599", nil, []string{"gemeente.gemeentecode"}},
		{"error - gemeentecode not 4 digits", fx01, "363", func(m map[string]any) {
			obj(m, "gemeente")["gemeentecode"] = "363"
			obj(m, "bericht")["afzender"] = "363"
		}, []string{"gemeente.gemeentecode"}},
		{"error - AGB 7 digits", fx01, "", func(m map[string]any) {
			obj(m, "aanbieder")["agbCode"] = "9800010"
			obj(m, "bericht")["ontvanger"] = "9800010"
		}, []string{"aanbieder.agbCode"}},
		{"error - ingangsdatum not ISO", fx01, "", func(m map[string]any) { prod(m)["ingangsdatum"] = "01-02-2026" },
			[]string{"toegewezenProduct.ingangsdatum"}},
		{"error - einddatum without leading zeros", fx01, "", func(m map[string]any) { prod(m)["einddatum"] = "2027-1-31" },
			[]string{"toegewezenProduct.einddatum"}},
		{"error - date that does not exist", fx01, "", func(m map[string]any) { prod(m)["toewijzingsdatum"] = "2026-02-30" },
			[]string{"toegewezenProduct.toewijzingsdatum"}},
		{"error - date with time zone (RS032)", fx01, "", func(m map[string]any) { prod(m)["ingangsdatum"] = "2026-02-01Z" },
			[]string{"toegewezenProduct.ingangsdatum"}},
		{"error - time with zone (RS034)", fx01, "", func(m map[string]any) { prod(m)["toewijzingstijd"] = "10:04:31Z" },
			[]string{"toegewezenProduct.toewijzingstijd"}},
		{"error - toewijzingNummer too large", fx01, "", func(m map[string]any) { prod(m)["toewijzingNummer"] = 1_000_000_000 },
			[]string{"toegewezenProduct.toewijzingNummer"}},
		{"error - negative volume", fx01, "", func(m map[string]any) { obj(m, "toegewezenProduct", "omvang")["volume"] = -1 },
			[]string{"toegewezenProduct.omvang.volume"}},
		{"error - budget too large", fx12, "", func(m map[string]any) { prod(m)["budget"] = 100_000_000 },
			[]string{"toegewezenProduct.budget"}},
		{"error - unknown wet", fx01, "", func(m map[string]any) { m["wet"] = "Wlz" }, []string{"wet"}},
		{"error - birth date in the future", fx01, "", func(m map[string]any) {
			obj(m, "client", "geboortedatum")["datum"] = "2027-01-01"
		}, []string{"client.geboortedatum.datum"}},
		{"error - voorletters with a dot (RS045)", fx01, "", func(m map[string]any) {
			obj(m, "client", "naam")["voorletters"] = "J."
		}, []string{"client.naam.voorletters"}},
		{"error - achternaam only spaces (RS033)", fx01, "", func(m map[string]any) {
			obj(m, "client", "naam", "geslachtsnaam")["achternaam"] = "   "
		}, []string{"client.naam.geslachtsnaam.achternaam"}},
		{"error - naamGebruik 6 for a client (CS318)", fx01, "", func(m map[string]any) {
			obj(m, "client", "naam")["naamGebruik"] = "6"
		}, []string{"client.naam.naamGebruik"}},
		{"error - bericht from another gemeente", fx01, "", func(m map[string]any) { obj(m, "bericht")["afzender"] = "0599" },
			[]string{"bericht.afzender"}},
		{"error - bericht code of the other wet", fx01, "", func(m map[string]any) { obj(m, "bericht")["berichtCode"] = "436" },
			[]string{"bericht.berichtCode"}},
		{"error - bericht version 2.4", fx01, "", func(m map[string]any) { obj(m, "bericht")["berichtSubversie"] = 4 },
			[]string{"bericht.berichtSubversie"}},
		{"error - did that is not a DID", fx01, "", func(m map[string]any) { obj(m, "gemeente")["did"] = "https://x" },
			[]string{"gemeente.did"}},
		{"error - beschikkingNummer too long", fx01, "", func(m map[string]any) {
			m["beschikkingNummer"] = "0123456789012345678901234567890123456"
		}, []string{"beschikkingNummer"}},
		{"error - every invalid field is listed", fx01, "", func(m map[string]any) {
			obj(m, "client")["bsn"] = "999990011"
			obj(m, "aanbieder")["naam"] = ""
			obj(m, "toegewezenProduct", "omvang")["eenheid"] = "99"
		}, []string{"client.bsn", "aanbieder.naam", "toegewezenProduct.omvang.eenheid"}},
		{"error - unknown top-level key", fx01, "", func(m map[string]any) { m["opmerking"] = "x" }, []string{"opmerking"}},
		{"error - both toegewezenProduct and toegewezenProducten", fx01, "", func(m map[string]any) {
			m["toegewezenProducten"] = []any{prod(m)}
		}, []string{"toegewezenProducten"}},
		{"error - duplicate toewijzingNummer", fx01, "", func(m map[string]any) {
			p := prod(m)
			delete(m, "toegewezenProduct")
			m["toegewezenProducten"] = []any{p, p}
		}, []string{"toegewezenProducten[1].toewijzingNummer"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := mutate(t, tt.fixture, tt.change)
			gemeente := tt.gemeente
			if gemeente == "" {
				gemeente = parseFixture(t, tt.fixture).Gemeente.Gemeentecode
			}
			err := parseAndValidate(body, ValidateOptions{Now: at(2026, 3, 1), Gemeentecode: gemeente})
			if err == nil {
				t.Fatal("accepted")
			}
			got := fieldsOf(t, err)
			for _, f := range tt.wantFields {
				if !slices.Contains(got, f) {
					t.Errorf("fields %q do not name %q", got, f)
				}
			}
			if len(got) != len(tt.wantFields) {
				t.Errorf("fields %q, want exactly %q", got, tt.wantFields)
			}
			doc := parseFixture(t, tt.fixture)
			assertNoValue(t, err, doc.Client.BSN, "999990011", doc.Client.Naam.Geslachtsnaam.Achternaam)
			if err.(*ValidationError).OnlyEnded() {
				t.Error("OnlyEnded = true for bad input")
			}
		})
	}
}

func TestValidate_MissingGemeenteOption(t *testing.T) {
	doc := parseFixture(t, fx01)
	err := doc.Validate(ValidateOptions{Now: at(2026, 3, 1)})
	if got := fieldsOf(t, err); !slices.Equal(got, []string{"gemeente.gemeentecode"}) {
		t.Fatalf("fields = %q", got)
	}
}
