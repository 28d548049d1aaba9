package api_test

import (
	"crypto/ecdsa"
	"crypto/hmac"
	"crypto/sha256"
	"net/http"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/issuer/oid4vci"
	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
	"github.com/sociaaldomein/bewijs/wallet"
)

// Refusals of the issuance protocol through the real HTTP server, on both engines: each
// answers the status and error code its spec gives (OpenID4VCI 1.0 §6.3 token errors, §8.3.1.2
// credential errors, RFC 9449 DPoP errors) and leaves nothing half-issued behind.

const (
	vciAmsterdam  = "gemeente-amsterdam"
	vciFixtureWmo = "01-wmo-hbh-minuten-per-week.json"
)

func TestIssuanceNegative(t *testing.T) {
	for _, e := range migrationstest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			s, key := issuanceServer(t, e)
			t.Run("token", func(t *testing.T) { testTokenRefusals(t, s, key) })
			t.Run("credential", func(t *testing.T) { testCredentialRefusals(t, s, key) })
			t.Run("authorization", func(t *testing.T) { testAuthorizationRefusals(t, s, key) })
			t.Run("nonce", func(t *testing.T) { testStaleNonce(t, s, key) })
			t.Run("admin", func(t *testing.T) { testAdminRefusals(t, s, key) })
		})
	}
}

// expectVCIError asserts a protocol error response: status and error code.
func expectVCIError(t *testing.T, res response, err error, status int, code string) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	if got := res.vciError().Error; res.Status != status || got != code {
		t.Fatalf("got %s, want %d %s", res.vciString(), status, code)
	}
}

// otherTxCode is a transaction code that differs from code in every digit.
func otherTxCode(code string, k int) string {
	out := []byte(code)
	for i, d := range out {
		out[i] = '0' + (d-'0'+byte(1+k%9))%10
	}
	return string(out)
}

func testTokenRefusals(t *testing.T, s *testServer, key string) {
	t.Run("error - wrong tx_code five times", func(t *testing.T) {
		c := s.createBeschikking(t, key, vciFixtureWmo, "?tx_code=true")
		cl, code := newVCIClient(s, vciAmsterdam, false), c.preAuthorizedCode(t)
		// §6.3: a missing Transaction Code is invalid_request.
		res, err := cl.TokenRequest(t.Context(), preAuthorizedForm(code, ""))
		expectVCIError(t, res, err, http.StatusBadRequest, oid4vci.ErrInvalidRequest)
		// §6.3: a wrong Transaction Code is invalid_grant.
		for k := range 5 {
			res, err := cl.TokenRequest(t.Context(), preAuthorizedForm(code, otherTxCode(c.TxCode, k)))
			expectVCIError(t, res, err, http.StatusBadRequest, oid4vci.ErrInvalidGrant)
		}
		// After five wrong tries the code is dead: the right tx_code is refused too.
		res, err = cl.TokenRequest(t.Context(), preAuthorizedForm(code, c.TxCode))
		expectVCIError(t, res, err, http.StatusBadRequest, oid4vci.ErrInvalidGrant)
		if _, _, err := s.wallet().Receive(t.Context(), c.OfferLink, wallet.ReceiveOptions{TxCode: c.TxCode}); err == nil {
			t.Fatal("a wallet received the credentials of a dead code")
		}
		s.assertNothingIssued(t, key, c.ID)
	})
	t.Run("ok - four wrong tx_codes and a missing one leave the code alive", func(t *testing.T) {
		c := s.createBeschikking(t, key, vciFixtureWmo, "?tx_code=true")
		cl, code := newVCIClient(s, vciAmsterdam, false), c.preAuthorizedCode(t)
		res, err := cl.TokenRequest(t.Context(), preAuthorizedForm(code, ""))
		expectVCIError(t, res, err, http.StatusBadRequest, oid4vci.ErrInvalidRequest)
		for k := range 4 {
			res, err := cl.TokenRequest(t.Context(), preAuthorizedForm(code, otherTxCode(c.TxCode, k)))
			expectVCIError(t, res, err, http.StatusBadRequest, oid4vci.ErrInvalidGrant)
		}
		s.assertNothingIssued(t, key, c.ID)
		creds, _, err := s.wallet().Receive(t.Context(), c.OfferLink, wallet.ReceiveOptions{TxCode: c.TxCode})
		if err != nil || len(creds) != 1 {
			t.Fatalf("receive after four wrong tx_codes: %d credentials, %v", len(creds), err)
		}
	})
	t.Run("error - replayed pre-authorized code", func(t *testing.T) {
		c := s.createBeschikking(t, key, vciFixtureWmo, "")
		code := c.preAuthorizedCode(t)
		if err := newVCIClient(s, vciAmsterdam, true).Redeem(t.Context(), code, ""); err != nil {
			t.Fatal(err)
		}
		// §6.3: a used Pre-Authorized Code is invalid_grant, for the same and any other client.
		for _, withDPoP := range []bool{true, false} {
			res, err := newVCIClient(s, vciAmsterdam, withDPoP).TokenRequest(t.Context(), preAuthorizedForm(code, ""))
			expectVCIError(t, res, err, http.StatusBadRequest, oid4vci.ErrInvalidGrant)
		}
	})
	t.Run("error - tx_code for an offer without one", func(t *testing.T) {
		c := s.createBeschikking(t, key, vciFixtureWmo, "")
		res, err := newVCIClient(s, vciAmsterdam, false).TokenRequest(t.Context(), preAuthorizedForm(c.preAuthorizedCode(t), "123456"))
		expectVCIError(t, res, err, http.StatusBadRequest, oid4vci.ErrInvalidRequest)
	})
	t.Run("error - unknown pre-authorized code", func(t *testing.T) {
		res, err := newVCIClient(s, vciAmsterdam, false).TokenRequest(t.Context(), preAuthorizedForm("bm90LWEtY29kZQ", ""))
		expectVCIError(t, res, err, http.StatusBadRequest, oid4vci.ErrInvalidGrant)
	})
}

