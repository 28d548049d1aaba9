package dpop_test

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/internal/dpop"
)

// The npm test peers: panva's jose makes and checks DPoP proofs independently of our code.
var peers = filepath.Join("..", "..", "testdata", "peers")

// node runs a peer script and returns its stdout; a non-zero exit is returned as an error
// with the script's stderr.
func node(t *testing.T, script string, args ...string) ([]byte, error) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(peers, "node_modules", "jose")); err != nil {
		t.Fatalf("npm test peers are not installed (%v); run `make test` or `npm ci --prefix testdata/peers`", err)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command("node", append([]string{filepath.Join(peers, script)}, args...)...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, &peerError{err: err, stderr: strings.TrimSpace(stderr.String())}
	}
	return stdout.Bytes(), nil
}

type peerError struct {
	err    error
	stderr string
}

func (e *peerError) Error() string { return e.err.Error() + ": " + e.stderr }

// A proof made by jose is accepted by Verify, with the same thumbprint jose computes.
func TestInteropJoseMakesGoVerifies(t *testing.T) {
	tests := []struct {
		name, alg, method, url, nonce, accessToken string
	}{
		{name: "ok - ES256 token request with nonce", alg: "ES256", method: "POST", url: tokenURL, nonce: serverNonce},
		{name: "ok - ES384 PAR request", alg: "ES384", method: "POST", url: "https://issuer.example/tenant/par"},
		{name: "ok - EdDSA credential request with ath", alg: "EdDSA", method: "POST", url: "https://issuer.example/tenant/credential", nonce: serverNonce, accessToken: accessToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := node(t, "dpop-make.mjs", tt.alg, tt.method, tt.url, tt.nonce, tt.accessToken)
			if err != nil {
				t.Fatal(err)
			}
			var made struct{ Proof, JKT string }
			if err := json.Unmarshal(out, &made); err != nil {
				t.Fatalf("peer output %s: %v", out, err)
			}

			p, err := dpop.Verify(made.Proof, dpop.VerifyOptions{
				Method: tt.method, URL: tt.url, Nonce: tt.nonce, AccessToken: tt.accessToken, JKT: made.JKT,
			})

			if err != nil {
				t.Fatalf("Verify of a jose proof: %v", err)
			}
			if p.JKT != made.JKT || p.URL != tt.url || time.Since(p.IssuedAt) > time.Minute {
				t.Fatalf("proof %+v, jose thumbprint %s", p, made.JKT)
			}
			if _, err := dpop.Verify(made.Proof, dpop.VerifyOptions{Method: "GET", URL: tt.url}); err == nil {
				t.Fatal("a jose proof for " + tt.method + " verified for GET")
			}
		})
	}
}

// A proof made by New is accepted by jose's jwtVerify with EmbeddedJWK, and jose computes
// the thumbprint we do.
func TestInteropGoMakesJoseVerifies(t *testing.T) {
	_, ed, _ := ed25519.GenerateKey(rand.Reader)
	tests := []struct {
		name                      string
		key                       crypto.Signer
		method, url, nonce, token string
		tamper                    func(string) string
		verifyURL                 string // URL the peer checks htu against, when not url
		wantRejected              bool
	}{
		{name: "ok - ES256", key: ecKey(t, elliptic.P256()), method: "POST", url: tokenURL},
		{name: "ok - ES384 with nonce", key: ecKey(t, elliptic.P384()), method: "POST", url: tokenURL, nonce: serverNonce},
		{name: "ok - EdDSA with nonce and ath", key: ed, method: "POST", url: "https://issuer.example/tenant/credential", nonce: serverNonce, token: accessToken},
		{name: "ok - query left out of htu", key: ed, method: "GET", url: "https://issuer.example/tenant/offer?id=1"},
		{name: "error - tampered signature is refused by jose", key: ecKey(t, elliptic.P256()), method: "POST", url: tokenURL,
			tamper: flipSignatureChar, wantRejected: true},
		{name: "error - proof for another URL is refused by jose", key: ed, method: "POST", url: tokenURL,
			verifyURL: "https://issuer.example/tenant/credential", wantRejected: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			proof, err := dpop.New(tt.key, tt.method, tt.url, tt.nonce, tt.token, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			if tt.tamper != nil {
				proof = tt.tamper(proof)
			}

			verifyURL := tt.url
			if tt.verifyURL != "" {
				verifyURL = tt.verifyURL
			}
			out, err := node(t, "dpop-verify.mjs", proof, tt.method, verifyURL, tt.nonce, tt.token)

			if tt.wantRejected {
				if err == nil {
					t.Fatalf("jose accepted %s", out)
				}
				return
			}
			if err != nil {
				t.Fatalf("jose refused our proof: %v", err)
			}
			var res struct{ JKT string }
			if err := json.Unmarshal(out, &res); err != nil {
				t.Fatalf("peer output %s: %v", out, err)
			}
			if want, _ := dpop.Thumbprint(tt.key.Public()); res.JKT != want {
				t.Fatalf("jose thumbprint %s, ours %s", res.JKT, want)
			}
		})
	}
}

// flipSignatureChar changes a character well inside the signature, where every bit counts.
func flipSignatureChar(s string) string {
	i := strings.LastIndex(s, ".") + 10
	c := byte('A')
	if s[i] == 'A' {
		c = 'B'
	}
	return s[:i] + string(c) + s[i+1:]
}
