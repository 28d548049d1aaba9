package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/sociaaldomein/bewijs/internal/demo"
	"github.com/sociaaldomein/bewijs/internal/fixtures"
	"github.com/sociaaldomein/bewijs/internal/statuslist"
	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
	"github.com/sociaaldomein/bewijs/wallet"
)

type createdBeschikking struct {
	ID                 string          `json:"id"`
	Beschikkingnummer  string          `json:"beschikkingnummer"`
	State              string          `json:"state"`
	CredentialOfferURI string          `json:"credential_offer_uri"`
	OfferLink          string          `json:"offer_link"`
	OfferPageURL       string          `json:"offer_page_url"`
	QRPNGURL           string          `json:"qr_png_url"`
	TxCode             string          `json:"tx_code"`
	LoginCode          string          `json:"login_code"`
	ExpiresAt          string          `json:"expires_at"`
	CredentialOffer    json.RawMessage `json:"credential_offer"`
}

// issuanceServer starts the server with the demo organisations and returns it with
// gemeente Amsterdam's API key.
func issuanceServer(t *testing.T, e migrationstest.Engine) (*testServer, string) {
	t.Helper()
	s := startServer(t, e.Open(t))
	if _, err := demo.Seed(t.Context(), s.Env.Service); err != nil {
		t.Fatal(err)
	}
	s.seedRoles(t)
	key, err := s.Env.Service.NewAPIKey(t.Context(), tenant.CLI, "gemeente-amsterdam", false)
	if err != nil {
		t.Fatal(err)
	}
	return s, key
}

func (s *testServer) createBeschikking(t *testing.T, key, fixture, query string) createdBeschikking {
	t.Helper()
	doc, err := fixtures.Toewijzing(fixture)
	if err != nil {
		t.Fatal(err)
	}
	res := s.do(t, http.MethodPost, "/api/v1/beschikkingen"+query, key, "application/json", doc)
	if res.Status != http.StatusCreated {
		t.Fatalf("create beschikking: %d %s", res.Status, res.Body)
	}
	var c createdBeschikking
	res.json(t, &c)
	return c
}

func (s *testServer) wallet() *wallet.Client {
	return &wallet.Client{Resolver: s.Resolver}
}

// End to end through the real HTTP server: create a beschikking with a tx_code, receive it
// with the wallet package (pre-authorized code, DPoP, nonce, proof), verify it, revoke it,
// and see the status change in the status list.
func TestIssueReceiveRevoke(t *testing.T) {
	for _, e := range migrationstest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			s, key := issuanceServer(t, e)
			c := s.createBeschikking(t, key, "01-wmo-hbh-minuten-per-week.json", "?tx_code=true")
			if c.State != "offered" || len(c.TxCode) != 6 || !strings.HasPrefix(c.OfferLink, "openid-credential-offer://?credential_offer_uri=") {
				t.Fatalf("created = %+v", c)
			}
			if strings.Contains(string(c.CredentialOffer), c.TxCode) {
				t.Fatal("the offer contains the tx_code")
			}

			w := s.wallet()
			creds, _, err := w.Receive(t.Context(), c.OfferLink, wallet.ReceiveOptions{TxCode: c.TxCode})
			if err != nil {
				t.Fatal(err)
			}
			if len(creds) != 1 {
				t.Fatalf("received %d credentials, want 1", len(creds))
			}
			cred := creds[0]
			client, _ := cred.Claims["client"].(map[string]any)
			gemeente, _ := cred.Claims["gemeente"].(map[string]any)
			if cred.VCT != "urn:nl:sociaaldomein:wmo:toewijzing:1" || client["bsn"] != "999991772" || gemeente["code"] != "0363" {
				t.Fatalf("claims = %v", cred.Claims)
			}
			if cred.Issuer != "did:web:"+strings.ReplaceAll(strings.TrimPrefix(s.URL, "http://"), ":", "%3A")+":o:gemeente-amsterdam" {
				t.Fatalf("iss = %s", cred.Issuer)
			}
			if st, err := w.Status(t.Context(), cred); err != nil || st != statuslist.Valid {
				t.Fatalf("status before revocation = %v, %v", st, err)
			}

			res := s.postJSON(t, "/api/v1/beschikkingen/"+c.ID+"/revoke", key, map[string]string{"reason": "verhuisd naar andere gemeente"})
			if res.Status != http.StatusOK || !strings.Contains(string(res.Body), `"state":"revoked"`) {
				t.Fatalf("revoke: %d %s", res.Status, res.Body)
			}
			if st, err := w.Status(t.Context(), cred); err != nil || st != statuslist.Invalid {
				t.Fatalf("status after revocation = %v, %v", st, err)
			}
		})
	}
}
