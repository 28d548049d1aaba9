package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/did/web"
)

// TestResolver_Resolve_Refused checks that refused targets fail before any connection:
// the loopback test server must see zero requests, and no test sends traffic to a
// non-loopback address (literal private addresses are refused before dialling).
func TestResolver_Resolve_Refused(t *testing.T) {
	srv := newTestServer(t, func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusTeapot)
	})
	port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]
	tests := []struct {
		name     string
		did      string
		insecure bool
	}{
		{"error - loopback without InsecureLocalhost", "did:web:127.0.0.1%3A" + port + ":o:x", false},
		{"error - localhost without InsecureLocalhost", "did:web:localhost%3A" + port, false},
		{"error - other loopback address with InsecureLocalhost", "did:web:127.0.0.2%3A" + port, true},
		{"error - 10/8", "did:web:10.0.0.1", false},
		{"error - 10/8 with InsecureLocalhost", "did:web:10.0.0.1%3A" + port, true},
		{"error - 192.168/16", "did:web:192.168.1.10:o:x", false},
		{"error - cloud metadata", "did:web:169.254.169.254", true},
		{"error - unspecified", "did:web:0.0.0.0%3A" + port, true},
		{"error - carrier-grade NAT", "did:web:100.64.0.1", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newTestResolver(t, func(c *web.Config) { c.InsecureLocalhost = tt.insecure })

			_, err := r.Resolve(context.Background(), tt.did)

			if did.KindOf(err) != did.RefusedTarget {
				t.Fatalf("err = %v, want RefusedTarget", err)
			}
			if n := srv.hits.Load(); n != 0 {
				t.Fatalf("test server got %d requests, want 0", n)
			}
		})
	}
}

func TestResolver_Resolve_Invalid(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	srv := newTestServer(t, func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusTeapot)
	})
	tests := []struct {
		name     string
		ctx      context.Context
		did      string
		wantKind did.ErrorKind
	}{
		{"error - other method", context.Background(), "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", did.UnsupportedMethod},
		{"error - not a DID", context.Background(), "https://example.com", did.InvalidDID},
		{"error - DID URL", context.Background(), "did:web:example.com#key-1", did.InvalidDID},
		{"error - cancelled context", cancelled, srv.did(t), did.Unavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := newTestResolver(t, nil).Resolve(tt.ctx, tt.did)
			if did.KindOf(err) != tt.wantKind {
				t.Fatalf("err = %v, want kind %v", err, tt.wantKind)
			}
		})
	}
}

func TestConfig_Validate(t *testing.T) {
	tests := []struct {
		name    string
		mutate  func(*web.Config)
		wantErr bool
	}{
		{"ok - defaults", func(*web.Config) {}, false},
		{"error - zero timeout", func(c *web.Config) { c.Timeout = 0 }, true},
		{"error - huge timeout", func(c *web.Config) { c.Timeout = 1 << 62 }, true},
		{"error - zero body", func(c *web.Config) { c.MaxBodyBytes = 0 }, true},
		{"error - huge body", func(c *web.Config) { c.MaxBodyBytes = 1 << 40 }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := web.DefaultConfig()
			tt.mutate(&cfg)
			if err := cfg.Validate(); (err != nil) != tt.wantErr {
				t.Fatalf("Validate = %v, wantErr %v", err, tt.wantErr)
			}
			if _, err := web.NewResolver(cfg); (err != nil) != tt.wantErr {
				t.Fatalf("NewResolver = %v, wantErr %v", err, tt.wantErr)
			}
		})
	}
}
