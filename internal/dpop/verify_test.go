package dpop_test

import (
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/internal/dpop"
)

const (
	tokenURL    = "https://issuer.example/tenant/token"
	accessToken = "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"
	serverNonce = "eyJ7S_zG.eyJH0-Z.HX4w-7v"
)

var testNow = time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC)

func TestVerify(t *testing.T) {
	key := ecKey(t, elliptic.P256())
	other := ecKey(t, elliptic.P256())
	p384 := ecKey(t, elliptic.P384())
	edPub, edKey, _ := ed25519.GenerateKey(rand.Reader)
	keyJKT, _ := dpop.Thumbprint(key.Public())
	otherJKT, _ := dpop.Thumbprint(other.Public())

	base := proofParts{
		header: map[string]any{"typ": "dpop+jwt", "alg": "ES256", "jwk": publicJWK(t, key.Public())},
		claims: map[string]any{"jti": "-BwC3ESc6acc2lTc", "htm": "POST", "htu": tokenURL, "iat": testNow.Unix()},
		sign:   signEC(key),
	}
	opts := dpop.VerifyOptions{Method: "POST", URL: tokenURL, Now: func() time.Time { return testNow }}
	bound := opts
	bound.Nonce, bound.AccessToken, bound.JKT = serverNonce, accessToken, keyJKT

	tests := []struct {
		name     string
		edit     func(p *proofParts)
		opts     dpop.VerifyOptions
		wantCode string // "" for success
		wantDesc string // part of the description
	}{
		{name: "ok", opts: opts},
		{name: "ok - htu normalisation: default port and case", opts: opts, edit: func(p *proofParts) {
			p.claims["htu"] = "HTTPS://Issuer.EXAMPLE:443/tenant/./token"
		}},
		{name: "ok - request URL with query and fragment", opts: withURL(opts, tokenURL+"?a=b#f")},
		{name: "ok - nonce, ath and jkt", opts: bound, edit: func(p *proofParts) {
			p.claims["nonce"], p.claims["ath"] = serverNonce, dpop.AccessTokenHash(accessToken)
		}},
		{name: "ok - iat at the edge of the skew", opts: opts, edit: func(p *proofParts) {
			p.claims["iat"] = testNow.Add(dpop.DefaultSkew).Unix()
		}},
		{name: "ok - ES384", opts: opts, edit: func(p *proofParts) {
			p.header["alg"], p.header["jwk"], p.sign = "ES384", publicJWK(t, p384.Public()), signEC(p384)
		}},
		{name: "ok - EdDSA", opts: opts, edit: func(p *proofParts) {
			p.header["alg"], p.header["jwk"], p.sign = "EdDSA", publicJWK(t, edPub), signEd(edKey)
		}},
		{name: "error - htu of another URL", opts: opts, wantCode: dpop.CodeInvalidProof, wantDesc: "htu", edit: func(p *proofParts) {
			p.claims["htu"] = "https://issuer.example/tenant/credential"
		}},
		{name: "error - htu of another port", opts: opts, wantCode: dpop.CodeInvalidProof, wantDesc: "htu", edit: func(p *proofParts) {
			p.claims["htu"] = "https://issuer.example:8443/tenant/token"
		}},
		{name: "error - htu not absolute", opts: opts, wantCode: dpop.CodeInvalidProof, wantDesc: "htu", edit: func(p *proofParts) {
			p.claims["htu"] = "/tenant/token"
		}},
		{name: "error - key does not match signature", opts: opts, wantCode: dpop.CodeInvalidProof, wantDesc: "signature", edit: func(p *proofParts) {
			p.sign = signEC(other)
		}},
		{name: "error - private jwk in header", opts: opts, wantCode: dpop.CodeInvalidProof, wantDesc: "private key", edit: func(p *proofParts) {
			p.header["jwk"] = privateJWK(t, key)
		}},
		{name: "error - missing jwk", opts: opts, wantCode: dpop.CodeInvalidProof, wantDesc: "jwk", edit: func(p *proofParts) {
			delete(p.header, "jwk")
		}},
		{name: "error - alg none", opts: opts, wantCode: dpop.CodeInvalidProof, wantDesc: "alg", edit: func(p *proofParts) {
			p.header["alg"], p.sign = "none", signNone
		}},
		{name: "error - HS256", opts: opts, wantCode: dpop.CodeInvalidProof, wantDesc: "alg", edit: func(p *proofParts) {
			p.header["alg"], p.sign = "HS256", signHMAC([]byte("a shared secret of thirty-two by"))
		}},
		{name: "error - alg does not fit the key", opts: opts, wantCode: dpop.CodeInvalidProof, wantDesc: "signature", edit: func(p *proofParts) {
			p.header["alg"] = "ES384"
		}},
		{name: "error - typ JWT", opts: opts, wantCode: dpop.CodeInvalidProof, wantDesc: "typ", edit: func(p *proofParts) {
			p.header["typ"] = "JWT"
		}},
		{name: "error - typ missing", opts: opts, wantCode: dpop.CodeInvalidProof, wantDesc: "typ", edit: func(p *proofParts) {
			delete(p.header, "typ")
		}},
		{name: "error - stale iat", opts: opts, wantCode: dpop.CodeInvalidProof, wantDesc: "too old", edit: func(p *proofParts) {
			p.claims["iat"] = testNow.Add(-dpop.DefaultMaxAge - time.Second).Unix()
		}},
		{name: "error - stale iat with a shorter MaxAge", opts: withMaxAge(opts, 10*time.Second), wantCode: dpop.CodeInvalidProof, wantDesc: "too old", edit: func(p *proofParts) {
			p.claims["iat"] = testNow.Add(-11 * time.Second).Unix()
		}},
		{name: "error - future iat", opts: opts, wantCode: dpop.CodeInvalidProof, wantDesc: "future", edit: func(p *proofParts) {
			p.claims["iat"] = testNow.Add(dpop.DefaultSkew + time.Second).Unix()
		}},
		{name: "error - iat as a string", opts: opts, wantCode: dpop.CodeInvalidProof, wantDesc: "malformed", edit: func(p *proofParts) {
			p.claims["iat"] = "1790000000"
		}},
		{name: "error - wrong method", opts: opts, wantCode: dpop.CodeInvalidProof, wantDesc: "htm", edit: func(p *proofParts) {
			p.claims["htm"] = "GET"
		}},
		{name: "error - method in lower case", opts: opts, wantCode: dpop.CodeInvalidProof, wantDesc: "htm", edit: func(p *proofParts) {
			p.claims["htm"] = "post"
		}},
		{name: "error - missing jti", opts: opts, wantCode: dpop.CodeInvalidProof, wantDesc: "jti", edit: func(p *proofParts) {
			delete(p.claims, "jti")
		}},
		{name: "error - jti too long", opts: opts, wantCode: dpop.CodeInvalidProof, wantDesc: "jti", edit: func(p *proofParts) {
			p.claims["jti"] = strings.Repeat("j", 257)
		}},
		{name: "error - missing htm", opts: opts, wantCode: dpop.CodeInvalidProof, wantDesc: "htm", edit: func(p *proofParts) {
			delete(p.claims, "htm")
		}},
		{name: "error - missing htu", opts: opts, wantCode: dpop.CodeInvalidProof, wantDesc: "htu", edit: func(p *proofParts) {
			delete(p.claims, "htu")
		}},
		{name: "error - missing iat", opts: opts, wantCode: dpop.CodeInvalidProof, wantDesc: "iat", edit: func(p *proofParts) {
			delete(p.claims, "iat")
		}},
		{name: "error - missing nonce gives use_dpop_nonce", opts: withNonce(opts, serverNonce), wantCode: dpop.CodeUseNonce, wantDesc: "requires a nonce"},
		{name: "error - old nonce gives use_dpop_nonce", opts: withNonce(opts, serverNonce), wantCode: dpop.CodeUseNonce, wantDesc: "not the current", edit: func(p *proofParts) {
			p.claims["nonce"] = "an-older-nonce"
		}},
		{name: "error - invalid proof without nonce gives invalid_dpop_proof", opts: withNonce(opts, serverNonce), wantCode: dpop.CodeInvalidProof, wantDesc: "htm", edit: func(p *proofParts) {
			p.claims["htm"] = "GET"
		}},
		{name: "error - wrong ath", opts: bound, wantCode: dpop.CodeInvalidProof, wantDesc: "ath", edit: func(p *proofParts) {
			p.claims["nonce"], p.claims["ath"] = serverNonce, dpop.AccessTokenHash("another token")
		}},
		{name: "error - missing ath", opts: bound, wantCode: dpop.CodeInvalidProof, wantDesc: "ath", edit: func(p *proofParts) {
			p.claims["nonce"] = serverNonce
		}},
		{name: "error - bound to another key (jkt)", opts: withJKT(opts, otherJKT), wantCode: dpop.CodeInvalidProof, wantDesc: "bound"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parts := base.clone()
			if tt.edit != nil {
				tt.edit(&parts)
			}
			proof := parts.compact(t)

			got, err := dpop.Verify(proof, tt.opts)

			if tt.wantCode == "" {
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				assertProof(t, got, parts)
				return
			}
			assertError(t, err, tt.wantCode, tt.wantDesc)
		})
	}
}

