package api_test

import (
	"crypto/ecdsa"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/internal/dpop"
	"github.com/sociaaldomein/bewijs/issuer/oid4vci"
)

// DPoP refusals at the credential endpoint (RFC 9449 §4.3, §7, §9, §11.1), run by
// TestIssuanceNegative on a token that stays usable: after all of them the credential is
// still there to be issued.

// assertDPoPRefused: RFC 9449 §7.1 lets a resource server refuse with invalid_token (the
// token's binding) or invalid_dpop_proof (the proof); a 401 carries a DPoP challenge.
// tokenError: the access token itself is refused (RFC 6750 §3.1: 401 invalid_token).
func assertDPoPRefused(t *testing.T, res response, err error, tokenError bool) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	code := res.vciError().Error
	switch {
	case tokenError:
		if res.Status != http.StatusUnauthorized || code != oid4vci.ErrInvalidToken {
			t.Fatalf("got %s, want 401 invalid_token", res.vciString())
		}
	// RFC 9449 §7.1, §12.2: at a protected resource a bad proof is 401 with a DPoP challenge.
	case res.Status == http.StatusUnauthorized && (code == oid4vci.ErrInvalidDPoPProof || code == oid4vci.ErrInvalidToken):
	default:
		t.Fatalf("got %s, want 401 invalid_dpop_proof or invalid_token", res.vciString())
	}
	if res.Status == http.StatusUnauthorized && !strings.Contains(res.Header.Get("WWW-Authenticate"), "DPoP") {
		t.Fatalf("401 without a DPoP challenge: WWW-Authenticate %q", res.Header.Get("WWW-Authenticate"))
	}
}

func testDPoPRefusals(t *testing.T, cl *vciClient, id string) {
	tok, credURL, other := cl.Token.AccessToken, cl.endpoint("credential"), mustKey()
	proof := func(key *ecdsa.PrivateKey, method, target, accessToken string) func() ([]string, error) {
		return func() ([]string, error) {
			p, err := dpop.New(key, method, target, cl.Nonce, accessToken, time.Now())
			return []string{p}, err
		}
	}
	valid := proof(cl.DPoPKey, http.MethodPost, credURL, tok)
	for _, tc := range []struct {
		name       string
		auth       string
		proofs     func() ([]string, error)
		tokenError bool
	}{
		{"error - DPoP proof for another URL", "DPoP " + tok, proof(cl.DPoPKey, http.MethodPost, cl.endpoint("nonce"), tok), false},
		{"error - DPoP proof for another method", "DPoP " + tok, proof(cl.DPoPKey, http.MethodGet, credURL, tok), false},
		// §7.1: the public key of the proof must be the one the access token is bound to.
		{"error - DPoP proof by another key than the token is bound to", "DPoP " + tok, proof(other, http.MethodPost, credURL, tok), false},
		// §7: "The DPoP proof MUST include the ath claim".
		{"error - DPoP proof without ath", "DPoP " + tok, proof(cl.DPoPKey, http.MethodPost, credURL, ""), false},
		{"error - DPoP proof for another access token", "DPoP " + tok, proof(cl.DPoPKey, http.MethodPost, credURL, tok+"x"), false},
		// §4.3 (1): "There is not more than one DPoP HTTP request header field".
		{"error - two DPoP headers", "DPoP " + tok, func() ([]string, error) {
			a, _ := valid()
			b, err := valid()
			return append(a, b...), err
		}, false},
		{"error - bound token sent as Bearer", "Bearer " + tok, func() ([]string, error) { return nil, nil }, true},
		{"error - bound token sent as Bearer with a DPoP proof", "Bearer " + tok, valid, true},
		{"error - DPoP proof without the access token", "", valid, true},
		{"error - unknown access token", "DPoP bm90LWEtdG9rZW4", proof(cl.DPoPKey, http.MethodPost, credURL, "bm90LWEtdG9rZW4"), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := cl.ProofRequest(id, mustCNonce(t, cl), mustKey())
			if err != nil {
				t.Fatal(err)
			}
			proofs, err := tc.proofs()
			if err != nil {
				t.Fatal(err)
			}
			res, err := cl.RawCredential(t.Context(), tc.auth, proofs, req)
			assertDPoPRefused(t, res, err, tc.tokenError)
		})
	}
	t.Run("error - DPoP proof without the server's nonce", func(t *testing.T) {
		req, err := cl.ProofRequest(id, mustCNonce(t, cl), mustKey())
		if err != nil {
			t.Fatal(err)
		}
		p, err := dpop.New(cl.DPoPKey, http.MethodPost, credURL, "", tok, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		// §9: the resource server answers 401 with error use_dpop_nonce and a DPoP-Nonce header.
		res, err := cl.RawCredential(t.Context(), "DPoP "+tok, []string{p}, req)
		expectVCIError(t, res, err, http.StatusUnauthorized, oid4vci.ErrUseDPoPNonce)
		if res.Header.Get(dpop.NonceHeader) == "" || !strings.Contains(res.Header.Get("WWW-Authenticate"), "use_dpop_nonce") {
			t.Fatalf("headers = %v", res.Header)
		}
	})
	t.Run("error - DPoP proof replayed", func(t *testing.T) {
		p, err := cl.DPoPProof()
		if err != nil {
			t.Fatal(err)
		}
		// The first use passes the DPoP check and fails later, on its key proof.
		bad, err := vciProof(mustKey(), proofClaims(cl.Issuer, mustCNonce(t, cl), time.Now()), map[string]any{"typ": "JWT"})
		if err != nil {
			t.Fatal(err)
		}
		res, err := cl.RawCredential(t.Context(), "DPoP "+tok, []string{p}, oid4vci.CredentialRequest{CredentialIdentifier: id, Proofs: &oid4vci.Proofs{JWT: []string{bad}}})
		expectVCIError(t, res, err, http.StatusBadRequest, oid4vci.ErrInvalidProof)
		// §11.1: the same proof again is a replay, even with a correct body.
		req, err := cl.ProofRequest(id, mustCNonce(t, cl), mustKey())
		if err != nil {
			t.Fatal(err)
		}
		res, err = cl.RawCredential(t.Context(), "DPoP "+tok, []string{p}, req)
		assertDPoPRefused(t, res, err, false)
	})
}