// proofCase makes one key proof for a fresh c_nonce.
type proofCase struct {
	name  string
	proof func(nonce string) (string, error)
	want  string
}

func proofCases(issuerID, otherIssuerID, dpopNonce string) []proofCase {
	holder, other := mustKey(), mustKey()
	now := time.Now()
	signed := func(aud string, iat time.Time, header map[string]any, nonce func(string) string) func(string) (string, error) {
		return func(n string) (string, error) { return vciProof(holder, proofClaims(aud, nonce(n), iat), header) }
	}
	same := func(n string) string { return n }
	pub, private := publicJWK(holder), privateJWK(holder)
	unsigned := func(header map[string]any, sign func([]byte) []byte) func(string) (string, error) {
		return func(n string) (string, error) { return rawJWS(header, proofClaims(issuerID, n, now), sign) }
	}
	return []proofCase{
		// Appendix F.1: aud "MUST be the Credential Issuer Identifier".
		{"error - proof with wrong aud", signed(otherIssuerID, now, nil, same), oid4vci.ErrInvalidProof},
		// §8.3.1.2: invalid_nonce for a nonce the issuer did not give out.
		{"error - proof with unknown nonce", signed(issuerID, now, nil, func(string) string { return "bm90LWEtbm9uY2U" }), oid4vci.ErrInvalidNonce},
		{"error - proof without nonce", signed(issuerID, now, nil, func(string) string { return "" }), oid4vci.ErrInvalidNonce},
		{"error - proof with a DPoP nonce as c_nonce", signed(issuerID, now, nil, func(string) string { return dpopNonce }), oid4vci.ErrInvalidNonce},
		{"error - proof iat in the future", signed(issuerID, now.Add(10*time.Minute), nil, same), oid4vci.ErrInvalidProof},
		{"error - proof iat too old", signed(issuerID, now.Add(-10*time.Minute), nil, same), oid4vci.ErrInvalidProof},
		// Appendix F.1: alg "MUST NOT be none or an identifier for a symmetric algorithm".
		{"error - proof alg none", unsigned(map[string]any{"alg": "none", "typ": oid4vci.ProofJWTType, "jwk": pub},
			func([]byte) []byte { return nil }), oid4vci.ErrInvalidProof},
		{"error - proof HS256", unsigned(map[string]any{"alg": "HS256", "typ": oid4vci.ProofJWTType, "jwk": pub},
			func(in []byte) []byte { m := hmac.New(sha256.New, pub); m.Write(in); return m.Sum(nil) }), oid4vci.ErrInvalidProof},
		{"error - proof signed by another key than its jwk", func(n string) (string, error) {
			return vciProof(other, proofClaims(issuerID, n, now), map[string]any{"jwk": holder.Public()})
		}, oid4vci.ErrInvalidProof},
		// Appendix F.1: typ "MUST be openid4vci-proof+jwt".
		{"error - proof typ JWT", signed(issuerID, now, map[string]any{"typ": "JWT"}, same), oid4vci.ErrInvalidProof},
		{"error - proof without typ", signed(issuerID, now, map[string]any{"typ": nil}, same), oid4vci.ErrInvalidProof},
		{"error - proof with a private jwk", unsigned(map[string]any{"alg": "ES256", "typ": oid4vci.ProofJWTType, "jwk": private},
			es256(holder)), oid4vci.ErrInvalidProof},
	}
}

