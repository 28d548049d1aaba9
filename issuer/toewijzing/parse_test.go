package toewijzing

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/sociaaldomein/bewijs/internal/fixtures"
)

func TestParse_Fixtures(t *testing.T) {
	for _, name := range fixtureNames(t) {
		t.Run(name, func(t *testing.T) {
			doc := parseFixture(t, name)
			if len(doc.Producten) != 1 || !doc.single {
				t.Fatalf("want the single toegewezenProduct as one product, got %d", len(doc.Producten))
			}
			if doc.Wet != WetWmo && doc.Wet != WetJeugdwet {
				t.Errorf("wet not decoded")
			}
			if doc.Bericht == nil || doc.Bericht.Afzender != doc.Gemeente.Gemeentecode {
				t.Errorf("bericht not decoded")
			}
			if doc.productPath(0) != "toegewezenProduct" {
				t.Errorf("productPath = %q", doc.productPath(0))
			}
		})
	}
}

func TestParse(t *testing.T) {
	listOf := func(n int) func(m map[string]any) {
		return func(m map[string]any) {
			p := m["toegewezenProduct"]
			delete(m, "toegewezenProduct")
			list := make([]any, n)
			for i := range list {
				list[i] = p
			}
			m["toegewezenProducten"] = list
		}
	}
	tests := []struct {
		name       string
		body       []byte
		wantFields []string // nil: no error
		wantN      int
	}{
		{name: "ok - single product", body: rawFixture(t, fx01), wantN: 1},
		{name: "ok - list of two", body: mutate(t, fx01, listOf(2)), wantN: 2},
		{name: "ok - extra keys inside bericht are accepted", body: mutate(t, fx01, func(m map[string]any) {
			obj(m, "bericht")["dagtekening"] = "2026-01-12"
		}), wantN: 1},
		{name: "error - unknown top-level key", body: mutate(t, fx01, func(m map[string]any) { m["extra"] = 1 }),
			wantFields: []string{"extra"}},
		{name: "error - unknown nested key", body: mutate(t, fx01, func(m map[string]any) {
			obj(m, "client", "naam")["partnernaam"] = map[string]any{"achternaam": "X"}
		}), wantFields: []string{"client.naam.partnernaam"}},
		{name: "error - unknown key in second list element", body: mutate(t, fx01, func(m map[string]any) {
			listOf(2)(m)
			second := map[string]any{}
			for k, v := range m["toegewezenProducten"].([]any)[1].(map[string]any) {
				second[k] = v
			}
			second["prijs"] = 1
			m["toegewezenProducten"].([]any)[1] = second
		}), wantFields: []string{"toegewezenProducten[1].prijs"}},
		{name: "error - both toegewezenProduct and toegewezenProducten", body: mutate(t, fx01, func(m map[string]any) {
			m["toegewezenProducten"] = []any{m["toegewezenProduct"]}
		}), wantFields: []string{"toegewezenProducten"}},
		{name: "error - neither", body: mutate(t, fx01, func(m map[string]any) { delete(m, "toegewezenProduct") }),
			wantFields: []string{"toegewezenProducten"}},
		{name: "error - null product counts as absent", body: mutate(t, fx01, func(m map[string]any) { m["toegewezenProduct"] = nil }),
			wantFields: []string{"toegewezenProducten"}},
		{name: "error - null list element", body: mutate(t, fx01, func(m map[string]any) {
			m["toegewezenProducten"] = []any{m["toegewezenProduct"], nil}
			delete(m, "toegewezenProduct")
		}), wantFields: []string{"toegewezenProducten[1]"}},
		{name: "error - empty list", body: mutate(t, fx01, listOf(0)), wantFields: []string{"toegewezenProducten"}},
		{name: "error - toewijzingNummer as string", body: mutate(t, fx01, func(m map[string]any) {
			obj(m, "toegewezenProduct")["toewijzingNummer"] = "36300101"
		}), wantFields: []string{"toegewezenProduct.toewijzingNummer"}},
		{name: "error - volume with a fraction", body: mutate(t, fx01, func(m map[string]any) {
			obj(m, "toegewezenProduct", "omvang")["volume"] = 1.5
		}), wantFields: []string{"toegewezenProduct.omvang.volume"}},
		{name: "error - code as number", body: mutate(t, fx01, func(m map[string]any) {
			obj(m, "toegewezenProduct", "omvang")["eenheid"] = 1
		}), wantFields: []string{"toegewezenProduct.omvang.eenheid"}},
		{name: "error - client as list", body: mutate(t, fx01, func(m map[string]any) { m["client"] = []any{} }),
			wantFields: []string{"client"}},
		{name: "error - missing toewijzingNummer", body: mutate(t, fx01, func(m map[string]any) {
			delete(obj(m, "toegewezenProduct"), "toewijzingNummer")
		}), wantFields: []string{"toegewezenProduct.toewijzingNummer"}},
		{name: "error - missing omvang.volume", body: mutate(t, fx01, func(m map[string]any) {
			delete(obj(m, "toegewezenProduct", "omvang"), "volume")
		}), wantFields: []string{"toegewezenProduct.omvang.volume"}},
		{name: "error - several problems at once", body: mutate(t, fx01, func(m map[string]any) {
			m["x"] = 1
			obj(m, "client")["y"] = 2
			obj(m, "toegewezenProduct")["toewijzingNummer"] = "1"
		}), wantFields: []string{"x", "client.y", "toegewezenProduct.toewijzingNummer"}},
		{name: "error - duplicate key", body: []byte(strings.Replace(string(rawFixture(t, fx01)),
			`"bsn": "999991772",`, `"bsn": "999991772", "bsn": "999993653",`, 1)), wantFields: []string{"client.bsn"}},
		{name: "error - trailing data", body: append(rawFixture(t, fx01), []byte(` {}`)...), wantFields: []string{""}},
		{name: "error - not an object", body: []byte(`[1,2]`), wantFields: []string{""}},
		{name: "error - not JSON", body: []byte(`{"wet": `), wantFields: []string{""}},
		{name: "error - empty body", body: nil, wantFields: []string{""}},
		{name: "error - invalid UTF-8", body: []byte("{\"wet\": \"Wmo\xff\"}"), wantFields: []string{""}},
		{name: "error - nested too deeply", body: []byte(`{"fixture":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}`),
			wantFields: []string{"fixture" + strings.Repeat("[0]", maxDepth)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Parse(tt.body)
			if tt.wantFields == nil {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				if len(doc.Producten) != tt.wantN {
					t.Errorf("got %d products, want %d", len(doc.Producten), tt.wantN)
				}
				return
			}
			if err == nil {
				t.Fatal("Parse accepted the body")
			}
			got := fieldsOf(t, err)
			for _, f := range tt.wantFields {
				if !slices.Contains(got, f) {
					t.Errorf("fields %q do not name %q", got, f)
				}
			}
			assertNoValue(t, err, "999991772", "999993653", "36300101")
		})
	}
}

