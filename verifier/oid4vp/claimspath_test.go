package oid4vp

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestSelectClaims runs the claims path pointer examples of §7.3 and the error rules of
// §7.1.1 against the §7.3 example credential.
func TestSelectClaims(t *testing.T) {
	var cred map[string]any
	if err := json.Unmarshal(readTestdata(t, "claims_path_example.json"), &cred); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		path       []any
		wantPaths  [][]any
		wantValues []any
		wantErr    bool
	}{
		{name: "ok - name", path: []any{"name"},
			wantPaths: [][]any{{"name"}}, wantValues: []any{"Arthur Dent"}},
		{name: "ok - address object", path: []any{"address"},
			wantPaths: [][]any{{"address"}}, wantValues: []any{cred["address"]}},
		{name: "ok - street_address", path: []any{"address", "street_address"},
			wantPaths: [][]any{{"address", "street_address"}}, wantValues: []any{"42 Market Street"}},
		{name: "ok - null selects all degrees", path: []any{"degrees", nil, "type"},
			wantPaths:  [][]any{{"degrees", 0, "type"}, {"degrees", 1, "type"}},
			wantValues: []any{"Bachelor of Science", "Master of Science"}},
		{name: "ok - index", path: []any{"nationalities", 1},
			wantPaths: [][]any{{"nationalities", 1}}, wantValues: []any{"Betelgeusian"}},
		{name: "ok - index as float64", path: []any{"nationalities", float64(0)},
			wantPaths: [][]any{{"nationalities", 0}}, wantValues: []any{"British"}},
		{name: "error - missing key", path: []any{"age"}, wantErr: true},
		{name: "error - index out of range", path: []any{"nationalities", 2}, wantErr: true},
		{name: "error - key on a string", path: []any{"name", "first"}, wantErr: true},
		{name: "error - null on an object", path: []any{"address", nil}, wantErr: true},
		{name: "error - index on an object", path: []any{"address", 0}, wantErr: true},
		{name: "error - key on array elements that are strings", path: []any{"nationalities", nil, "x"}, wantErr: true},
		{name: "error - negative index", path: []any{"nationalities", -1}, wantErr: true},
		{name: "error - bool component", path: []any{true}, wantErr: true},
		{name: "error - empty path", path: []any{}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			paths, values, err := SelectClaims(cred, tt.path)

			if tt.wantErr {
				if err == nil {
					t.Fatalf("want an error, got paths %v", paths)
				}
				return
			}
			if err != nil {
				t.Fatalf("SelectClaims: %v", err)
			}
			if !reflect.DeepEqual(paths, tt.wantPaths) {
				t.Errorf("paths = %#v, want %#v", paths, tt.wantPaths)
			}
			if !reflect.DeepEqual(values, tt.wantValues) {
				t.Errorf("values = %#v, want %#v", values, tt.wantValues)
			}
		})
	}
}

func TestSameValue(t *testing.T) {
	tests := []struct {
		name      string
		want, got any
		match     bool
	}{
		{"ok - string", "Doe", "Doe", true},
		{"ok - int64 and float64", int64(18), float64(18), true},
		{"ok - int and json.Number", 18, json.Number("18"), true},
		{"ok - bool", true, true, true},
		{"error - string vs number", "18", float64(18), false},
		{"error - number vs string", int64(18), "18", false},
		{"error - bool vs string", true, "true", false},
		{"error - fraction", int64(18), 18.5, false},
		{"error - different string", "Doe", "doe", false},
		{"error - nil claim", "x", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sameValue(tt.want, tt.got); got != tt.match {
				t.Errorf("sameValue(%#v, %#v) = %v, want %v", tt.want, tt.got, got, tt.match)
			}
		})
	}
}

// FuzzSelectNamed: for a pointer of member names, the direct walk of selectNamed selects
// what §7.1.1 processing step by step selects, and fails where it fails, in the same way.
func FuzzSelectNamed(f *testing.F) {
	f.Add(`{"a":{"b":1},"c":[1,2]}`, "a", "b", "")
	f.Add(`{"a":{"b":1}}`, "x", "b", "c")
	f.Add(`{"a":"s"}`, "a", "b", "")
	f.Add(`{"a":[{"b":1}]}`, "a", "b", "")
	f.Add(`{"a":{"b":null}}`, "a", "b", "")
	f.Fuzz(func(t *testing.T, doc, p1, p2, p3 string) {
		var root map[string]any
		if json.Unmarshal([]byte(doc), &root) != nil || root == nil {
			return
		}
		path := []any{p1}
		for _, p := range []string{p2, p3} {
			if p != "" {
				path = append(path, p)
			}
		}
		got, ok, gotErr := selectNamed(root, path)
		if !ok {
			t.Fatalf("%v: a pointer of names was not taken", path)
		}
		want, wantErr := selectStepwise(root, path)
		if gotErr != wantErr || !reflect.DeepEqual(got, want) {
			t.Fatalf("%s %v: selectNamed %v, %v; stepwise %v, %v", doc, path, got, gotErr, want, wantErr)
		}
	})
}