func testCredentialRefusals(t *testing.T, s *testServer, key string) {
	c := s.createBeschikking(t, key, vciFixtureWmo, "?tx_code=true")
	cl := newVCIClient(s, vciAmsterdam, true)
	if err := cl.Redeem(t.Context(), c.preAuthorizedCode(t), c.TxCode); err != nil {
		t.Fatal(err)
	}
	ids := cl.CredentialIDs()
	if len(ids) != 1 || cl.Token.TokenType != "DPoP" {
		t.Fatalf("token response = %+v", cl.Token)
	}
	for _, tc := range proofCases(cl.Issuer, s.URL+"/o/gemeente-rotterdam", cl.Nonce) {
		t.Run(tc.name, func(t *testing.T) {
			proof, err := tc.proof(mustCNonce(t, cl))
			if err != nil {
				t.Fatal(err)
			}
			res, err := cl.Credential(t.Context(), oid4vci.CredentialRequest{CredentialIdentifier: ids[0], Proofs: &oid4vci.Proofs{JWT: []string{proof}}})
			expectVCIError(t, res, err, http.StatusBadRequest, tc.want)
		})
	}
	testBatchRefusals(t, cl, ids[0])
	testDPoPRefusals(t, cl, ids[0])
	s.assertNothingIssued(t, key, c.ID)

	t.Run("ok - a correct request still gets the credential", func(t *testing.T) {
		holder := mustKey()
		req, err := cl.ProofRequest(ids[0], mustCNonce(t, cl), holder)
		if err != nil {
			t.Fatal(err)
		}
		res, err := cl.Credential(t.Context(), req)
		if err != nil || res.Status != http.StatusOK {
			t.Fatalf("credential request: %s, %v", res.vciString(), err)
		}
		var cr oid4vci.CredentialResponse
		res.json(t, &cr)
		if len(cr.Credentials) != 1 {
			t.Fatalf("got %d credentials", len(cr.Credentials))
		}
		if _, err := s.wallet().Verify(t.Context(), cr.Credentials[0].Credential, holder.Public()); err != nil {
			t.Fatal(err)
		}
		if issued, entries := s.issuedRows(t, c.ID); issued != 1 || entries != 1 || s.beschikkingState(t, key, c.ID) != "issued" {
			t.Fatalf("after issuance: %d issued, %d entries, state %s", issued, entries, s.beschikkingState(t, key, c.ID))
		}
	})
}

// testAuthorizationRefusals: an access token reaches only the credentials of its own
// beschikking, each once, and only while the beschikking is offered.
func testAuthorizationRefusals(t *testing.T, s *testServer, key string) {
	redeemed := func(t *testing.T) (createdBeschikking, *vciClient) {
		c := s.createBeschikking(t, key, vciFixtureWmo, "")
		cl := newVCIClient(s, vciAmsterdam, true)
		if err := cl.Redeem(t.Context(), c.preAuthorizedCode(t), ""); err != nil {
			t.Fatal(err)
		}
		return c, cl
	}
	t.Run("error - credential_identifier of another beschikking", func(t *testing.T) {
		_, mine := redeemed(t)
		other, theirs := redeemed(t)
		res, err := requestWithFreshNonce(t.Context(), mine, theirs.CredentialIDs()[0])
		// §8.3.1.2: unknown_credential_identifier.
		expectVCIError(t, res, err, http.StatusBadRequest, oid4vci.ErrUnknownCredentialIdentifier)
		s.assertNothingIssued(t, key, other.ID)
	})
	t.Run("error - credential issued already", func(t *testing.T) {
		_, cl := redeemed(t)
		if res, err := requestWithFreshNonce(t.Context(), cl, cl.CredentialIDs()[0]); err != nil || res.Status != http.StatusOK {
			t.Fatalf("first request: %s, %v", res.vciString(), err)
		}
		res, err := requestWithFreshNonce(t.Context(), cl, cl.CredentialIDs()[0])
		expectVCIError(t, res, err, http.StatusBadRequest, oid4vci.ErrCredentialRequestDenied)
	})
	t.Run("error - beschikking revoked after the token was issued", func(t *testing.T) {
		c, cl := redeemed(t)
		s.revokeBeschikking(t, key, c.ID, "ingetrokken")
		res, err := requestWithFreshNonce(t.Context(), cl, cl.CredentialIDs()[0])
		expectVCIError(t, res, err, http.StatusBadRequest, oid4vci.ErrCredentialRequestDenied)
		if issued, entries := s.issuedRows(t, c.ID); issued != 0 || entries != 0 {
			t.Fatalf("%d issued, %d entries after revocation", issued, entries)
		}
	})
}

