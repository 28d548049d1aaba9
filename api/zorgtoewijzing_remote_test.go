package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/internal/audit"
	auditstore "github.com/sociaaldomein/bewijs/internal/audit/store"
	"github.com/sociaaldomein/bewijs/internal/demo"
	"github.com/sociaaldomein/bewijs/internal/fixtures"
	"github.com/sociaaldomein/bewijs/internal/jose"
	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/internal/w3cvc"
	"github.com/sociaaldomein/bewijs/issuer"
	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
)

// An aanbieder on another bewijs instance: the gemeente on instance A offers the
// zorgtoewijzing to the credential offer endpoint the aanbieder's DID document (on instance B)
// names; B's organisation wallet redeems it over OpenID4VCI with a proof of its DID key; the
// credential verifies against A's did:web, and revoking the beschikking on A revokes it.
func TestZorgtoewijzingToAnotherInstance(t *testing.T) {
	for _, e := range migrationstest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			a, gkey, b := twoInstances(t, e)
			bkey, err := b.Env.Service.NewAPIKey(t.Context(), tenant.CLI, verifierSlug, false)
			if err != nil {
				t.Fatal(err)
			}
			holder := b.Env.Service.DID(verifierSlug)

			// The toewijzing names the aanbieder by its DID on instance B.
			bes := a.beschikkingFor(t, gkey, holder)

			var wallet struct {
				Credentials []struct {
					Type       string `json:"type"`
					Issuer     string `json:"issuer"`
					Credential string `json:"credential"`
				} `json:"credentials"`
			}
			b.do(t, http.MethodGet, "/api/v1/organisation-wallet", bkey, "", nil).json(t, &wallet)
			if len(wallet.Credentials) != 1 || wallet.Credentials[0].Type != "Zorgtoewijzing" {
				t.Fatalf("B's wallet = %+v", wallet)
			}
			z, err := w3cvc.ParseJWT(t.Context(), wallet.Credentials[0].Credential, w3cvc.VerifyOptions{Key: didKey(b)})
			if err != nil {
				t.Fatal(err)
			}
			if z.Issuer != a.Env.Service.DID("gemeente-amsterdam") || z.Subject != holder || z.Claims["toewijzingnummer"] != float64(36300101) ||
				strings.Contains(wallet.Credentials[0].Credential, "999991772") {
				t.Fatalf("zorgtoewijzing = %+v", z)
			}
			if statusBit(t, b, z) {
				t.Fatal("revoked before the beschikking was")
			}
			a.revokeBeschikking(t, gkey, bes.ID, "verhuisd")
			if !statusBit(t, b, z) {
				t.Fatal("the zorgtoewijzing on instance B is not revoked with its beschikking on A")
			}
		})
	}
}