func TestVerifyMalformed(t *testing.T) {
	key := ecKey(t, elliptic.P256())
	header := map[string]any{"typ": "dpop+jwt", "alg": "ES256", "jwk": publicJWK(t, key.Public())}
	good := compactJWS(t, header, map[string]any{"jti": "x", "htm": "POST", "htu": tokenURL, "iat": testNow.Unix()}, signEC(key))
	parts := strings.Split(good, ".")
	opts := dpop.VerifyOptions{Method: "POST", URL: tokenURL, Now: func() time.Time { return testNow }}
	tests := []struct {
		name  string
		proof string
	}{
		{"error - empty", ""},
		{"error - garbage", "not a jwt"},
		{"error - two parts", parts[0] + "." + parts[1]},
		{"error - JSON serialization", `{"payload":"` + parts[1] + `","protected":"` + parts[0] + `","signature":"` + parts[2] + `"}`},
		{"error - two proofs joined by a comma", good + "," + good},
		{"error - payload not an object", compactJWS(t, header, nil, signEC(key))},
		{"error - payload array", parts[0] + "." + b64([]byte(`[1]`)) + "." + parts[2]},
		{"error - too long", good + strings.Repeat("A", 9000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := dpop.Verify(tt.proof, opts)
			assertError(t, err, dpop.CodeInvalidProof, "")
		})
	}
}

