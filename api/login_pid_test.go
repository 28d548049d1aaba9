package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/sociaaldomein/bewijs/internal/demo"
	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/issuer"
	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
	"github.com/sociaaldomein/bewijs/wallet"
)

// Login by disclosure end to end, on both engines: the trust anchor issues a test PID to
// bewijs' wallet; the wallet starts at the gemeente's issuer, presents the PID in the
// authorization step, and receives the beschikkingen of that BSN and no others.
func TestLoginByDisclosure(t *testing.T) {
	for _, e := range migrationstest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			s := startServer(t, e.Open(t))
			if _, err := demo.Seed(t.Context(), s.Env.Service); err != nil {
				t.Fatal(err)
			}
			s.seedRoles(t)
			gkey, err := s.Env.Service.NewAPIKey(t.Context(), tenant.CLI, "gemeente-amsterdam", false)
			if err != nil {
				t.Fatal(err)
			}
			// Two beschikkingen of BSN 999991772, one of another citizen (999992119).
			mine := []createdBeschikking{
				s.createBeschikking(t, gkey, "01-wmo-hbh-minuten-per-week.json", ""),
				s.createBeschikking(t, gkey, "01-wmo-hbh-minuten-per-week.json", ""),
			}
			s.createBeschikkingFor(t, gkey, "01-wmo-hbh-minuten-per-week.json", "999992119")

			store, err := wallet.Init(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			w := &wallet.Wallet{Client: s.wallet(), Store: store}
			pid, err := s.Issuer.CreatePID(t.Context(), tenant.CLI, demo.TrustAnchorSlug,
				issuer.PIDInput{BSN: "999991772", GivenName: "Johanna", FamilyName: "de Vries", BirthDate: "1941-05-14"}, issuer.CreateOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if got, err := w.Receive(t.Context(), pid.OfferLink, wallet.ReceiveOptions{}); err != nil || len(got) != 1 || got[0].VCT != issuer.VCTPID {
				t.Fatalf("receive PID: %+v %v", got, err)
			}

			var asked wallet.Plan
			login := w.PIDLogin(wallet.PresentOptions{InsecureLocalhost: true}, func(_ wallet.Request, p wallet.Plan) bool { asked = p; return true })
			creds, err := w.ReceiveWithAuthorization(t.Context(), s.URL+"/o/gemeente-amsterdam", wallet.AuthorizeOptions{ConfigurationID: issuer.ConfigWmo, Login: login})
			if err != nil {
				t.Fatal(err)
			}
			// The PID presentation disclosed the BSN only.
			if len(asked.Items) != 1 || asked.Items[0].VCT != issuer.VCTPID || len(asked.Items[0].Paths) != 1 {
				t.Fatalf("PID plan = %+v", asked)
			}
			var got, want []string
			for _, c := range creds {
				client, _ := c.Claims["client"].(map[string]any)
				if client["bsn"] != "999991772" {
					t.Fatalf("received a credential of another citizen: %v", c.Claims["beschikkingnummer"])
				}
				got = append(got, c.Claims["beschikkingnummer"].(string))
			}
			for _, b := range mine {
				v := s.do(t, http.MethodGet, "/api/v1/beschikkingen/"+b.ID, gkey, "", nil)
				if !strings.Contains(string(v.Body), `"state":"issued"`) {
					t.Fatalf("beschikking %s not issued: %s", b.ID, v.Body)
				}
				want = append(want, b.Beschikkingnummer)
			}
			slices.Sort(got)
			got = slices.Compact(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("received beschikkingen %v, want %v", got, want)
			}
		})
	}
}

// createBeschikkingFor creates a beschikking from a fixture with another client BSN.
func (s *testServer) createBeschikkingFor(t *testing.T, key, fixture, bsn string) createdBeschikking {
	t.Helper()
	doc := fixtureDocument(t, fixture)
	doc["client"].(map[string]any)["bsn"] = bsn
	return s.createFromDocument(t, key, doc)
}