// The offer of a zorgtoewijzing is for one aanbieder: a proof of another organisation's DID
// key is refused (invalid_proof), the aanbieder's own is answered with the JWT VC, once. The
// aanbieder here is a DID without an offer endpoint, so the offer waits for a hand-made client.
func TestZorgtoewijzingOfferIsForItsAanbieder(t *testing.T) {
	e := migrationstest.Engines()[0]
	a, gkey, b := twoInstances(t, e)
	// A gemeente's DID document names no credential offer endpoint: the delivery fails and is
	// audited, the offer stays.
	holderSlug := "gemeente-utrecht"
	a.beschikkingFor(t, gkey, b.Env.Service.DID(holderSlug))
	var offers []struct{ Body string }
	if err := a.Env.DB.Gorm.Raw("SELECT body FROM oid4vci_offers WHERE body LIKE ?", "%zorgtoewijzing_jwt_vc_json%").Scan(&offers).Error; err != nil || len(offers) != 1 {
		t.Fatalf("aanbieder offer: %d %v", len(offers), err)
	}
	if strings.Contains(offers[0].Body, "wmo_beschikking") {
		t.Fatal("the aanbieder's offer also covers the citizen's credential")
	}
	var offer struct {
		Grants struct {
			Pre struct {
				Code string `json:"pre-authorized_code"`
			} `json:"urn:ietf:params:oauth:grant-type:pre-authorized_code"`
		} `json:"grants"`
	}
	if err := json.Unmarshal([]byte(offers[0].Body), &offer); err != nil {
		t.Fatal(err)
	}
	c := newVCIClient(a, "gemeente-amsterdam", false)
	if err := c.Redeem(t.Context(), offer.Grants.Pre.Code, ""); err != nil {
		t.Fatal(err)
	}
	ids := c.CredentialIDs()
	if len(ids) != 1 {
		t.Fatalf("credential identifiers = %v", ids)
	}
	request := func(slug string) response {
		t.Helper()
		nonce, err := c.CNonce(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		signer, err := b.Env.Service.Signer(t.Context(), slug)
		if err != nil {
			t.Fatal(err)
		}
		payload, _ := json.Marshal(proofClaims(c.Issuer, nonce, time.Now()))
		proof, err := jose.Sign(payload, signer, map[string]any{"typ": "openid4vci-proof+jwt"})
		if err != nil {
			t.Fatal(err)
		}
		res, err := c.Credential(t.Context(), map[string]any{"credential_identifier": ids[0], "proofs": map[string]any{"jwt": []string{proof}}})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	if res := request("de-werkplaats"); res.Status != http.StatusBadRequest || res.vciError().Error != "invalid_proof" {
		t.Fatalf("another organisation's proof: %s", res.vciString())
	}
	res := request(holderSlug)
	if res.Status != http.StatusOK {
		t.Fatalf("the aanbieder's proof: %s", res.vciString())
	}
	var cr struct {
		Credentials []struct{ Credential string } `json:"credentials"`
	}
	res.json(t, &cr)
	z, err := w3cvc.ParseJWT(t.Context(), cr.Credentials[0].Credential, w3cvc.VerifyOptions{Key: didKey(b)})
	if err != nil || z.Subject != b.Env.Service.DID(holderSlug) {
		t.Fatalf("credential: %+v %v", z, err)
	}
	if res := request(holderSlug); res.Status == http.StatusOK {
		t.Fatal("the zorgtoewijzing was issued twice")
	}
}

// The admin API twin of `bewijs org-wallet receive`: an organisation hands its wallet an offer
// that did not arrive by itself, and the wallet redeems it as the organisation's DID.
func TestOrganisationWalletReceiveByHand(t *testing.T) {
	e := migrationstest.Engines()[0]
	a, gkey, b := twoInstances(t, e)
	const holderSlug = "gemeente-utrecht" // its DID document names no offer endpoint
	key, err := b.Env.Service.NewAPIKey(t.Context(), tenant.CLI, holderSlug, false)
	if err != nil {
		t.Fatal(err)
	}
	a.beschikkingFor(t, gkey, b.Env.Service.DID(holderSlug))
	var ids []string
	if err := a.Env.DB.Gorm.Raw("SELECT id FROM oid4vci_offers WHERE body LIKE ?", "%zorgtoewijzing_jwt_vc_json%").Scan(&ids).Error; err != nil || len(ids) != 1 {
		t.Fatalf("aanbieder offer: %v %v", ids, err)
	}
	offer := "openid-credential-offer://?credential_offer_uri=" + url.QueryEscape(a.URL+"/o/gemeente-amsterdam/credential-offer/"+ids[0])
	res := b.postJSON(t, "/api/v1/organisation-wallet/receive", key, map[string]string{"offer": offer})
	if res.Status != http.StatusOK || !strings.Contains(string(res.Body), `"type":"Zorgtoewijzing"`) {
		t.Fatalf("receive: %d %s", res.Status, res.Body)
	}
	if res := b.postJSON(t, "/api/v1/organisation-wallet/receive", key, map[string]string{"offer": ""}); res.Status != http.StatusBadRequest {
		t.Fatalf("empty offer: %d %s", res.Status, res.Body)
	}
}

// twoInstances starts instance A with only gemeente-amsterdam (and returns its API key) and
// instance B with the demo organisations.
func twoInstances(t *testing.T, e migrationstest.Engine) (*testServer, string, *testServer) {
	t.Helper()
	return twoInstancesAs(t, e, "gemeente-amsterdam")
}

// twoInstancesAs is twoInstances with the gemeente on A under another slug.
func twoInstancesAs(t *testing.T, e migrationstest.Engine, slug string) (*testServer, string, *testServer) {
	t.Helper()
	return twoInstancesWith(t, e, slug, serverOptions{})
}

// twoInstancesWith is twoInstancesAs with instance B started with bOpts.
func twoInstancesWith(t *testing.T, e migrationstest.Engine, slug string, bOpts serverOptions) (*testServer, string, *testServer) {
	t.Helper()
	a := startServer(t, e.Open(t))
	created, err := a.Env.Service.Create(t.Context(), tenant.CLI, tenant.NewTenant{Slug: slug, Name: "Gemeente Amsterdam",
		Kind: tenant.Gemeente, Ids: tenant.Identifiers{Gemeentecode: "0363"}})
	if err != nil {
		t.Fatal(err)
	}
	b := startServerWith(t, e.Open(t), bOpts)
	if _, err := demo.Seed(t.Context(), b.Env.Service); err != nil {
		t.Fatal(err)
	}
	return a, created.APIKey, b
}

// beschikkingFor creates the beschikking of fixture 01 with the aanbieder named by holderDID.
func (s *testServer) beschikkingFor(t *testing.T, key, holderDID string) createdBeschikking {
	t.Helper()
	doc := fixtureDocument(t, "01-wmo-hbh-minuten-per-week.json")
	doc["aanbieder"].(map[string]any)["did"] = holderDID
	return s.createFromDocument(t, key, doc)
}

// fixtureDocument is the toewijzing document of a fixture, to change before posting.
func fixtureDocument(t *testing.T, fixture string) map[string]any {
	t.Helper()
	raw, err := fixtures.Toewijzing(fixture)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// createFromDocument posts a toewijzing document and fails the test unless it is created.
func (s *testServer) createFromDocument(t *testing.T, key string, doc map[string]any) createdBeschikking {
	t.Helper()
	res := s.postJSON(t, "/api/v1/beschikkingen", key, doc)
	if res.Status != http.StatusCreated {
		t.Fatalf("create beschikking: %d %s", res.Status, res.Body)
	}
	var c createdBeschikking
	res.json(t, &c)
	return c
}

// offerEndpointDown wraps an instance's handler: while down holds, its credential offer
// endpoint answers 503; otherwise each offer that reaches it is counted in delivered.
func offerEndpointDown(down *atomic.Bool, delivered *atomic.Int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/credential-offer-endpoint") {
				if down.Load() {
					http.Error(w, "maintenance", http.StatusServiceUnavailable)
					return
				}
				delivered.Add(1)
			}
			next.ServeHTTP(w, r)
		})
	}
}