func TestParse_ProblemsAreBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"toegewezenProduct":{"toewijzingNummer":1}`)
	for i := range 500 {
		b.WriteString(`,"k` + strings.Repeat("x", i) + `":1`)
	}
	b.WriteString(`}`)
	_, err := Parse([]byte(b.String()))
	if n := len(fieldsOf(t, err)); n != maxProblems+1 {
		t.Errorf("got %d problems, want %d", n, maxProblems+1)
	}
}

// FuzzParse: Parse never panics; what it accepts re-encodes to a body it parses to the same
// document, and Validate and Claims never panic on it.
func FuzzParse(f *testing.F) {
	names, err := fixtures.ToewijzingNames()
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range names {
		data, err := fixtures.Toewijzing(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"toegewezenProducten":[{"toewijzingNummer":0}]}`))
	f.Add([]byte(`{"toegewezenProduct":{"toewijzingNummer":1},"toegewezenProduct":{"toewijzingNummer":2}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := Parse(data)
		if err != nil {
			if _, ok := err.(*ValidationError); !ok {
				t.Fatalf("error of type %T", err)
			}
			return
		}
		again, err := json.Marshal(doc)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		doc2, err := Parse(again)
		if err != nil {
			t.Fatalf("re-parse of own encoding: %v", err)
		}
		doc.single = false
		if !reflect.DeepEqual(doc, doc2) {
			t.Fatalf("round trip differs:\n%+v\n%+v", doc, doc2)
		}
		_ = doc.Validate(ValidateOptions{Now: at(2026, 11, 29), Gemeentecode: "0363"})
		for _, p := range doc.Producten {
			_ = doc.Claims(p, "1")
			_, _, _ = Validity(p)
		}
	})
}
