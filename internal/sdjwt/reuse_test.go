package sdjwt

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestVerifyAfterChange: Verify reuses what Parse decoded only while the serialization it
// came from is unchanged; a swapped Issuer-signed JWT or KB-JWT is verified anew.
func TestVerifyAfterChange(t *testing.T) {
	f := newFixture(t, nil)
	other := f.reissue(t, func(c map[string]any) { c["vct"] = "https://bewijs.example/other" })
	opts := f.verifyOptions()
	for _, tc := range []struct {
		name    string
		change  func(s *SDJWT)
		wantVCT string
		want    *Error
	}{
		{"ok - unchanged", func(*SDJWT) {}, testVCT, nil},
		{"ok - a copy of the parsed SD-JWT", func(s *SDJWT) { c := *s; *s = c }, testVCT, nil},
		{"error - issuer JWT swapped for another credential's", func(s *SDJWT) {
			s.IssuerJWT = strings.Split(other.issued.Compact, "~")[0]
		}, "", ErrDigest},
		{"error - issuer JWT signed by another key", func(s *SDJWT) {
			s.IssuerJWT = signJWT(t, newKey(t), f.claims, map[string]any{"typ": "dc+sd-jwt"})
		}, "", ErrSignature},
		{"error - a disclosure dropped after Parse: sd_hash is taken over what is left", func(s *SDJWT) {
			s.Disclosures = s.Disclosures[1:]
		}, "", ErrKeyBinding},
		{"error - KB-JWT replaced by an unsigned one", func(s *SDJWT) {
			s.KeyBindingJWT = unsignedJWT(map[string]any{"alg": "ES256", "typ": "kb+jwt"}, map[string]any{"iat": testNow.Unix()})
		}, "", ErrKeyBinding},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse(present(t, f, testNow))
			if err != nil {
				t.Fatal(err)
			}
			if s.parsed.payload == nil || s.parsed.issuer == nil || s.parsed.kb == nil {
				t.Fatal("Parse kept nothing for Verify to reuse")
			}
			tc.change(s)
			if again, err := Parse(s.String()); err != nil || again.String() != s.String() || len(again.Disclosures) != len(s.Disclosures) {
				t.Fatalf("String() does not serialize the changed SD-JWT: %v", err)
			}

			v, err := s.Verify(f.issuerKey.Public(), opts)

			if tc.want != nil {
				if !errors.Is(err, tc.want) {
					t.Fatalf("want %v, got %v", tc.want, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if v.Claims["vct"] != tc.wantVCT || !v.KeyBound {
				t.Fatalf("verified %v, key bound %v", v.Claims["vct"], v.KeyBound)
			}
		})
	}
}

// TestVerifyDepthAfterLargerLimit: a payload that only a larger MaxDepth let through Parse
// is still refused by Verify, which decodes under the default limit.
func TestVerifyDepthAfterLargerLimit(t *testing.T) {
	key := newKey(t)
	deep := map[string]any{"a": json.RawMessage(strings.Repeat("[", 40) + strings.Repeat("]", 40))}
	in := signJWT(t, key, deep, map[string]any{"typ": "dc+sd-jwt"}) + "~"
	if _, err := Parse(in); !errors.Is(err, ErrMalformed) {
		t.Fatalf("Parse under the default limit: %v", err)
	}
	s, err := ParseWithLimits(in, Limits{MaxDepth: 64})
	if err != nil {
		t.Fatal(err)
	}

	_, err = s.Verify(key.Public(), VerifyOptions{Now: func() time.Time { return testNow }})

	if !errors.Is(err, ErrMalformed) {
		t.Fatalf("want ErrMalformed, got %v", err)
	}
}
