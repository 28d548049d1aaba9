package web

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// TestHTTPClient_RefusesAtDial bypasses the up-front host check and dials the loopback
// test server directly: the Dialer.Control hook must refuse the resolved address, which
// is what defeats DNS rebinding (a public name answering with an internal address).
func TestHTTPClient_RefusesAtDial(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	t.Cleanup(srv.Close)
	port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]
	tests := []struct {
		name     string
		url      string
		policy   addressPolicy
		wantErr  bool
		wantHits int64
	}{
		{"error - literal loopback", srv.URL, addressPolicy{}, true, 0},
		{"error - name resolving to loopback", "http://localhost:" + port, addressPolicy{}, true, 0},
		{"ok - loopback allowed", srv.URL, addressPolicy{allowLoopback: true}, false, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits.Store(0)
			client := newHTTPClient(DefaultConfig(), tt.policy)

			resp, err := client.Get(tt.url)

			if resp != nil {
				_ = resp.Body.Close()
			}
			if tt.wantErr && !errors.Is(err, errRefusedAddress) {
				t.Fatalf("err = %v, want errRefusedAddress", err)
			}
			if !tt.wantErr && err != nil {
				t.Fatalf("Get: %v", err)
			}
			if hits.Load() != tt.wantHits {
				t.Fatalf("server got %d requests, want %d", hits.Load(), tt.wantHits)
			}
		})
	}
}

func TestHTTPClient_IgnoresProxyEnvironment(t *testing.T) {
	t.Setenv("HTTP_PROXY", "http://127.0.0.1:1")
	t.Setenv("HTTPS_PROXY", "http://127.0.0.1:1")
	client := newHTTPClient(DefaultConfig(), addressPolicy{})
	if proxy := client.Transport.(*http.Transport).Proxy; proxy != nil {
		t.Fatal("transport uses a proxy; the address policy would check the proxy instead of the target")
	}
}
