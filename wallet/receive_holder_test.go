package wallet_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/sociaaldomein/bewijs/internal/jose"
	"github.com/sociaaldomein/bewijs/issuer/oid4vci"
	"github.com/sociaaldomein/bewijs/wallet"
)

const holderDID = "did:web:aanbieder.example:o:thuiszorg-de-linde"

// holderIssuer is a small OpenID4VCI issuer for a DID-bound holder: a pre-authorized code
// offer by reference, a token that lists one credential_identifier per product, a nonce
// endpoint and a credential endpoint that answers one credential per proof. It records the
// proofs it was sent and whether the issuance was acknowledged.
type holderIssuer struct {
	srv      *httptest.Server
	mu       sync.Mutex
	proofs   []string
	notified bool
}

func newHolderIssuer(t *testing.T) *holderIssuer {
	t.Helper()
	h := &holderIssuer{}
	mux := http.NewServeMux()
	h.srv = httptest.NewServer(mux)
	t.Cleanup(h.srv.Close)
	u := h.srv.URL
	mux.HandleFunc("GET /offer", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, oid4vci.CredentialOffer{CredentialIssuer: u, CredentialConfigurationIDs: []string{"zorgtoewijzing_jwt_vc_json"},
			Grants: &oid4vci.Grants{PreAuthorizedCode: &oid4vci.PreAuthorizedCodeGrant{PreAuthorizedCode: "code-1"}}})
	})
	mux.HandleFunc("GET "+oid4vci.WellKnownIssuer, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, oid4vci.IssuerMetadata{CredentialIssuer: u, CredentialEndpoint: u + "/credential", NonceEndpoint: u + "/nonce",
			NotificationEndpoint: u + "/notification", BatchCredentialIssuance: &oid4vci.BatchCredentialIssuance{BatchSize: 5}})
	})
	mux.HandleFunc("GET "+oid4vci.WellKnownAS, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, oid4vci.AuthorizationServerMetadata{Issuer: u, TokenEndpoint: u + "/token"})
	})
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		if r.FormValue("pre-authorized_code") != "code-1" {
			http.Error(w, `{"error":"invalid_grant"}`, http.StatusBadRequest)
			return
		}
		writeJSON(w, oid4vci.TokenResponse{AccessToken: "at", TokenType: "Bearer", AuthorizationDetails: []oid4vci.AuthorizationDetail{
			{Type: "openid_credential", CredentialConfigurationID: "zorgtoewijzing_jwt_vc_json", CredentialIdentifiers: []string{"product-1", "product-2"}}}})
	})
	mux.HandleFunc("POST /nonce", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, oid4vci.NonceResponse{CNonce: "c-nonce"})
	})
	mux.HandleFunc("POST /credential", func(w http.ResponseWriter, r *http.Request) {
		var req oid4vci.CredentialRequest
		if json.NewDecoder(r.Body).Decode(&req) != nil || req.Proofs == nil {
			http.Error(w, `{"error":"invalid_credential_request"}`, http.StatusBadRequest)
			return
		}
		h.mu.Lock()
		h.proofs = append(h.proofs, req.Proofs.JWT...)
		h.mu.Unlock()
		var resp oid4vci.CredentialResponse
		for range req.Proofs.JWT {
			resp.Credentials = append(resp.Credentials, oid4vci.IssuedCredential{Credential: "vc-for-" + req.CredentialIdentifier})
		}
		resp.NotificationID = "notif-" + req.CredentialIdentifier
		writeJSON(w, resp)
	})
	mux.HandleFunc("POST /notification", func(w http.ResponseWriter, _ *http.Request) {
		h.mu.Lock()
		h.notified = true
		h.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	})
	return h
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// offerLink is how a gemeente delivers the offer: by reference.
func (h *holderIssuer) offerLink() string {
	return "openid-credential-offer://?credential_offer_uri=" + url.QueryEscape(h.srv.URL+"/offer")
}

