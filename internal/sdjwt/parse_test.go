package sdjwt

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	f := newFixture(t, nil)
	issued := f.issued.Compact
	jwt := strings.Split(issued, "~")[0]
	kb := strings.Split(present(t, f, testNow), "~")
	d := f.issued.Disclosures[0].Encoded
	deep := base64.RawURLEncoding.EncodeToString([]byte(`["salt","n",` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `]`))
	for _, tc := range []struct {
		name   string
		in     string
		limits Limits
		wantN  int
		wantKB bool
	}{
		{"ok - issued", issued, Limits{}, 4, false},
		{"ok - no disclosures", jwt + "~", Limits{}, 0, false},
		{"ok - key bound", strings.Join(kb, "~"), Limits{}, 4, true},
		{"ok - key bound without disclosures", jwt + "~" + kb[len(kb)-1], Limits{}, 0, true},
		{"error - oversized input", issued + strings.Repeat(d+"~", 2000), Limits{}, -1, false},
		{"error - over a smaller byte limit", issued, Limits{MaxBytes: 100}, -1, false},
		{"error - too many disclosures", jwt + "~" + d + "~" + d + "~", Limits{MaxDisclosures: 1}, -1, false},
		{"error - disclosure nested too deep", jwt + "~" + deep + "~", Limits{}, -1, false},
		{"error - no tilde", jwt, Limits{}, -1, false},
		{"error - empty", "", Limits{}, -1, false},
		{"error - empty disclosure", jwt + "~~", Limits{}, -1, false},
		{"error - disclosure with padding", jwt + "~" + base64.URLEncoding.EncodeToString([]byte(`["s","n",1]`)) + "~", Limits{}, -1, false},
		{"error - disclosure in standard base64", jwt + "~" + "WyJzIiwibiIsIj8/PyJd+/~", Limits{}, -1, false},
		{"error - issuer JWT of two parts", "a.b~", Limits{}, -1, false},
		{"error - issuer JWT payload not JSON", "eyJhbGciOiJFUzI1NiJ9.bm90IGpzb24.c2ln~", Limits{}, -1, false},
		{"error - KB-JWT not a JWS", issued + "not-a-jwt", Limits{}, -1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := ParseWithLimits(tc.in, tc.limits)

			if tc.wantN < 0 {
				if !errors.Is(err, ErrMalformed) {
					t.Fatalf("want ErrMalformed, got %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Disclosures) != tc.wantN || (s.KeyBindingJWT != "") != tc.wantKB || s.String() != tc.in {
				t.Fatalf("%d disclosures, KB %q, re-serialized equal: %v", len(s.Disclosures), s.KeyBindingJWT, s.String() == tc.in)
			}
			if s.Header.Typ != "dc+sd-jwt" {
				t.Fatalf("header %+v", s.Header)
			}
		})
	}
}

func TestDecodeDisclosure(t *testing.T) {
	enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	for _, tc := range []struct {
		name    string
		in      string
		wantErr bool
	}{
		{"ok - object property", enc(`["salt","naam","de Vries"]`), false},
		{"ok - array element", enc(`["salt",{"a":[1,2]}]`), false},
		{"ok - null value", enc(`["salt","x",null]`), false},
		{"error - not base64url", "***", true},
		{"error - not JSON", enc(`["salt",`), true},
		{"error - not an array", enc(`{"salt":"s"}`), true},
		{"error - one element", enc(`["salt"]`), true},
		{"error - four elements", enc(`["salt","a",1,2]`), true},
		{"error - salt is a number", enc(`[1,"a",1]`), true},
		{"error - name is a number", enc(`["salt",1,1]`), true},
		{"error - name is empty", enc(`["salt","",1]`), true},
		{"error - trailing data", enc(`["salt","a",1] []`), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := decodeDisclosure(tc.in, 32)

			if tc.wantErr {
				if !errors.Is(err, ErrMalformed) {
					t.Fatalf("want ErrMalformed, got %v (%+v)", err, d)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d.Salt != "salt" || d.Digest != digestOf(tc.in) {
				t.Fatalf("decoded %+v", d)
			}
		})
	}
}

func TestCheckDepth(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		ok   bool
	}{
		{"ok - flat", `{"a":1}`, true},
		{"ok - brackets inside strings do not count", `{"a":"[[[[[[[[[[\"{{{{{{{{"}`, true},
		{"ok - depth 3", `[[[1]]]`, true},
		{"ok - escaped quotes and backslashes inside strings", `{"a\\\"[[[[":"\\","b":"\"{{{{"}`, true},
		{"ok - unterminated string", `["[[[[[`, true},
		{"error - depth 4", `[[[[1]]]]`, false},
		{"error - depth 4 after an escaped backslash", `["\\",[[[1]]]]`, false},
		{"error - depth 4 after strings with escapes", `{"k\"":"v\\\"",  "x":[[[{}]]]}`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := checkDepth([]byte(tc.in), 3)

			if (err == nil) != tc.ok {
				t.Fatalf("checkDepth(%s) = %v", tc.in, err)
			}
		})
	}
}
