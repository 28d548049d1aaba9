package jose_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/lestrrat-go/jwx/v2/jwk"

	"github.com/sociaaldomein/bewijs/internal/jose"
)

func p256(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSignVerify(t *testing.T) {
	ec := p256(t)
	_, ed, _ := ed25519.GenerateKey(rand.Reader)
	for _, tc := range []struct {
		name string
		s    jose.Signer
		alg  string
	}{
		{"ok - ES256", jose.Signer{KeyID: "did:web:x#1", Key: ec}, "ES256"},
		{"ok - EdDSA", jose.Signer{KeyID: "k2", Key: ed}, "EdDSA"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			jws, err := jose.Sign([]byte(`{"a":1}`), tc.s, map[string]any{"typ": "test+jwt"})
			if err != nil {
				t.Fatal(err)
			}
			payload, hdr, err := jose.Verify(jws, tc.s.Key.Public())
			if err != nil {
				t.Fatal(err)
			}
			if string(payload) != `{"a":1}` || hdr.Alg != tc.alg || hdr.Kid != tc.s.KeyID || hdr.Typ != "test+jwt" {
				t.Fatalf("payload %s header %+v", payload, hdr)
			}
		})
	}
}

func TestVerifyRefuses(t *testing.T) {
	key := p256(t)
	good, err := jose.Sign([]byte("x"), jose.Signer{Key: key}, nil)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, ".")
	none := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none"}`)) + "." + parts[1] + "."
	hs := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256"}`)) + "." + parts[1] + "." + parts[2]
	tests := []struct {
		name    string
		jws     string
		wantAlg bool
	}{
		{"error - alg none", none, true},
		{"error - HMAC", hs, true},
		{"error - other key", good, false},
		{"error - garbage", "a.b.c", false},
	}
	other := p256(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := jose.Verify(tt.jws, other.Public())
			if err == nil {
				t.Fatal("Verify accepted")
			}
			if tt.wantAlg && !errors.Is(err, jose.ErrAlgorithm) {
				t.Fatalf("err = %v, want ErrAlgorithm", err)
			}
		})
	}
}

func TestThumbprint(t *testing.T) {
	a, b := p256(t), p256(t)
	ta, err := jose.Thumbprint(a.Public())
	if err != nil {
		t.Fatal(err)
	}
	again, _ := jose.Thumbprint(a.Public())
	tb, _ := jose.Thumbprint(b.Public())
	if len(ta) != 43 || ta != again || ta == tb {
		t.Fatalf("thumbprints %q %q %q: want stable, 43 base64url chars, distinct per key", ta, again, tb)
	}
}

func FuzzVerify(f *testing.F) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	good, _ := jose.Sign([]byte("x"), jose.Signer{Key: key}, nil)
	f.Add(good)
	f.Add("eyJhbGciOiJub25lIn0.eA.")
	f.Add("...")
	f.Fuzz(func(t *testing.T, s string) {
		_, _, _ = jose.Verify(s, key.Public())
		_, _ = jose.ParseHeader(s)
	})
}

func TestSignEmbedsPublicJWK(t *testing.T) {
	key := p256(t)
	jws, err := jose.Sign([]byte("x"), jose.Signer{Key: key}, map[string]any{"jwk": key.Public()})
	if err != nil {
		t.Fatal(err)
	}
	hdr, err := jose.ParseHeader(jws)
	if err != nil {
		t.Fatal(err)
	}
	jwk, ok := hdr.Raw["jwk"]
	if !ok {
		t.Fatal("no jwk header")
	}
	if fmt.Sprint(jwk) == "" || strings.Contains(fmt.Sprint(jwk), " d:") {
		t.Fatalf("jwk header %v", jwk)
	}
	if _, err := jose.Sign([]byte("x"), jose.Signer{Key: key}, map[string]any{"jwk": "not a key"}); err == nil {
		t.Fatal("a non-key jwk header was accepted")
	}
}

func TestSignCarriesX5c(t *testing.T) {
	key := p256(t)
	chain := []string{base64.StdEncoding.EncodeToString([]byte("leaf-der")), base64.StdEncoding.EncodeToString([]byte("ca-der"))}
	jws, err := jose.Sign([]byte("x"), jose.Signer{Key: key}, map[string]any{"x5c": chain})
	if err != nil {
		t.Fatal(err)
	}
	hdr, err := jose.ParseHeader(jws)
	if err != nil {
		t.Fatal(err)
	}
	if len(hdr.X5c) != 2 || hdr.X5c[0] != chain[0] || hdr.X5c[1] != chain[1] {
		t.Fatalf("x5c = %v, want %v", hdr.X5c, chain)
	}
}

func TestParseRefusesMalformed(t *testing.T) {
	key := p256(t)
	good, _ := jose.Sign([]byte(`{"a":1}`), jose.Signer{Key: key}, nil)
	parts := strings.Split(good, ".")
	enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	tests := []struct{ name, jws string }{
		{"error - four parts", good + ".x"},
		{"error - two parts", parts[0] + "." + parts[1]},
		{"error - empty header", "." + parts[1] + "." + parts[2]},
		{"error - header not base64url", "a+b/." + parts[1] + "." + parts[2]},
		{"error - header not an object", enc(`[1]`) + "." + parts[1] + "." + parts[2]},
		{"error - crit header", enc(`{"alg":"ES256","crit":["exp"],"exp":1}`) + "." + parts[1] + "." + parts[2]},
		{"error - kid not a string", enc(`{"alg":"ES256","kid":1}`) + "." + parts[1] + "." + parts[2]},
		{"error - signature not base64url", parts[0] + "." + parts[1] + ".***"},
		{"error - short signature", parts[0] + "." + parts[1] + "." + parts[2][:40]},
		{"error - payload swapped", parts[0] + "." + enc(`{"a":2}`) + "." + parts[2]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := jose.Verify(tt.jws, key.Public()); err == nil {
				t.Fatal("Verify accepted")
			}
		})
	}
	if _, _, err := jose.Verify(good, key.Public()); err != nil {
		t.Fatalf("the good JWS: %v", err)
	}
}

