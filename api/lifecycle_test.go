package api_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/sociaaldomein/bewijs/internal/statuslist"
	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
	"github.com/sociaaldomein/bewijs/wallet"
)

// Suspension and reinstatement show in the status list; transitions the state does not
// allow are refused with 409, a missing reason with 400 naming it.
func TestSuspendReinstate(t *testing.T) {
	for _, e := range migrationstest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			s, key := issuanceServer(t, e)
			c := s.createBeschikking(t, key, "01-wmo-hbh-minuten-per-week.json", "")
			change := func(action, reason string) response {
				return s.postJSON(t, "/api/v1/beschikkingen/"+c.ID+"/"+action, key, map[string]string{"reason": reason})
			}
			if res := change("suspend", "onderzoek"); res.Status != http.StatusConflict {
				t.Fatalf("suspend an offered beschikking: %d %s, want 409", res.Status, res.Body)
			}
			w := s.wallet()
			creds, _, err := w.Receive(t.Context(), c.OfferLink, wallet.ReceiveOptions{Batch: 3})
			if err != nil || len(creds) != 3 {
				t.Fatalf("receive a batch of 3: %d, %v", len(creds), err)
			}
			status := func() []statuslist.Status {
				var out []statuslist.Status
				for _, cr := range creds {
					st, err := w.Status(t.Context(), cr)
					if err != nil {
						t.Fatal(err)
					}
					out = append(out, st)
				}
				return out
			}
			steps := []struct {
				action, reason string
				code           int
				state          string
				want           statuslist.Status
			}{
				{"reinstate", "niets aan de hand", http.StatusConflict, "issued", statuslist.Valid},
				{"suspend", "", http.StatusBadRequest, "issued", statuslist.Valid},
				{"suspend", "herindicatie loopt", http.StatusOK, "suspended", statuslist.Suspended},
				{"reinstate", "herindicatie afgerond", http.StatusOK, "issued", statuslist.Valid},
				{"revoke", "verhuisd", http.StatusOK, "revoked", statuslist.Invalid},
				{"reinstate", "vergissing", http.StatusConflict, "revoked", statuslist.Invalid},
				{"revoke", "nogmaals", http.StatusConflict, "revoked", statuslist.Invalid},
			}
			for _, st := range steps {
				res := change(st.action, st.reason)
				if res.Status != st.code {
					t.Fatalf("%s (%q): %d %s, want %d", st.action, st.reason, res.Status, res.Body, st.code)
				}
				if st.code == http.StatusBadRequest && !strings.Contains(string(res.Body), `"name":"reason"`) {
					t.Fatalf("missing reason is not named: %s", res.Body)
				}
				var v struct {
					State string `json:"state"`
				}
				s.do(t, http.MethodGet, "/api/v1/beschikkingen/"+c.ID, key, "", nil).json(t, &v)
				if v.State != st.state {
					t.Fatalf("after %s: state %q, want %q", st.action, v.State, st.state)
				}
				for k, got := range status() {
					if got != st.want {
						t.Fatalf("after %s: credential %d has status %v, want %v", st.action, k, got, st.want)
					}
				}
			}
		})
	}
}

func TestTypeMetadataServed(t *testing.T) {
	s, _ := issuanceServer(t, migrationstest.Engines()[0])
	for _, vct := range []string{"urn:nl:sociaaldomein:wmo:toewijzing:1", "urn:nl:sociaaldomein:jeugdwet:toewijzing:1"} {
		res := s.do(t, http.MethodGet, "/vct/"+url.PathEscape(vct), "", "", nil)
		var md struct {
			VCT    string `json:"vct"`
			Claims []any  `json:"claims"`
		}
		if res.Status != http.StatusOK || json.Unmarshal(res.Body, &md) != nil || md.VCT != vct || len(md.Claims) == 0 {
			t.Fatalf("type metadata of %s: %d %s", vct, res.Status, res.Body)
		}
	}
	if res := s.do(t, http.MethodGet, "/vct/urn:onbekend", "", "", nil); res.Status != http.StatusNotFound {
		t.Fatalf("unknown vct: %d", res.Status)
	}
}