// Anyone may deliver an offer to the credential offer endpoint, so an organisation wallet keeps
// only zorgtoewijzingen of issuers the trust policy's table allows: an issuer outside it is
// refused and nothing is kept.
func TestOrganisationWalletRefusesUntrustedIssuer(t *testing.T) {
	a, gkey, b := twoInstancesAs(t, migrationstest.Engines()[0], "zorgregio-west")
	bkey, err := b.Env.Service.NewAPIKey(t.Context(), tenant.CLI, verifierSlug, false)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := fixtures.Toewijzing("01-wmo-hbh-minuten-per-week.json")
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	doc["aanbieder"].(map[string]any)["did"] = b.Env.Service.DID(verifierSlug)
	if res := a.postJSON(t, "/api/v1/beschikkingen", gkey, doc); res.Status != http.StatusCreated {
		t.Fatalf("beschikking: %d %s", res.Status, res.Body)
	}
	var wallet struct {
		Credentials []any `json:"credentials"`
	}
	b.do(t, http.MethodGet, "/api/v1/organisation-wallet", bkey, "", nil).json(t, &wallet)
	if len(wallet.Credentials) != 0 {
		t.Fatalf("B kept %d credentials of an untrusted issuer", len(wallet.Credentials))
	}
	events, err := auditstore.New(a.Env.DB.Gorm).List(t.Context(), auditstore.Filter{Action: "zorgtoewijzing.deliver"})
	if err != nil || len(events) != 1 || events[0].Outcome != "failure" {
		t.Fatalf("delivery audit: %+v %v", events, err)
	}
}

