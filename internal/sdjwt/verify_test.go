package sdjwt

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/internal/jose"
)

// present makes a presentation of f with every disclosure, key bound at kbTime.
func present(t testing.TB, f fixture, kbTime time.Time) string {
	t.Helper()
	out, err := Present(f.issued.Compact, keepAll, f.keyBinding(kbTime))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestVerify(t *testing.T) {
	f := newFixture(t, nil)
	other := newFixture(t, nil)
	jwt := strings.Split(f.issued.Compact, "~")[0]
	ds := f.issued.Disclosures
	withoutKB := func(s string) string { return s[:strings.LastIndex(s, "~")+1] }
	tampered := ds[0]
	tampered.Encoded = mustDisclosure(t, ds[0].Name, "123456782").Encoded

	for _, tc := range []struct {
		name         string
		presentation func(t *testing.T) string
		opts         func(*VerifyOptions)
		want         *Error
	}{
		{"ok - key bound", func(t *testing.T) string { return present(t, f, testNow) }, nil, nil},
		{"ok - KB iat within skew in the future", func(t *testing.T) string { return present(t, f, testNow.Add(30*time.Second)) }, nil, nil},
		{"ok - no KB when not required", func(*testing.T) string { return f.issued.Compact },
			func(o *VerifyOptions) { o.RequireKeyBinding = false }, nil},
		{"error - missing KB when required", func(*testing.T) string { return f.issued.Compact }, nil, ErrKeyBinding},
		{"error - wrong aud", func(t *testing.T) string { return present(t, f, testNow) },
			func(o *VerifyOptions) { o.Audience = "https://other.example.org" }, ErrKeyBinding},
		{"error - wrong nonce", func(t *testing.T) string { return present(t, f, testNow) },
			func(o *VerifyOptions) { o.Nonce = "another-nonce" }, ErrKeyBinding},
		{"error - no expected nonce", func(t *testing.T) string { return present(t, f, testNow) },
			func(o *VerifyOptions) { o.Nonce = "" }, ErrKeyBinding},
		{"error - stale KB iat", func(t *testing.T) string { return present(t, f, testNow.Add(-10*time.Minute)) }, nil, ErrKeyBinding},
		{"error - future KB iat", func(t *testing.T) string { return present(t, f, testNow.Add(5*time.Minute)) }, nil, ErrKeyBinding},
		{"error - sd_hash mismatch: disclosure removed after KB signing", func(t *testing.T) string {
			p := present(t, f, testNow)
			return strings.Replace(p, "~"+ds[0].Encoded+"~", "~", 1)
		}, nil, ErrKeyBinding},
		{"error - KB signed by another key", func(t *testing.T) string {
			sdjwt := withoutKB(f.issued.Compact)
			kb, err := signKeyBinding(sdjwt, KeyBinding{Signer: jose.Signer{Key: other.holderKey}, Audience: testAud, Nonce: testNonce, IssuedAt: testNow})
			if err != nil {
				t.Fatal(err)
			}
			return sdjwt + kb
		}, nil, ErrKeyBinding},
		{"error - KB typ is not kb+jwt", func(t *testing.T) string {
			sdjwt := withoutKB(f.issued.Compact)
			kb := signJWT(t, f.holderKey, kbClaims{IssuedAt: testNow.Unix(), Audience: testAud, Nonce: testNonce, SDHash: digestOf(sdjwt)}, map[string]any{"typ": "JWT"})
			return sdjwt + kb
		}, nil, ErrKeyBinding},
		{"error - KB without cnf.jwk", func(t *testing.T) string {
			nocnf := f.reissue(t, func(c map[string]any) { delete(c, "cnf") })
			sdjwt := nocnf.issued.Compact
			kb, _ := signKeyBinding(sdjwt, *f.keyBinding(testNow))
			return sdjwt + kb
		}, nil, ErrKeyBinding},
		{"error - duplicate disclosure", func(*testing.T) string { return compact(jwt, append(ds[:len(ds):len(ds)], ds[0]), "") },
			func(o *VerifyOptions) { o.RequireKeyBinding = false }, ErrDigest},
		{"error - unreferenced disclosure", func(*testing.T) string {
			return compact(jwt, append(ds[:len(ds):len(ds)], other.issued.Disclosures[0]), "")
		},
			func(o *VerifyOptions) { o.RequireKeyBinding = false }, ErrDigest},
		{"error - tampered disclosure", func(*testing.T) string { return compact(jwt, []Disclosure{tampered}, "") },
			func(o *VerifyOptions) { o.RequireKeyBinding = false }, ErrDigest},
		{"error - wrong issuer key", func(t *testing.T) string { return present(t, other, testNow) }, nil, ErrSignature},
		{"error - alg none", func(*testing.T) string {
			return unsignedJWT(map[string]any{"alg": "none", "typ": "dc+sd-jwt"}, map[string]any{"iss": "x"}) + "~"
		}, nil, ErrSignature},
		{"error - alg HS256", func(*testing.T) string {
			return unsignedJWT(map[string]any{"alg": "HS256", "typ": "dc+sd-jwt"}, map[string]any{"iss": "x"}) + "~"
		}, nil, ErrSignature},
		{"error - expired", func(t *testing.T) string {
			return present(t, f.reissue(t, func(c map[string]any) { c["exp"] = testNow.Add(-2 * time.Minute).Unix() }), testNow)
		}, nil, ErrExpired},
		{"ok - expired within skew", func(t *testing.T) string {
			return present(t, f.reissue(t, func(c map[string]any) { c["exp"] = testNow.Add(-30 * time.Second).Unix() }), testNow)
		}, nil, nil},
		{"error - nbf in the future", func(t *testing.T) string {
			return present(t, f.reissue(t, func(c map[string]any) { c["nbf"] = testNow.Add(2 * time.Minute).Unix() }), testNow)
		}, nil, ErrNotYetValid},
		{"error - iat in the future", func(t *testing.T) string {
			return present(t, f.reissue(t, func(c map[string]any) { c["iat"] = testNow.Add(2 * time.Minute).Unix() }), testNow)
		}, nil, ErrNotYetValid},
		{"error - exp is not a number", func(t *testing.T) string {
			return present(t, f.reissue(t, func(c map[string]any) { c["exp"] = "tomorrow" }), testNow)
		}, nil, ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := f.verifyOptions()
			if tc.opts != nil {
				tc.opts(&opts)
			}
			// The issuer key of f verifies every case; "wrong issuer key" presents other's SD-JWT.
			s, err := Parse(tc.presentation(t))
			if err != nil {
				t.Fatal(err)
			}

			got, err := s.Verify(f.issuerKey.Public(), opts)

			if tc.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				if got.KeyBound != (s.KeyBindingJWT != "") {
					t.Fatalf("KeyBound = %v", got.KeyBound)
				}
				return
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("want %v, got %v", tc.want, err)
			}
			t.Log(err)
		})
	}
}

