package sdjwt

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"maps"
	"testing"

	"github.com/sociaaldomein/bewijs/did"
)

// TestHolderKeyMatchesParseJWK: the direct conversion gives the key did.ParseJWK gives, for
// many keys (coordinates with leading zero bytes included) and every supported curve.
func TestHolderKeyMatchesParseJWK(t *testing.T) {
	var keys []any
	for range 300 {
		keys = append(keys, newKey(t).Public())
	}
	p384, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ed, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	keys = append(keys, p384.Public(), ed)
	for i, pub := range keys {
		raw, err := did.PublicJWK(pub)
		if err != nil {
			t.Fatal(err)
		}
		var members map[string]any
		if err := json.Unmarshal(raw, &members); err != nil {
			t.Fatal(err)
		}
		got, ok := publicJWKOf(members)
		if !ok {
			t.Fatalf("key %d (%T): %s not converted directly", i, pub, raw)
		}
		want, err := did.ParseJWK(raw)
		if err != nil {
			t.Fatal(err)
		}
		if !sameKey(got, want) {
			t.Fatalf("key %d: %v, did.ParseJWK %v", i, got, want)
		}
	}
}

// TestHolderKeyFallback: JWKs the direct conversion does not take go to did.ParseJWK, which
// decides as before.
func TestHolderKeyFallback(t *testing.T) {
	k := newKey(t)
	good := publicJWK(t, k)
	with := func(change func(map[string]any)) map[string]any {
		m := maps.Clone(good)
		change(m)
		return m
	}
	x, _ := base64.RawURLEncoding.DecodeString(good["x"].(string))
	offCurve := with(func(m map[string]any) { m["y"] = m["x"] })
	for _, tc := range []struct {
		name    string
		jwk     any
		direct  bool
		wantErr bool
	}{
		{"ok - plain EC JWK", good, true, false},
		{"ok - extra member kid, through did.ParseJWK", with(func(m map[string]any) { m["kid"] = "k1" }), false, false},
		{"ok - padded base64url, through did.ParseJWK", with(func(m map[string]any) { m["x"] = base64.URLEncoding.EncodeToString(x) }), false, false},
		{"error - private member d", with(func(m map[string]any) { m["d"] = m["x"] }), false, true},
		{"error - point not on the curve", offCurve, false, true},
		{"error - unsupported curve", with(func(m map[string]any) { m["crv"] = "P-521" }), false, true},
		{"error - short x", with(func(m map[string]any) { m["x"] = base64.RawURLEncoding.EncodeToString(x[1:]) }), false, true},
		{"error - jwk not an object", "not a key", false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			members, _ := tc.jwk.(map[string]any)
			_, direct := publicJWKOf(members)
			pub, err := holderKey(map[string]any{"cnf": map[string]any{"jwk": tc.jwk}})

			if direct != tc.direct {
				t.Fatalf("converted directly: %v, want %v", direct, tc.direct)
			}
			if tc.wantErr {
				if !errors.Is(err, ErrMalformed) {
					t.Fatalf("want ErrMalformed, got %v (%v)", err, pub)
				}
				return
			}
			if err != nil || !sameKey(pub, k.Public()) {
				t.Fatalf("key %v, %v", pub, err)
			}
		})
	}
}
