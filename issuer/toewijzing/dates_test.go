package toewijzing

import (
	"testing"
	"time"
)

func TestValidity(t *testing.T) {
	tests := []struct {
		name               string
		ingang, eind       string
		wantNbf, wantExp   string // RFC 3339 with the Amsterdam offset; wantExp "" = no end
		wantHasEnd         bool
		wantExpAmsterdamTZ string
	}{
		{"ok - winter end", "2026-02-01", "2027-01-31", "2026-02-01T00:00:00+01:00", "2027-02-01T00:00:00+01:00", true, "+01:00"},
		{"ok - summer end", "2026-05-01", "2026-07-31", "2026-05-01T00:00:00+02:00", "2026-08-01T00:00:00+02:00", true, "+02:00"},
		{"ok - end the day before summer time starts", "2026-03-01", "2026-03-28", "2026-03-01T00:00:00+01:00", "2026-03-29T00:00:00+01:00", true, "+01:00"},
		{"ok - end on the day summer time starts", "2026-03-01", "2026-03-29", "2026-03-01T00:00:00+01:00", "2026-03-30T00:00:00+02:00", true, "+02:00"},
		{"ok - end on the day winter time starts", "2026-03-01", "2026-10-25", "2026-03-01T00:00:00+01:00", "2026-10-26T00:00:00+01:00", true, "+01:00"},
		{"ok - single day", "2026-03-01", "2026-03-01", "2026-03-01T00:00:00+01:00", "2026-03-02T00:00:00+01:00", true, "+01:00"},
		{"ok - no einddatum", "2026-06-15", "", "2026-06-15T00:00:00+02:00", "", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nbf, exp, hasEnd := Validity(Product{Ingangsdatum: tt.ingang, Einddatum: tt.eind})
			if hasEnd != tt.wantHasEnd {
				t.Fatalf("hasEnd = %v", hasEnd)
			}
			if got := nbf.Format(time.RFC3339); got != tt.wantNbf {
				t.Errorf("nbf = %s, want %s", got, tt.wantNbf)
			}
			if !hasEnd {
				if !exp.IsZero() {
					t.Errorf("exp = %v, want zero", exp)
				}
				return
			}
			if got := exp.Format(time.RFC3339); got != tt.wantExp {
				t.Errorf("exp = %s, want %s", got, tt.wantExp)
			}
			want, _ := time.Parse(time.RFC3339, tt.wantExp)
			if !exp.Equal(want) {
				t.Errorf("exp instant %v, want %v", exp.UTC(), want.UTC())
			}
		})
	}
}

func TestProduct_Ended(t *testing.T) {
	p := Product{Ingangsdatum: "2026-01-01", Einddatum: "2026-06-30"}
	tests := []struct {
		name string
		p    Product
		now  time.Time
		want bool
	}{
		{"ok - last day, late evening in Amsterdam", p, time.Date(2026, 6, 30, 21, 30, 0, 0, time.UTC), false},
		{"ended - 00:30 the next day in Amsterdam, still 30 June in UTC", p, time.Date(2026, 6, 30, 22, 30, 0, 0, time.UTC), true},
		{"ok - no einddatum", Product{Ingangsdatum: "2026-01-01"}, time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), false},
		{"ended - verwijderd in the future", Product{Ingangsdatum: "2027-01-01", Einddatum: "2027-01-01", RedenWijziging: "13"},
			time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.Ended(tt.now); got != tt.want {
				t.Errorf("Ended = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestValidate_EndedUsesAmsterdamDay(t *testing.T) {
	doc := parseFixture(t, fx06b) // einddatum 2026-06-30
	tests := []struct {
		name  string
		now   time.Time
		valid bool
	}{
		{"ok - 23:59 Amsterdam on the last day", time.Date(2026, 6, 30, 21, 59, 0, 0, time.UTC), true},
		{"error - 00:01 Amsterdam the next day", time.Date(2026, 6, 30, 22, 1, 0, 0, time.UTC), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := doc.Validate(ValidateOptions{Now: func() time.Time { return tt.now }, Gemeentecode: "0599"})
			if (err == nil) != tt.valid {
				t.Errorf("Validate = %v, want valid %v", err, tt.valid)
			}
		})
	}
}

func TestToegewezenOp(t *testing.T) {
	a, b := parseFixture(t, fx06a), parseFixture(t, fx06b)
	ta, okA := a.Producten[0].ToegewezenOp()
	tb, okB := b.Producten[0].ToegewezenOp()
	if !okA || !okB {
		t.Fatal("toewijzingsdatum/-tijd not read")
	}
	// OP033x1: the version with the latest Toewijzingsdatum + Toewijzingstijd leads.
	if !tb.After(ta) {
		t.Errorf("06b (%v) is not later than 06a (%v)", tb, ta)
	}
	if got := tb.Format(time.RFC3339); got != "2026-06-10T14:30:02+02:00" {
		t.Errorf("06b ToegewezenOp = %s", got)
	}
	if _, ok := (Product{Toewijzingsdatum: "2026-06-10", Toewijzingstijd: "14:30"}).ToegewezenOp(); ok {
		t.Error("hh:mm accepted")
	}
}

func TestCodeNames(t *testing.T) {
	tests := []struct {
		name   string
		lookup func() (string, bool)
		want   string
		wantOK bool
	}{
		{"ok - Wmo categorie", func() (string, bool) { return CategorieNaam(WetWmo, "01") }, "Hulp bij het huishouden", true},
		{"ok - Jeugdwet categorie", func() (string, bool) { return CategorieNaam(WetJeugdwet, "45") }, "Jeugdhulp ambulant", true},
		{"error - Wmo code under Jeugdwet", func() (string, bool) { return CategorieNaam(WetJeugdwet, "01") }, "", false},
		{"ok - eenheid", func() (string, bool) { return EenheidNaam("04") }, "Uur", true},
		{"error - old eenheid", func() (string, bool) { return EenheidNaam("02") }, "", false},
		{"ok - frequentie", func() (string, bool) { return FrequentieNaam("2") }, "Per week", true},
		{"error - 2.x frequentie", func() (string, bool) { return FrequentieNaam("5") }, "", false},
		{"ok - reden", func() (string, bool) { return RedenWijzigingNaam("13") }, "Verwijderd", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.lookup()
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("got %q, %v; want %q, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}