func TestVerifyOptionsRequired(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts dpop.VerifyOptions
	}{
		{"error - no method", dpop.VerifyOptions{URL: tokenURL}},
		{"error - no URL", dpop.VerifyOptions{Method: "POST"}},
		{"error - relative URL", dpop.VerifyOptions{Method: "POST", URL: "/token"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := dpop.Verify("a.b.c", tt.opts)
			var de *dpop.Error
			if err == nil || errors.As(err, &de) {
				t.Fatalf("err = %v, want a plain configuration error", err)
			}
		})
	}
}

func assertProof(t *testing.T, got dpop.Proof, parts proofParts) {
	t.Helper()
	jkt, err := dpop.Thumbprint(got.JWK)
	if err != nil {
		t.Fatal(err)
	}
	want := parts.claims
	if got.JKT != jkt || got.JTI != want["jti"] || got.Method != want["htm"] || got.URL != want["htu"] {
		t.Fatalf("proof %+v does not reflect claims %v (jkt %s)", got, want, jkt)
	}
	if got.IssuedAt.Unix() != want["iat"].(int64) {
		t.Fatalf("IssuedAt %s, want %d", got.IssuedAt, want["iat"])
	}
	if n, _ := want["nonce"].(string); got.Nonce != n {
		t.Fatalf("Nonce %q, want %q", got.Nonce, n)
	}
	if a, _ := want["ath"].(string); got.ATH != a {
		t.Fatalf("ATH %q, want %q", got.ATH, a)
	}
}

func assertError(t *testing.T, err error, code, desc string) {
	t.Helper()
	var de *dpop.Error
	if !errors.As(err, &de) {
		t.Fatalf("err = %v, want *dpop.Error %s", err, code)
	}
	if de.Code != code || !strings.Contains(de.Description, desc) {
		t.Fatalf("err = %q (%q), want code %s with description containing %q", de.Code, de.Description, code, desc)
	}
	sentinel := map[string]error{dpop.CodeInvalidProof: dpop.ErrInvalidProof, dpop.CodeUseNonce: dpop.ErrUseNonce}[code]
	if !errors.Is(err, sentinel) {
		t.Fatalf("errors.Is(%v, %v) = false", err, sentinel)
	}
}

func withURL(o dpop.VerifyOptions, u string) dpop.VerifyOptions   { o.URL = u; return o }
func withNonce(o dpop.VerifyOptions, n string) dpop.VerifyOptions { o.Nonce = n; return o }
func withJKT(o dpop.VerifyOptions, j string) dpop.VerifyOptions   { o.JKT = j; return o }
func withMaxAge(o dpop.VerifyOptions, d time.Duration) dpop.VerifyOptions {
	o.MaxAge = d
	return o
}
