package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
)

func TestHealthReadyMetrics(t *testing.T) {
	for _, e := range migrationstest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			db := e.Open(t)
			s := startServer(t, db)

			if res := s.do(t, "GET", "/healthz", "", "", nil); res.Status != http.StatusOK {
				t.Fatalf("healthz: %d", res.Status)
			}
			res := s.do(t, "GET", "/readyz", "", "", nil)
			if res.Status != http.StatusOK || !strings.Contains(string(res.Body), `"migrations":"ok"`) {
				t.Fatalf("readyz: %d %s", res.Status, res.Body)
			}
			if res.Header.Get("X-Request-Id") == "" {
				t.Fatal("no X-Request-Id on the response")
			}

			s.do(t, "GET", "/api/v1/tenants", s.Operator, "", nil)
			metrics := s.do(t, "GET", "/metrics", "", "", nil)
			for _, want := range []string{
				`bewijs_http_requests_total{code="200",method="GET",route="/api/v1/tenants"} 1`,
				`bewijs_http_request_duration_seconds_count{method="GET",route="/readyz"} 1`,
			} {
				if !strings.Contains(string(metrics.Body), want) {
					t.Errorf("metrics lack %q", want)
				}
			}

			if err := db.Down(t.Context()); err != nil {
				t.Fatal(err)
			}
			res = s.do(t, "GET", "/readyz", "", "", nil)
			if res.Status != http.StatusServiceUnavailable || !strings.Contains(string(res.Body), `"migrations":"pending"`) {
				t.Fatalf("readyz with pending migrations: %d %s", res.Status, res.Body)
			}
			_ = db.Close()
			if res := s.do(t, "GET", "/readyz", "", "", nil); res.Status != http.StatusServiceUnavailable {
				t.Fatalf("readyz with a closed database: %d %s", res.Status, res.Body)
			}
		})
	}
}