func TestReceiveWithHolderKey(t *testing.T) {
	key := newECKey(t)
	holder := jose.Signer{KeyID: holderDID + "#key-1", Key: key}
	accept := func(_ context.Context, raw string) (wallet.Credential, error) {
		return wallet.Credential{ID: "urn:" + raw, Format: "jwt_vc_json", Raw: raw}, nil
	}
	tests := []struct {
		name    string
		opts    wallet.ReceiveOptions
		wantErr string
	}{
		{"ok", wallet.ReceiveOptions{Holder: &holder, Accept: accept, Batch: 3}, ""},
		{"error - holder without accept", wallet.ReceiveOptions{Holder: &holder}, "Accept"},
		{"error - key id not a DID URL", wallet.ReceiveOptions{Holder: &jose.Signer{KeyID: "key-1", Key: key}, Accept: accept}, "DID URL"},
		{"error - accept refuses", wallet.ReceiveOptions{Holder: &holder, Accept: func(context.Context, string) (wallet.Credential, error) {
			return wallet.Credential{}, errors.New("subject is another organisation")
		}}, "another organisation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			iss := newHolderIssuer(t)
			creds, keys, err := (&wallet.Client{}).Receive(t.Context(), iss.offerLink(), tt.opts)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one about %q", err, tt.wantErr)
				}
				if iss.notified {
					t.Fatal("a refused credential was acknowledged to the issuer")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(creds) != 2 || len(keys) != 0 || creds[0].Raw != "vc-for-product-1" || creds[1].Raw != "vc-for-product-2" {
				t.Fatalf("credentials = %+v, keys = %d; want one per credential identifier and no new keys", creds, len(keys))
			}
			if creds[0].HolderKeyID != holder.KeyID || creds[0].CredentialIssuer != iss.srv.URL || creds[0].ID != "urn:vc-for-product-1" {
				t.Fatalf("credential = %+v", creds[0])
			}
			if len(iss.proofs) != 2 || !iss.notified {
				t.Fatalf("proofs sent = %d (want one per request), notified = %v", len(iss.proofs), iss.notified)
			}
			for _, p := range iss.proofs {
				checkHolderProof(t, p, holder, key.Public(), iss.srv.URL)
			}
		})
	}
}

// checkHolderProof: Appendix F.1 with a DID-bound key: kid is the holder's DID URL, there
// is no jwk, and the holder's key signed aud, iat and the c_nonce.
func checkHolderProof(t *testing.T, proof string, holder jose.Signer, pub any, issuer string) {
	t.Helper()
	payload, hdr, err := jose.Verify(proof, pub)
	if err != nil {
		t.Fatalf("proof is not signed by the holder key: %v", err)
	}
	if hdr.Kid != holder.KeyID || hdr.Typ != oid4vci.ProofJWTType || hdr.Alg != "ES256" {
		t.Fatalf("proof header = %+v", hdr)
	}
	if _, ok := hdr.Raw["jwk"]; ok {
		t.Fatal("proof header has a jwk next to the kid")
	}
	var claims struct {
		Aud   string `json:"aud"`
		Iat   int64  `json:"iat"`
		Nonce string `json:"nonce"`
	}
	if err := json.Unmarshal(payload, &claims); err != nil || claims.Aud != issuer || claims.Iat == 0 || claims.Nonce != "c-nonce" {
		t.Fatalf("proof claims = %s (%v)", payload, err)
	}
}

// ReceiveAs is Receive with a holder key for callers that only keep the strings.
func TestReceiveAs(t *testing.T) {
	iss := newHolderIssuer(t)
	holder := jose.Signer{KeyID: holderDID + "#key-1", Key: newECKey(t)}
	var got []string
	err := (&wallet.Client{}).ReceiveAs(t.Context(), iss.offerLink(), holder, func(_ context.Context, raw string) error {
		got = append(got, raw)
		return nil
	})
	if err != nil || len(got) != 2 || got[0] != "vc-for-product-1" {
		t.Fatalf("received %v, %v", got, err)
	}
}

// RequireHTTPS refuses the http offer URI of a test server unless InsecureLocalhost allows
// loopback.
func TestReceiveRequireHTTPS(t *testing.T) {
	tests := []struct {
		name     string
		insecure bool
		ok       bool
	}{
		{"ok - loopback allowed", true, true},
		{"error - http refused", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			iss := newHolderIssuer(t)
			c := &wallet.Client{RequireHTTPS: true, InsecureLocalhost: tt.insecure}
			err := c.ReceiveAs(t.Context(), iss.offerLink(), jose.Signer{KeyID: holderDID + "#key-1", Key: newECKey(t)},
				func(context.Context, string) error { return nil })
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok=%v", err, tt.ok)
			}
			if !tt.ok && len(iss.proofs) != 0 {
				t.Fatal("a credential was requested over http")
			}
		})
	}
}
