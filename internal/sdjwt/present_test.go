package sdjwt

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/sociaaldomein/bewijs/internal/jose"
)

func keepPaths(paths ...string) func([]string) bool {
	return func(path []string) bool { return slices.Contains(paths, strings.Join(path, ".")) }
}

func TestPresent_Subsets(t *testing.T) {
	f := newFixture(t, nil)
	plain := func(extra map[string]any) map[string]any {
		out := map[string]any{}
		for _, k := range []string{"iss", "vct", "iat", "nbf", "exp", "cnf"} {
			out[k] = f.claims[k]
		}
		for k, v := range extra {
			out[k] = v
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		keep  func([]string) bool
		wantN int
		want  map[string]any
	}{
		{"ok - everything", keepAll, 4, f.claims},
		{"ok - nothing (nil keep)", nil, 0, plain(map[string]any{"client": map[string]any{}})},
		{"ok - only the BSN", keepPaths("client.bsn"), 1,
			plain(map[string]any{"client": map[string]any{"bsn": "999991772"}})},
		{"ok - product without its code", keepPaths("product"), 1,
			plain(map[string]any{"client": map[string]any{}, "product": map[string]any{"categorie": "01"}})},
		{"ok - product code without its parent is not presented", keepPaths("product.code", "client.naam"), 1,
			plain(map[string]any{"client": map[string]any{"naam": "de Vries"}})},
		{"ok - product with its code", keepPaths("product", "product.code"), 2,
			plain(map[string]any{"client": map[string]any{}, "product": map[string]any{"categorie": "01", "code": "01A01"}})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Present(f.issued.Compact, tc.keep, f.keyBinding(testNow))
			if err != nil {
				t.Fatal(err)
			}

			s, err := Parse(p)
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.Verify(f.issuerKey.Public(), f.verifyOptions())

			if err != nil {
				t.Fatal(err)
			}
			if !got.KeyBound || len(got.Disclosed) != tc.wantN {
				t.Fatalf("key bound %v, %d disclosures, want %d", got.KeyBound, len(got.Disclosed), tc.wantN)
			}
			assertSameJSON(t, got.Claims, tc.want)
		})
	}
}

func TestPresent_WithoutKeyBinding(t *testing.T) {
	f := newFixture(t, nil)

	p, err := Present(f.issued.Compact, keepPaths("client.bsn"), nil)

	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Split(f.issued.Compact, "~")[0] + "~"; !strings.HasPrefix(p, want) || !strings.HasSuffix(p, "~") || strings.Count(p, "~") != 2 {
		t.Fatalf("want <jwt>~<bsn>~, got %q", p)
	}
}

func TestPresent_Refuses(t *testing.T) {
	f := newFixture(t, nil)
	other := newFixture(t, nil)
	withKB, err := Present(f.issued.Compact, keepAll, f.keyBinding(testNow))
	if err != nil {
		t.Fatal(err)
	}
	noCnf := f.reissue(t, func(c map[string]any) { delete(c, "cnf") })
	jwt := strings.Split(f.issued.Compact, "~")[0]
	for _, tc := range []struct {
		name   string
		issued string
		kb     *KeyBinding
		want   *Error
	}{
		{"error - KB signer is not the cnf.jwk key", f.issued.Compact, other.keyBinding(testNow), ErrKeyBinding},
		{"error - no cnf.jwk to bind to", noCnf.issued.Compact, f.keyBinding(testNow), ErrKeyBinding},
		{"error - no audience", f.issued.Compact, &KeyBinding{Signer: jose.Signer{Key: f.holderKey}, Nonce: testNonce}, ErrKeyBinding},
		{"error - an SD-JWT+KB is not an issued SD-JWT", withKB, nil, ErrMalformed},
		{"error - unreferenced disclosure in the issued SD-JWT", compact(jwt, other.issued.Disclosures[:1], ""), nil, ErrDigest},
		{"error - not an SD-JWT", "garbage", nil, ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Present(tc.issued, keepAll, tc.kb)

			if !errors.Is(err, tc.want) {
				t.Fatalf("want %v, got %v", tc.want, err)
			}
		})
	}
}

// TestPresent_ArrayElements presents from the RFC 9901 §5 example, whose nationalities are
// array element disclosures: their path ends in the element's index.
func TestPresent_ArrayElements(t *testing.T) {
	s := rfcExample(t)
	issued := strings.TrimSuffix(s.String(), s.KeyBindingJWT) // the SD-JWT without the KB-JWT
	var paths []string
	record := func(path []string) bool {
		paths = append(paths, strings.Join(path, "."))
		return strings.Join(path, ".") == "nationalities.0"
	}

	p, err := Present(issued, record, nil)

	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(paths)
	if want := []string{"address", "family_name", "given_name", "nationalities.0"}; !slices.Equal(paths, want) {
		t.Fatalf("paths %v, want %v", paths, want)
	}
	got, err := Parse(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Disclosures) != 1 || got.Disclosures[0].Value != "US" {
		t.Fatalf("presented %+v", got.Disclosures)
	}
}
