package dpop_test

import (
	"crypto"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/internal/dpop"
)

func TestNew(t *testing.T) {
	_, ed, _ := ed25519.GenerateKey(rand.Reader)
	p256 := ecKey(t, elliptic.P256())
	tests := []struct {
		name        string
		key         crypto.Signer
		alg         string
		url         string
		wantHTU     string
		nonce       string
		accessToken string
	}{
		{name: "ok - ES256 token request", key: p256, alg: "ES256", url: tokenURL, wantHTU: tokenURL},
		{name: "ok - ES384 with nonce", key: ecKey(t, elliptic.P384()), alg: "ES384", url: tokenURL, wantHTU: tokenURL, nonce: serverNonce},
		{name: "ok - EdDSA credential request with ath", key: ed, alg: "EdDSA", url: "https://issuer.example/credential", wantHTU: "https://issuer.example/credential", nonce: serverNonce, accessToken: accessToken},
		{name: "ok - query and fragment left out of htu", key: p256, alg: "ES256", url: tokenURL + "?a=b#c", wantHTU: tokenURL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			proof, err := dpop.New(tt.key, "POST", tt.url, tt.nonce, tt.accessToken, testNow)
			if err != nil {
				t.Fatal(err)
			}

			header, claims := decodeJWT(t, proof)
			if header["typ"] != "dpop+jwt" || header["alg"] != tt.alg || header["kid"] != nil {
				t.Fatalf("header %v", header)
			}
			jwk, _ := header["jwk"].(map[string]any)
			if jwk == nil || jwk["d"] != nil || jwk["kty"] == nil {
				t.Fatalf("jwk header %v: want a public JWK", header["jwk"])
			}
			if claims["htu"] != tt.wantHTU || claims["htm"] != "POST" || claims["iat"] != float64(testNow.Unix()) {
				t.Fatalf("claims %v", claims)
			}
			if jti, _ := claims["jti"].(string); len(jti) != 22 {
				t.Fatalf("jti %q: want 128 bits base64url", jti)
			}
			if _, has := claims["nonce"]; has != (tt.nonce != "") {
				t.Fatalf("nonce claim %v, want %q", claims["nonce"], tt.nonce)
			}
			if _, has := claims["ath"]; has != (tt.accessToken != "") {
				t.Fatalf("ath claim %v with access token %q", claims["ath"], tt.accessToken)
			}
			jkt, _ := dpop.Thumbprint(tt.key.Public())
			got, err := dpop.Verify(proof, dpop.VerifyOptions{
				Method: "POST", URL: tt.url, Now: func() time.Time { return testNow },
				Nonce: tt.nonce, AccessToken: tt.accessToken, JKT: jkt,
			})
			if err != nil {
				t.Fatalf("Verify of our own proof: %v", err)
			}
			if got.JKT != jkt || got.URL != tt.wantHTU {
				t.Fatalf("proof %+v", got)
			}
		})
	}
}

func TestNewUniqueJTI(t *testing.T) {
	key := ecKey(t, elliptic.P256())
	seen := map[string]bool{}
	for range 50 {
		proof, err := dpop.New(key, "POST", tokenURL, "", "", testNow)
		if err != nil {
			t.Fatal(err)
		}
		p, err := dpop.Verify(proof, dpop.VerifyOptions{Method: "POST", URL: tokenURL, Now: func() time.Time { return testNow }})
		if err != nil {
			t.Fatal(err)
		}
		if seen[p.JTI] {
			t.Fatalf("jti %s repeated", p.JTI)
		}
		seen[p.JTI] = true
	}
}

func TestNewRefuses(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	key := ecKey(t, elliptic.P256())
	tests := []struct {
		name   string
		key    crypto.Signer
		method string
		url    string
	}{
		{"error - no key", nil, "POST", tokenURL},
		{"error - no method", key, "", tokenURL},
		{"error - relative URL", key, "POST", "/token"},
		{"error - not http", key, "POST", "urn:example:token"},
		{"error - RSA key", rsaKey, "POST", tokenURL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if proof, err := dpop.New(tt.key, tt.method, tt.url, "", "", testNow); err == nil {
				t.Fatalf("New = %s, want an error", proof)
			}
		})
	}
}

// decodeJWT decodes header and payload of a compact JWS without verifying it.
func decodeJWT(t *testing.T, compact string) (header, claims map[string]any) {
	t.Helper()
	parts := strings.Split(compact, ".")
	if len(parts) != 3 {
		t.Fatalf("%d parts", len(parts))
	}
	for i, into := range []*map[string]any{&header, &claims} {
		data, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, into); err != nil {
			t.Fatal(err)
		}
	}
	return header, claims
}