// TestVerify_Structure feeds SD-JWTs that this package would never issue: each one is
// signed correctly and breaks one rule of RFC 9901 §7.1.
func TestVerify_Structure(t *testing.T) {
	key := newKey(t)
	naam := mustDisclosure(t, "naam", "de Vries")
	iss := mustDisclosure(t, "iss", "https://evil.example")
	sd := mustDisclosure(t, "_sd", []any{"x"})
	dots := mustDisclosure(t, "...", "x")
	elem := arrayDisclosure(t, "NL")
	for _, tc := range []struct {
		name    string
		payload map[string]any
		ds      []Disclosure
		want    *Error
		claims  map[string]any
	}{
		{"ok - array element disclosure", map[string]any{"nat": []any{"DE", map[string]any{"...": elem.Digest}, map[string]any{"...": "decoy"}}},
			[]Disclosure{elem}, nil, map[string]any{"nat": []any{"DE", "NL"}}},
		{"ok - _sd_alg sha-256 removed", map[string]any{"_sd_alg": "sha-256", "_sd": []any{naam.Digest}}, []Disclosure{naam}, nil, map[string]any{"naam": "de Vries"}},
		{"error - _sd_alg sha-512", map[string]any{"_sd_alg": "sha-512"}, nil, ErrUnsupported, nil},
		{"error - _sd is not an array of strings", map[string]any{"_sd": []any{1}}, nil, ErrMalformed, nil},
		{"error - disclosure overwrites a claim", map[string]any{"iss": "https://i.example", "_sd": []any{iss.Digest}}, []Disclosure{iss}, ErrMalformed, nil},
		{"error - disclosure named _sd", map[string]any{"_sd": []any{sd.Digest}}, []Disclosure{sd}, ErrMalformed, nil},
		{"error - disclosure named ...", map[string]any{"_sd": []any{dots.Digest}}, []Disclosure{dots}, ErrMalformed, nil},
		{"error - digest twice in the payload", map[string]any{"_sd": []any{naam.Digest}, "a": map[string]any{"_sd": []any{naam.Digest}}}, []Disclosure{naam}, ErrDigest, nil},
		{"error - decoy digest twice", map[string]any{"_sd": []any{"decoy", "decoy"}}, nil, ErrDigest, nil},
		{"error - array disclosure in _sd", map[string]any{"_sd": []any{elem.Digest}}, []Disclosure{elem}, ErrMalformed, nil},
		{"error - object disclosure in an array", map[string]any{"a": []any{map[string]any{"...": naam.Digest}}}, []Disclosure{naam}, ErrMalformed, nil},
		{"error - cnf.jwk is private", map[string]any{"cnf": map[string]any{"jwk": map[string]any{"kty": "EC", "d": "x"}}}, nil, ErrMalformed, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse(compact(signJWT(t, key, tc.payload, nil), tc.ds, ""))
			if err != nil {
				t.Fatal(err)
			}

			got, err := s.Verify(key.Public(), VerifyOptions{Now: func() time.Time { return testNow }})

			if tc.want != nil {
				if !errors.Is(err, tc.want) {
					t.Fatalf("want %v, got %v", tc.want, err)
				}
				t.Log(err)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			assertSameJSON(t, got.Claims, tc.claims)
		})
	}
}
