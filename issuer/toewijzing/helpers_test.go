package toewijzing

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/internal/fixtures"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// Fixture file names used by name in the tests.
const (
	fx01  = "01-wmo-hbh-minuten-per-week.json"
	fx06a = "06a-wmo-persoonlijke-verzorging-origineel.json"
	fx06b = "06b-wmo-persoonlijke-verzorging-vervroegd-beeindigd.json"
	fx07  = "07-jw-ambulant-minuten-per-week.json"
	fx08  = "08-jw-ggz-traject-euros-totaal.json"
	fx11  = "11-jw-ambulant-verwijderd.json"
	fx12  = "12-jw-ggz-aspecifiek-budget.json"
)

// at returns a clock fixed at noon UTC of the given day.
func at(y int, m time.Month, d int) func() time.Time {
	return func() time.Time { return time.Date(y, m, d, 12, 0, 0, 0, time.UTC) }
}

func fixtureNames(t *testing.T) []string {
	t.Helper()
	names, err := fixtures.ToewijzingNames()
	if err != nil || len(names) == 0 {
		t.Fatalf("no toewijzing fixtures: %v", err)
	}
	return names
}

func rawFixture(t *testing.T, name string) []byte {
	t.Helper()
	data, err := fixtures.Toewijzing(name)
	if err != nil {
		t.Fatalf("fixture %s: %v", name, err)
	}
	return data
}

func parseFixture(t *testing.T, name string) Document {
	t.Helper()
	doc, err := Parse(rawFixture(t, name))
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return doc
}

// mutate decodes a fixture into generic JSON, lets change edit it and encodes it again.
func mutate(t *testing.T, name string, change func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(rawFixture(t, name), &m); err != nil {
		t.Fatal(err)
	}
	if change != nil {
		change(m)
	}
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// obj walks generic JSON objects along keys.
func obj(m map[string]any, keys ...string) map[string]any {
	for _, k := range keys {
		m = m[k].(map[string]any)
	}
	return m
}

// parseAndValidate runs both steps the admin API runs and returns the first error.
func parseAndValidate(data []byte, opts ValidateOptions) error {
	doc, err := Parse(data)
	if err != nil {
		return err
	}
	return doc.Validate(opts)
}

// fieldsOf returns the fields a *ValidationError names; it fails the test for other errors.
func fieldsOf(t *testing.T, err error) []string {
	t.Helper()
	var v *ValidationError
	if !errors.As(err, &v) {
		t.Fatalf("want *ValidationError, got %T: %v", err, err)
	}
	if !errors.Is(err, ErrInvalid) {
		t.Errorf("errors.Is(err, ErrInvalid) = false")
	}
	out := make([]string, 0, len(v.Fields))
	for _, f := range v.Fields {
		out = append(out, f.Field)
	}
	return out
}

// assertNoValue fails when the error text or any reason contains one of the values.
func assertNoValue(t *testing.T, err error, values ...string) {
	t.Helper()
	var v *ValidationError
	errors.As(err, &v)
	for _, val := range values {
		if val == "" {
			continue
		}
		if strings.Contains(err.Error(), val) {
			t.Errorf("error message contains an input value: %q", err.Error())
		}
		for _, f := range v.Fields {
			if strings.Contains(f.Reason, val) {
				t.Errorf("reason of %s contains an input value", f.Field)
			}
		}
	}
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) != string(got) {
		t.Errorf("%s differs from the golden file (run go test -update after checking):\n%s", name, got)
	}
}