func testBatchRefusals(t *testing.T, cl *vciClient, id string) {
	holder := mustKey()
	for _, tc := range []struct {
		name string
		keys []int // index into the keys; equal indexes reuse a key
		want string
	}{
		{"error - no proof", nil, oid4vci.ErrInvalidProof},
		{"error - two proofs by the same key", []int{0, 0}, oid4vci.ErrInvalidProof},
		// §8.2: no more proofs than batch_size (10).
		{"error - more proofs than batch_size", []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, oid4vci.ErrInvalidCredentialRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			keys := make([]*ecdsa.PrivateKey, 0, len(tc.keys))
			for _, k := range tc.keys {
				if k == 0 {
					keys = append(keys, holder)
				} else {
					keys = append(keys, mustKey())
				}
			}
			req, err := cl.ProofRequest(id, mustCNonce(t, cl), keys...)
			if err != nil {
				t.Fatal(err)
			}
			res, err := cl.Credential(t.Context(), req)
			expectVCIError(t, res, err, http.StatusBadRequest, tc.want)
		})
	}
}

func mustCNonce(t *testing.T, cl *vciClient) string {
	t.Helper()
	n, err := cl.CNonce(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// testStaleNonce: a c_nonce is single use. One that a successful request used is refused for
// the next credential of the same beschikking, which a fresh nonce then still gets.
func testStaleNonce(t *testing.T, s *testServer, key string) {
	t.Run("error - proof with a used (stale) nonce", func(t *testing.T) {
		res := s.postBeschikking(t, key, withProducts(toewijzingDoc(t, vciFixtureWmo), 2, 36300201, "NEG-STALE-NONCE"), "")
		if res.Status != http.StatusCreated {
			t.Fatalf("create: %s", res.vciString())
		}
		var c createdBeschikking
		res.json(t, &c)
		cl := newVCIClient(s, vciAmsterdam, true)
		if err := cl.Redeem(t.Context(), c.preAuthorizedCode(t), ""); err != nil {
			t.Fatal(err)
		}
		ids := cl.CredentialIDs()
		if len(ids) != 2 {
			t.Fatalf("credential identifiers = %v", ids)
		}
		nonce := mustCNonce(t, cl)
		request := func(id, nonce string) (response, error) {
			req, err := cl.ProofRequest(id, nonce, mustKey())
			if err != nil {
				return response{}, err
			}
			return cl.Credential(t.Context(), req)
		}
		if res, err := request(ids[0], nonce); err != nil || res.Status != http.StatusOK {
			t.Fatalf("first credential: %s, %v", res.vciString(), err)
		}
		res, err := request(ids[1], nonce)
		expectVCIError(t, res, err, http.StatusBadRequest, oid4vci.ErrInvalidNonce)
		if issued, entries := s.issuedRows(t, c.ID); issued != 1 || entries != 1 {
			t.Fatalf("after the refusal: %d issued, %d entries, want 1 and 1", issued, entries)
		}
		if res, err := request(ids[1], mustCNonce(t, cl)); err != nil || res.Status != http.StatusOK {
			t.Fatalf("second credential with a fresh nonce: %s, %v", res.vciString(), err)
		}
		if issued, entries := s.issuedRows(t, c.ID); issued != 2 || entries != 2 {
			t.Fatalf("at the end: %d issued, %d entries, want 2 and 2", issued, entries)
		}
	})
}