// An aanbieder whose credential offer endpoint is down when the gemeente makes the
// beschikking still receives its zorgtoewijzing: the offer stays due for delivery, and once
// the endpoint is back the next DeliverDue round delivers it, once. Both attempts are audited.
func TestZorgtoewijzingDeliveryRetried(t *testing.T) {
	for _, e := range migrationstest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			var down atomic.Bool
			var delivered atomic.Int64 // offers that reached B's endpoint while it was up
			down.Store(true)
			a, gkey, b := twoInstancesWith(t, e, "gemeente-amsterdam", serverOptions{Wrap: offerEndpointDown(&down, &delivered)})
			bkey, err := b.Env.Service.NewAPIKey(t.Context(), tenant.CLI, verifierSlug, false)
			if err != nil {
				t.Fatal(err)
			}
			holder := b.Env.Service.DID(verifierSlug)
			bes := a.beschikkingFor(t, gkey, holder) // the beschikking stands; its zorgtoewijzing is not delivered
			delivery := func() map[string]any {
				var v struct {
					Delivery map[string]any `json:"zorgtoewijzing_delivery"`
				}
				a.do(t, http.MethodGet, "/api/v1/beschikkingen/"+bes.ID, gkey, "", nil).json(t, &v)
				return v.Delivery
			}
			if d := delivery(); d["state"] != "delivering" || d["attempts"] != float64(1) || d["aanbieder_did"] != holder ||
				!strings.Contains(fmt.Sprint(d["last_error"]), "503") || d["next_attempt_at"] == nil {
				t.Fatalf("delivery after a failed first attempt = %v", d)
			}
			walletSize := func() int {
				var wallet struct {
					Credentials []json.RawMessage `json:"credentials"`
				}
				b.do(t, http.MethodGet, "/api/v1/organisation-wallet", bkey, "", nil).json(t, &wallet)
				return len(wallet.Credentials)
			}
			if n := walletSize(); n != 0 {
				t.Fatalf("B's wallet holds %d credentials while its endpoint was down", n)
			}

			// Not due yet: the first retry waits 30 s.
			if n, err := a.Issuer.DeliverDue(t.Context()); n != 0 || err != nil {
				t.Fatalf("DeliverDue before the retry was due: %d, %v", n, err)
			}
			down.Store(false)
			// 30 s later (moved in the database, as the issuer's clock is real).
			if err := a.Env.DB.Gorm.Exec("UPDATE oid4vci_offers SET next_delivery_at = ? WHERE deliver_to IS NOT NULL",
				time.Now().UTC().Add(-time.Second)).Error; err != nil {
				t.Fatal(err)
			}
			// Two replicas on A's database try at once: one claims the delivery, the other
			// leaves it.
			publicURL, err := url.Parse(a.URL)
			if err != nil {
				t.Fatal(err)
			}
			replicas := []*issuer.Issuer{a.Issuer, newIssuer(t, a.Env.DB, a.Env, publicURL, a.Certs, a.OrgCreds, a.Resolver)}
			var wg sync.WaitGroup
			counts := make([]int, len(replicas))
			for k, r := range replicas {
				wg.Go(func() {
					var err error
					if counts[k], err = r.DeliverDue(t.Context()); err != nil {
						t.Errorf("replica %d: %v", k, err)
					}
				})
			}
			wg.Wait()
			if counts[0]+counts[1] != 1 || delivered.Load() != 1 {
				t.Fatalf("replicas delivered %v, B's endpoint saw %d offers; want one", counts, delivered.Load())
			}
			if n := walletSize(); n != 1 {
				t.Fatalf("B's wallet holds %d credentials after the retry, want 1", n)
			}
			if d := delivery(); d["state"] != "delivered" || d["attempts"] != float64(2) || d["delivered_at"] == nil ||
				d["next_attempt_at"] != nil || d["last_error"] != nil {
				t.Fatalf("delivery after the retry = %v", d)
			}
			if n, err := a.Issuer.DeliverDue(t.Context()); n != 0 || err != nil {
				t.Fatalf("a delivered offer was delivered again: %d, %v", n, err)
			}
			gemeente, err := a.Env.Service.Lookup(t.Context(), "gemeente-amsterdam")
			if err != nil {
				t.Fatal(err)
			}
			events, err := a.Env.Audit.List(t.Context(), auditstore.Filter{TenantID: gemeente.ID, Action: "zorgtoewijzing.deliver"})
			if err != nil {
				t.Fatal(err)
			}
			var outcomes []string
			for _, ev := range events {
				outcomes = append(outcomes, string(ev.Outcome))
			}
			if len(events) != 2 || events[0].Outcome != audit.Success || events[1].Outcome != audit.Failure ||
				!strings.Contains(events[1].Reason, "503") {
				t.Fatalf("delivery audit (newest first) = %v; %+v", outcomes, events)
			}
		})
	}
}

