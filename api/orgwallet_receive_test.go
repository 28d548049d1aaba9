package api_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/internal/demo"
	"github.com/sociaaldomein/bewijs/internal/jose"
	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/internal/w3cvc"
	"github.com/sociaaldomein/bewijs/issuer/oid4vci"
	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
)

// remoteIssuer stands in for a gemeente on another instance: a pre-authorized code offer by
// reference for one Zorgtoewijzing (jwt_vc_json), whose credential endpoint accepts only a
// proof whose kid is a key of a DID (resolved over did:web from the test server) and signs
// the credential for that DID with the key of gemeente-amsterdam.
func remoteIssuer(t *testing.T, s *testServer) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	u, credID := srv.URL, "urn:uuid:"+uuid.NewString() // the same credential on every redemption
	mux.HandleFunc("GET /offer", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(oid4vci.CredentialOffer{CredentialIssuer: u, CredentialConfigurationIDs: []string{"zorgtoewijzing_jwt_vc_json"},
			Grants: &oid4vci.Grants{PreAuthorizedCode: &oid4vci.PreAuthorizedCodeGrant{PreAuthorizedCode: "code"}}})
	})
	mux.HandleFunc("GET "+oid4vci.WellKnownIssuer, func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(oid4vci.IssuerMetadata{CredentialIssuer: u, CredentialEndpoint: u + "/credential", NonceEndpoint: u + "/nonce"})
	})
	mux.HandleFunc("GET "+oid4vci.WellKnownAS, func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(oid4vci.AuthorizationServerMetadata{Issuer: u, TokenEndpoint: u + "/token"})
	})
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(oid4vci.TokenResponse{AccessToken: "at", TokenType: "Bearer", AuthorizationDetails: []oid4vci.AuthorizationDetail{
			{Type: "openid_credential", CredentialConfigurationID: "zorgtoewijzing_jwt_vc_json", CredentialIdentifiers: []string{"p1"}}}})
	})
	mux.HandleFunc("POST /nonce", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(oid4vci.NonceResponse{CNonce: "n"})
	})
	mux.HandleFunc("POST /credential", func(w http.ResponseWriter, r *http.Request) {
		var req oid4vci.CredentialRequest
		if json.NewDecoder(r.Body).Decode(&req) != nil || req.Proofs == nil || len(req.Proofs.JWT) != 1 {
			http.Error(w, `{"error":"invalid_credential_request"}`, http.StatusBadRequest)
			return
		}
		holder, err := proofHolder(r, s, req.Proofs.JWT[0])
		if err != nil {
			http.Error(w, `{"error":"invalid_proof"}`, http.StatusBadRequest)
			return
		}
		signer, _ := s.Env.Service.Signer(r.Context(), "gemeente-amsterdam")
		vc, err := w3cvc.SignJWT(w3cvc.Credential{ID: credID, Types: []string{"Zorgtoewijzing"}, Issuer: s.Env.Service.DID("gemeente-amsterdam"),
			Subject: holder, ValidFrom: time.Now(), Claims: map[string]any{"toewijzingnummer": 7}}, signer)
		if err != nil {
			http.Error(w, `{"error":"server_error"}`, http.StatusInternalServerError)
			return
		}
		_ = json.NewEncoder(w).Encode(oid4vci.CredentialResponse{Credentials: []oid4vci.IssuedCredential{{Credential: vc}}})
	})
	return srv
}

// proofHolder checks a DID-bound proof as the gemeente's credential endpoint will: kid (no
// jwk) names a key in the holder's resolved DID document, and that key signed it.
func proofHolder(r *http.Request, s *testServer, proof string) (string, error) {
	hdr, err := jose.ParseHeader(proof)
	if err != nil || hdr.Typ != oid4vci.ProofJWTType || hdr.Raw["jwk"] != nil {
		return "", io.ErrUnexpectedEOF
	}
	id, _, err := did.ParseDIDURL(hdr.Kid)
	if err != nil {
		return "", err
	}
	doc, err := s.Resolver.Resolve(r.Context(), id)
	if err != nil {
		return "", err
	}
	pub, err := doc.Key(hdr.Kid, did.AssertionMethod)
	if err != nil {
		return "", err
	}
	_, _, err = jose.Verify(proof, pub)
	return id, err
}

func TestCredentialOfferEndpoint(t *testing.T) {
	s := startServer(t, migrationstest.SQLite(t))
	if _, err := demo.Seed(t.Context(), s.Env.Service); err != nil {
		t.Fatal(err)
	}
	remote := remoteIssuer(t, s)
	// The gemeente finds the endpoint in the aanbieder's DID document.
	doc, err := s.Resolver.Resolve(t.Context(), s.Env.Service.DID("thuiszorg-de-linde"))
	if err != nil {
		t.Fatal(err)
	}
	endpoint, ok := doc.ServiceEndpoint(did.ServiceTypeCredentialOffer)
	if !ok || endpoint != s.URL+"/o/thuiszorg-de-linde/credential-offer-endpoint" {
		t.Fatalf("credential offer endpoint in the DID document = %q, %v", endpoint, ok)
	}
	byRef := "?credential_offer_uri=" + url.QueryEscape(remote.URL+"/offer")
	tests := []struct {
		name   string
		url    string
		status int
		want   string // in the body
	}{
		{"ok", endpoint + byRef, http.StatusOK, `"received":1`},
		{"ok - delivered again", endpoint + byRef, http.StatusOK, `"received":0`},
		{"error - no offer", endpoint, http.StatusBadRequest, `"error":"invalid_request"`},
		{"error - both by value and by reference", endpoint + byRef + "&credential_offer=%7B%7D", http.StatusBadRequest, "exactly one"},
		{"error - offer not over https", endpoint + "?credential_offer_uri=" + url.QueryEscape("http://bewijs.example/offer"), http.StatusBadRequest, "could not be redeemed"},
		{"error - unknown organisation", s.URL + "/o/nobody/credential-offer-endpoint" + byRef, http.StatusNotFound, `"error":"invalid_request"`},
		{"error - trust anchor", s.URL + "/o/" + demo.TrustAnchorSlug + "/credential-offer-endpoint" + byRef, http.StatusNotFound, "no organisation wallet"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := http.Get(tt.url)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != tt.status || !strings.Contains(string(body), tt.want) {
				t.Fatalf("%d %s; want %d with %s", res.StatusCode, body, tt.status, tt.want)
			}
		})
	}
	wallet, err := s.OrgCreds.Wallet(t.Context(), tenant.CLI, "thuiszorg-de-linde")
	if err != nil || len(wallet) != 1 || wallet[0].Type != "Zorgtoewijzing" || wallet[0].Issuer != s.Env.Service.DID("gemeente-amsterdam") {
		t.Fatalf("wallet = %+v, %v", wallet, err)
	}
}
