package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/sociaaldomein/bewijs/api"
	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
)

var linde = map[string]string{"slug": "thuiszorg-de-linde", "name": "Thuiszorg De Linde B.V.", "kind": "aanbieder", "agb": "98000101", "kvk": "68750110"}

func TestTenantAdminAPI(t *testing.T) {
	for _, e := range migrationstest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			s := startServer(t, e.Open(t))

			res := s.postJSON(t, "/api/v1/tenants", s.Operator, linde)
			if res.Status != http.StatusCreated {
				t.Fatalf("create: %d %s", res.Status, res.Body)
			}
			var created tenant.Created
			res.json(t, &created)
			if created.DID != "did:web:"+strings.ReplaceAll(strings.TrimPrefix(s.URL, "http://"), ":", "%3A")+":o:thuiszorg-de-linde" || created.AGB != "98000101" || created.APIKey == "" {
				t.Fatalf("created = %+v", created)
			}
			if res.Header.Get("Location") != s.URL+"/api/v1/tenants/thuiszorg-de-linde" || res.Header.Get("API-Version") != api.Version {
				t.Fatalf("headers = %v", res.Header)
			}

			own := s.do(t, http.MethodGet, "/api/v1/tenants/thuiszorg-de-linde", created.APIKey, "", nil)
			if own.Status != http.StatusOK {
				t.Fatalf("own key reading itself: %d %s", own.Status, own.Body)
			}
			rot := s.do(t, http.MethodPost, "/api/v1/tenants/thuiszorg-de-linde/keys", created.APIKey, "", nil)
			if rot.Status != http.StatusCreated {
				t.Fatalf("rotate: %d %s", rot.Status, rot.Body)
			}
			var keys struct{ Keys []tenant.KeyInfo }
			s.do(t, http.MethodGet, "/api/v1/tenants/thuiszorg-de-linde/keys", s.Operator, "", nil).json(t, &keys)
			if len(keys.Keys) != 2 || !keys.Keys[1].Active || keys.Keys[0].Active {
				t.Fatalf("keys after rotation = %+v", keys.Keys)
			}
			del := s.do(t, http.MethodDelete, "/api/v1/tenants/thuiszorg-de-linde/keys/"+keys.Keys[0].KID, s.Operator, "", nil)
			if del.Status != http.StatusNoContent || del.Header.Get("API-Version") == "" {
				t.Fatalf("remove old key: %d %s", del.Status, del.Body)
			}

			ak := s.postJSON(t, "/api/v1/tenants/thuiszorg-de-linde/api-keys", s.Operator, map[string]bool{"revoke_others": true})
			var fresh struct {
				APIKey string `json:"api_key"`
			}
			ak.json(t, &fresh)
			if ak.Status != http.StatusCreated || fresh.APIKey == "" {
				t.Fatalf("api key: %d %s", ak.Status, ak.Body)
			}
			if got := s.do(t, http.MethodGet, "/api/v1/tenants/thuiszorg-de-linde", created.APIKey, "", nil); got.Status != http.StatusUnauthorized {
				t.Fatalf("revoked key: %d, want 401", got.Status)
			}
			if got := s.do(t, http.MethodGet, "/api/v1/tenants", fresh.APIKey, "", nil); got.Status != http.StatusOK || !strings.Contains(string(got.Body), "thuiszorg-de-linde") {
				t.Fatalf("list with new key: %d %s", got.Status, got.Body)
			}
		})
	}
}

type problemBody struct {
	Type          string `json:"type"`
	Title         string `json:"title"`
	Status        int    `json:"status"`
	Detail        string `json:"detail"`
	Instance      string `json:"instance"`
	InvalidParams []struct {
		Name   string `json:"name"`
		Reason string `json:"reason"`
	} `json:"invalid-params"`
}

