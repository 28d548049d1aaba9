package did

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/lestrrat-go/jwx/v2/jwk"
)

const (
	jwkEd25519 = `{"kty":"OKP","crv":"Ed25519","x":"0-e2i2_Ua1S5HbTYnVB0lj2Z2ytXu2-tYmDFf8f5NjU"}`
	jwkX25519  = `{"kty":"OKP","crv":"X25519","x":"9GXjPGGvmRq9F6Ng5dQQ_s31mfhxrcNZxRGONrmH30k"}`
	// RFC 7517 Appendix A.1 RSA public key (modulus shortened to 2048 bits of the example).
	jwkRSA = `{"kty":"RSA","e":"AQAB","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"}`
	// jwkP256OffCurve is jwkP256 with y changed, so the point is not on the curve.
	jwkP256OffCurve = `{"kty":"EC","crv":"P-256","x":"38M1FDts7Oea7urmseiugGW7tWc3mLpJh6rKe7xINZ8","y":"mDQW6XZ7b_u2Sy9slofYLlG03sOEoug3I0aAPQ0exs4"}`
	jwkP256Private  = `{"kty":"EC","crv":"P-256","x":"38M1FDts7Oea7urmseiugGW7tWc3mLpJh6rKe7xINZ8","y":"nDQW6XZ7b_u2Sy9slofYLlG03sOEoug3I0aAPQ0exs4","d":"AAAA"}`
)

func TestParseJWK(t *testing.T) {
	p521 := mustJWKOf(t, mustECDSA(t, elliptic.P521()).Public())
	p384 := mustJWKOf(t, mustECDSA(t, elliptic.P384()).Public())
	tests := []struct {
		name    string
		in      string
		wantErr error
		check   func(t *testing.T, pub any)
	}{
		{"ok - P-256", jwkP256, nil, wantCurve(elliptic.P256())},
		{"ok - P-384", p384, nil, wantCurve(elliptic.P384())},
		{"ok - Ed25519", jwkEd25519, nil, func(t *testing.T, pub any) {
			if k, ok := pub.(ed25519.PublicKey); !ok || len(k) != ed25519.PublicKeySize {
				t.Fatalf("got %T", pub)
			}
		}},
		{"error - private member d", jwkP256Private, ErrPrivateKeyMaterial, nil},
		{"error - symmetric k", `{"kty":"oct","k":"c2VjcmV0"}`, ErrPrivateKeyMaterial, nil},
		{"error - X25519", jwkX25519, ErrUnsupportedKeyType, nil},
		{"error - RSA", jwkRSA, ErrUnsupportedKeyType, nil},
		{"error - P-521", p521, ErrUnsupportedKeyType, nil},
		{"error - point not on curve", jwkP256OffCurve, errAny, nil},
		{"error - not an object", `"kty"`, errAny, nil},
		{"error - missing kty", `{"crv":"P-256"}`, errAny, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pub, err := ParseJWK([]byte(tt.in))
			if tt.wantErr != nil {
				if err == nil || (tt.wantErr != errAny && !errors.Is(err, tt.wantErr)) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseJWK: %v", err)
			}
			tt.check(t, pub)
		})
	}
}

func TestVerificationMethod_PublicKey(t *testing.T) {
	tests := []struct {
		name    string
		vm      VerificationMethod
		wantErr bool
	}{
		{"ok - jwk", VerificationMethod{PublicKeyJwk: json.RawMessage(jwkP256)}, false},
		{"ok - multibase", VerificationMethod{PublicKeyMultibase: "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"}, false},
		{"error - both", VerificationMethod{PublicKeyJwk: json.RawMessage(jwkP256), PublicKeyMultibase: "z6Mk"}, true},
		{"error - none", VerificationMethod{}, true},
		{"error - private jwk", VerificationMethod{PublicKeyJwk: json.RawMessage(jwkP256Private)}, true},
		{"error - bad multibase", VerificationMethod{PublicKeyMultibase: "u6Mk"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pub, err := tt.vm.PublicKey()
			if tt.wantErr {
				if !errors.Is(err, ErrInvalidDocument) {
					t.Fatalf("err = %v, want InvalidDocument", err)
				}
				return
			}
			if err != nil || pub == nil {
				t.Fatalf("PublicKey: %v", err)
			}
		})
	}
}

func TestPublicJWK(t *testing.T) {
	p256 := mustECDSA(t, elliptic.P256())
	edPub, edPriv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		in      any
		wantErr bool
	}{
		{"ok - P-256", p256.Public(), false},
		{"ok - P-384", mustECDSA(t, elliptic.P384()).Public(), false},
		{"ok - Ed25519", edPub, false},
		{"error - ECDSA private key", p256, true},
		{"error - Ed25519 private key", edPriv, true},
		{"error - P-521", mustECDSA(t, elliptic.P521()).Public(), true},
		{"error - nil", nil, true},
		{"error - short Ed25519", ed25519.PublicKey{1, 2, 3}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := PublicJWK(tt.in)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("PublicJWK = %s, want error", data)
				}
				return
			}
			if err != nil {
				t.Fatalf("PublicJWK: %v", err)
			}
			if strings.Contains(string(data), `"d"`) {
				t.Fatalf("JWK has private member: %s", data)
			}
			back, err := ParseJWK(data)
			if err != nil {
				t.Fatalf("ParseJWK: %v", err)
			}
			if !back.(interface{ Equal(x crypto.PublicKey) bool }).Equal(tt.in) {
				t.Fatal("key changed in the JWK round trip")
			}
		})
	}
}

var errAny = errors.New("any error")

func wantCurve(c elliptic.Curve) func(t *testing.T, pub any) {
	return func(t *testing.T, pub any) {
		k, ok := pub.(*ecdsa.PublicKey)
		if !ok || k.Curve != c {
			t.Fatalf("got %T, want ECDSA on %s", pub, c.Params().Name)
		}
	}
}

func mustECDSA(t *testing.T, c elliptic.Curve) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(c, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func mustJWKOf(t *testing.T, raw any) string {
	t.Helper()
	k, err := jwk.FromRaw(raw)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(k)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