// A gemeente told that the aanbieder's endpoint is back sends the zorgtoewijzing offer again
// at once: a failed try leaves it delivering, a good one delivers it, and after that there is
// nothing to send (409); a beschikking without an aanbieder elsewhere has no delivery (404).
func TestZorgtoewijzingRedeliverNow(t *testing.T) {
	for _, e := range migrationstest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			var down atomic.Bool
			var delivered atomic.Int64
			down.Store(true)
			a, gkey, b := twoInstancesWith(t, e, "gemeente-amsterdam", serverOptions{Wrap: offerEndpointDown(&down, &delivered)})
			bes := a.beschikkingFor(t, gkey, b.Env.Service.DID(verifierSlug))
			redeliver := func(id string) (int, map[string]any) {
				res := a.do(t, http.MethodPost, "/api/v1/beschikkingen/"+id+"/zorgtoewijzing-delivery", gkey, "", nil)
				var v struct {
					Delivery map[string]any `json:"zorgtoewijzing_delivery"`
				}
				if res.Status == http.StatusOK {
					res.json(t, &v)
				}
				return res.Status, v.Delivery
			}
			if status, d := redeliver(bes.ID); status != http.StatusOK || d["state"] != "delivering" || d["attempts"] != float64(2) {
				t.Fatalf("redelivery while still down: %d %v", status, d)
			}
			down.Store(false)
			if status, d := redeliver(bes.ID); status != http.StatusOK || d["state"] != "delivered" || d["attempts"] != float64(3) ||
				delivered.Load() != 1 {
				t.Fatalf("redelivery once up: %d %v, %d offers reached B", status, d, delivered.Load())
			}
			if status, _ := redeliver(bes.ID); status != http.StatusConflict {
				t.Fatalf("redelivery of a delivered offer: %d, want 409", status)
			}

			doc := fixtureDocument(t, "01-wmo-hbh-minuten-per-week.json")
			delete(doc["aanbieder"].(map[string]any), "did")
			local := a.createFromDocument(t, gkey, doc)
			if status, _ := redeliver(local.ID); status != http.StatusNotFound {
				t.Fatalf("redelivery of a beschikking without an aanbieder elsewhere: %d, want 404", status)
			}
		})
	}
}