func TestAdminAPIProblems(t *testing.T) {
	s := startServer(t, migrationstest.SQLite(t))
	if res := s.postJSON(t, "/api/v1/tenants", s.Operator, linde); res.Status != http.StatusCreated {
		t.Fatalf("seed: %d %s", res.Status, res.Body)
	}
	tenantKey, _ := s.Env.Service.NewAPIKey(t.Context(), tenant.CLI, "thuiszorg-de-linde", false)
	withKind := func(kind string) map[string]string {
		return map[string]string{"slug": "nieuw", "name": "Nieuw", "kind": kind, "agb": "98000999"}
	}
	tests := []struct {
		name    string
		method  string
		path    string
		key     string
		ctype   string
		body    string
		status  int
		invalid []string
	}{
		{"error - no API key", "GET", "/api/v1/tenants", "", "", "", 401, nil},
		{"error - wrong API key", "GET", "/api/v1/tenants", "bwk_wrong", "", "", 401, nil},
		{"error - unknown kind", "POST", "/api/v1/tenants", s.Operator, "application/json", mustJSON(withKind("zorgkantoor")), 400, []string{"kind"}},
		{"error - invalid AGB", "POST", "/api/v1/tenants", s.Operator, "application/json", `{"slug":"x","name":"X","kind":"aanbieder","agb":"123"}`, 400, []string{"agb"}},
		{"error - invalid gemeentecode", "POST", "/api/v1/tenants", s.Operator, "application/json", `{"slug":"x","name":"X","kind":"gemeente","gemeentecode":"12345"}`, 400, []string{"gemeentecode"}},
		{"error - invalid KvK and OIN", "POST", "/api/v1/tenants", s.Operator, "application/json", `{"slug":"x","name":"X","kind":"trust-anchor","kvk":"1","oin":"2"}`, 400, []string{"kvk", "oin"}},
		{"error - duplicate slug", "POST", "/api/v1/tenants", s.Operator, "application/json", mustJSON(linde), 409, nil},
		{"error - tenant key creates tenant", "POST", "/api/v1/tenants", tenantKey, "application/json", mustJSON(withKind("aanbieder")), 403, nil},
		{"error - unknown field", "POST", "/api/v1/tenants", s.Operator, "application/json", `{"slug":"x","nme":"X"}`, 400, nil},
		{"error - not JSON", "POST", "/api/v1/tenants", s.Operator, "application/json", `{"slug":`, 400, nil},
		{"error - wrong content type", "POST", "/api/v1/tenants", s.Operator, "text/plain", `{}`, 415, nil},
		{"error - body too large", "POST", "/api/v1/tenants", s.Operator, "application/json", `{"name":"` + strings.Repeat("x", 20000) + `"}`, 413, nil},
		{"error - unknown tenant", "GET", "/api/v1/tenants/bestaat-niet", s.Operator, "", "", 404, nil},
		{"error - unknown route", "GET", "/api/v1/nothing", s.Operator, "", "", 404, nil},
		{"error - unknown DID document", "GET", "/o/bestaat-niet/did.json", "", "", "", 404, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := s.do(t, tt.method, tt.path, tt.key, tt.ctype, []byte(tt.body))
			if res.Status != tt.status {
				t.Fatalf("status = %d, want %d: %s", res.Status, tt.status, res.Body)
			}
			if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Fatalf("content type = %q", ct)
			}
			var p problemBody
			res.json(t, &p)
			if p.Status != tt.status || p.Title == "" || p.Detail == "" || !strings.HasPrefix(p.Type, "https://") || p.Instance != strings.SplitN(tt.path, "?", 2)[0] {
				t.Fatalf("problem = %+v", p)
			}
			var names []string
			for _, ip := range p.InvalidParams {
				names = append(names, ip.Name)
			}
			if strings.Join(names, ",") != strings.Join(tt.invalid, ",") {
				t.Fatalf("invalid-params = %v, want %v", names, tt.invalid)
			}
		})
	}
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