func TestES384(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	jws, err := jose.Sign([]byte("x"), jose.Signer{Key: key}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, hdr, err := jose.Verify(jws, key.Public()); err != nil || hdr.Alg != "ES384" {
		t.Fatalf("ES384: %v %+v", err, hdr)
	}
}

// TestThumbprintKnownAnswer is RFC 8037 Appendix A.3: the thumbprint of the Ed25519 key
// of A.2.
func TestThumbprintKnownAnswer(t *testing.T) {
	x, err := base64.RawURLEncoding.DecodeString("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")
	if err != nil {
		t.Fatal(err)
	}
	got, err := jose.Thumbprint(ed25519.PublicKey(x))
	if err != nil {
		t.Fatal(err)
	}
	if want := "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"; got != want {
		t.Fatalf("thumbprint %s, want %s", got, want)
	}
}

// TestThumbprintMatchesJWX compares the thumbprint built here with jwx's for many keys, so
// that coordinates with leading zero bytes are covered.
func TestThumbprintMatchesJWX(t *testing.T) {
	var keys []any
	for range 300 {
		k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		keys = append(keys, k.Public())
	}
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	ed, _, _ := ed25519.GenerateKey(rand.Reader)
	keys = append(keys, p384.Public(), ed)
	for i, pub := range keys {
		k, err := jwk.FromRaw(pub)
		if err != nil {
			t.Fatal(err)
		}
		tp, err := k.Thumbprint(crypto.SHA256)
		if err != nil {
			t.Fatal(err)
		}
		got, err := jose.Thumbprint(pub)
		if err != nil {
			t.Fatal(err)
		}
		if want := base64.RawURLEncoding.EncodeToString(tp); got != want {
			t.Fatalf("key %d (%T): thumbprint %s, jwx %s", i, pub, got, want)
		}
	}
}

func TestParseJWS(t *testing.T) {
	key := p256(t)
	good, err := jose.Sign([]byte(`{"a":1}`), jose.Signer{KeyID: "k1", Key: key}, map[string]any{"typ": "x+jwt"})
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, ".")
	enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	withHeader := func(h string) string { return enc(h) + "." + parts[1] + "." + parts[2] }
	for _, tc := range []struct {
		name    string
		jws     string
		wantErr bool
		want    jose.Header
	}{
		{"ok", good, false, jose.Header{Alg: "ES256", Kid: "k1", Typ: "x+jwt"}},
		{"ok - null members count as absent", withHeader(`{"alg":"ES256","kid":null,"x5c":null}`), false, jose.Header{Alg: "ES256"}},
		{"ok - member names are case-sensitive", withHeader(`{"ALG":"none","alg":"ES256","Typ":"x"}`), false, jose.Header{Alg: "ES256"}},
		{"error - alg not a string", withHeader(`{"alg":1}`), true, jose.Header{}},
		{"error - typ not a string", withHeader(`{"alg":"ES256","typ":["a"]}`), true, jose.Header{}},
		{"error - x5c not strings", withHeader(`{"alg":"ES256","x5c":[1]}`), true, jose.Header{}},
		{"error - x5c not an array", withHeader(`{"alg":"ES256","x5c":"MIIB"}`), true, jose.Header{}},
		{"error - crit", withHeader(`{"alg":"ES256","crit":null}`), true, jose.Header{}},
		{"error - header null", withHeader(`null`), true, jose.Header{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			j, err := jose.ParseJWS(tc.jws)

			if tc.wantErr {
				if !errors.Is(err, jose.ErrMalformed) {
					t.Fatalf("want ErrMalformed, got %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			h := j.Header
			if h.Alg != tc.want.Alg || h.Kid != tc.want.Kid || h.Typ != tc.want.Typ || h.X5c != nil || h.Raw == nil {
				t.Fatalf("header %+v, want %+v", h, tc.want)
			}
			if j.EncodedPayload() != parts[1] {
				t.Fatalf("encoded payload %q", j.EncodedPayload())
			}
		})
	}
}

// TestJWSVerifyOnce: a parsed JWS verifies with its key only, and Payload is the payload.
func TestJWSVerifyOnce(t *testing.T) {
	key, other := p256(t), p256(t)
	good, err := jose.Sign([]byte(`{"a":1}`), jose.Signer{Key: key}, nil)
	if err != nil {
		t.Fatal(err)
	}
	j, err := jose.ParseJWS(good)
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Verify(other.Public()); err == nil {
		t.Fatal("verified with another key")
	}
	if err := j.Verify(key.Public()); err != nil {
		t.Fatal(err)
	}
	if p, err := j.Payload(); err != nil || string(p) != `{"a":1}` {
		t.Fatalf("payload %s, %v", p, err)
	}
}
