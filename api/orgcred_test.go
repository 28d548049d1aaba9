package api_test

import (
	"context"
	"crypto"
	"net/http"
	"strings"
	"testing"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/internal/demo"
	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/internal/w3cvc"
	"github.com/sociaaldomein/bewijs/issuer/orgcred"
	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
)

// Through the server on both engines: the trust anchor issues a zorgaanbieder role over the
// admin API; a beschikking naming the aanbieder puts a Zorgtoewijzing in the aanbieder's
// organisation wallet; both verify against the issuers' did:web documents; revoking the
// beschikking shows in the gemeente's Bitstring Status List served over HTTP.
func TestOrganisationCredentials(t *testing.T) {
	for _, e := range migrationstest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			s, gkey := issuanceServer(t, e)
			akey, err := s.Env.Service.NewAPIKey(t.Context(), tenant.CLI, "ketenbureau", false)
			if err != nil {
				t.Fatal(err)
			}
			vkey, err := s.Env.Service.NewAPIKey(t.Context(), tenant.CLI, verifierSlug, false)
			if err != nil {
				t.Fatal(err)
			}
			res := s.postJSON(t, "/api/v1/organisation-credentials", akey, map[string]any{"type": "OrganisatieRol", "subject": verifierSlug, "wetten": []string{"Wmo2015"}})
			if res.Status != http.StatusCreated {
				t.Fatalf("issue role: %d %s", res.Status, res.Body)
			}
			if res := s.postJSON(t, "/api/v1/organisation-credentials", gkey, map[string]any{"type": "OrganisatieRol", "subject": verifierSlug}); res.Status != http.StatusForbidden {
				t.Fatalf("a gemeente issued a role: %d %s", res.Status, res.Body)
			}
			b := s.createBeschikking(t, gkey, "01-wmo-hbh-minuten-per-week.json", "")

			var wallet struct {
				Credentials []struct {
					Type       string `json:"type"`
					Credential string `json:"credential"`
				} `json:"credentials"`
			}
			s.do(t, http.MethodGet, "/api/v1/organisation-wallet", vkey, "", nil).json(t, &wallet)
			creds := map[string]w3cvc.Credential{}
			for _, c := range wallet.Credentials {
				vc, err := w3cvc.ParseJWT(t.Context(), c.Credential, w3cvc.VerifyOptions{Key: didKey(s)})
				if err != nil {
					t.Fatalf("%s: %v", c.Type, err)
				}
				creds[c.Type] = vc
			}
			role, z := creds["OrganisatieRol"], creds["Zorgtoewijzing"]
			if role.Claims["role"] != "zorgaanbieder" || z.Claims["toewijzingnummer"] != float64(36300101) || !strings.HasSuffix(z.Issuer, ":o:gemeente-amsterdam") {
				t.Fatalf("wallet = %+v", creds)
			}
			if statusBit(t, s, z) {
				t.Fatal("revoked before the beschikking was")
			}
			s.revokeBeschikking(t, gkey, b.ID, "verhuisd")
			if !statusBit(t, s, z) {
				t.Fatal("the zorgtoewijzing is not revoked with its beschikking")
			}
		})
	}
}

// didKey resolves a kid through the DID resolver (did:web over http on 127.0.0.1).
func didKey(s *testServer) func(context.Context, string) (crypto.PublicKey, error) {
	return func(ctx context.Context, kid string) (crypto.PublicKey, error) {
		id, _, _ := strings.Cut(kid, "#")
		doc, err := s.Resolver.Resolve(ctx, id)
		if err != nil {
			return nil, err
		}
		return doc.Key(kid, did.AssertionMethod)
	}
}

// statusBit fetches c's status list credential over HTTP and reads its entry.
func statusBit(t *testing.T, s *testServer, c w3cvc.Credential) bool {
	t.Helper()
	res := getPage(t, c.Status.ListCredential)
	if res.Status != http.StatusOK {
		t.Fatalf("status list: %d", res.Status)
	}
	list, err := w3cvc.ParseJWT(t.Context(), string(res.Body), w3cvc.VerifyOptions{Key: didKey(s)})
	if err != nil {
		t.Fatal(err)
	}
	set, err := w3cvc.StatusBit(list, c.Status.Purpose, c.Status.Index, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// seedRoles has the demo trust anchor give every demo gemeente and aanbieder its role, as
// serve --demo does: the trust policy accepts a gemeente's credentials only with one.
func (s *testServer) seedRoles(t testing.TB) {
	t.Helper()
	orgs, err := demo.Organisations()
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range orgs {
		if o.Kind == tenant.TrustAnchor {
			continue
		}
		if _, err := s.OrgCreds.IssueRole(context.Background(), tenant.CLI, demo.TrustAnchorSlug, orgcred.RoleInput{Subject: o.Slug}); err != nil {
			t.Fatal(err)
		}
	}
}
