package verifier

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sociaaldomein/bewijs/internal/statuslist"
)

func TestHTTPStatusFetcher(t *testing.T) {
	const token = "eyJhbGciOiJFUzI1NiJ9.e30.c2ln"
	tests := []struct {
		name    string
		handler http.HandlerFunc
		path    string
		max     int64
		wantErr string
	}{
		{"ok", serve(http.StatusOK, statuslist.MediaType, token), "/status/1", 0, ""},
		{"ok - media type with parameters", serve(http.StatusOK, statuslist.MediaType+"; charset=utf-8", token), "/status/1", 0, ""},
		{"error - not found", serve(http.StatusNotFound, statuslist.MediaType, token), "/status/1", 0, "HTTP status 404"},
		{"error - no content", serve(http.StatusNoContent, statuslist.MediaType, ""), "/status/1", 0, "HTTP status 204"},
		{"error - wrong content type", serve(http.StatusOK, "application/jwt", token), "/status/1", 0, "not served as"},
		{"error - too large", serve(http.StatusOK, statuslist.MediaType, token), "/status/1", 8, "exceeds 8 bytes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewTLSServer(tc.handler)
			defer srv.Close()
			f := NewHTTPStatusFetcher(srv.Client(), tc.max)

			got, err := f.Fetch(context.Background(), srv.URL+tc.path)

			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || string(got) != token {
				t.Fatalf("= %q, %v", got, err)
			}
		})
	}
}

// serve answers with status and content type, and insists on the Accept header of §8.1.
func serve(status int, contentType, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.Header.Get("Accept") != statuslist.MediaType {
			w.WriteHeader(http.StatusNotAcceptable)
			return
		}
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}
}

func TestHTTPStatusFetcher_Refuses(t *testing.T) {
	srv := httptest.NewTLSServer(serve(http.StatusOK, statuslist.MediaType, "x.y.z"))
	defer srv.Close()
	tests := []struct {
		name    string
		fetcher StatusFetcher
		uri     string
		wantErr error
		text    string
	}{
		{"error - plain http", NewHTTPStatusFetcher(srv.Client(), 0), strings.Replace(srv.URL, "https:", "http:", 1), nil, "not an https URL"},
		{"error - loopback with the default client", NewHTTPStatusFetcher(nil, 0), srv.URL + "/status/1", ErrRefusedAddress, ""},
		{"error - private address with the default client", NewHTTPStatusFetcher(nil, 0), "https://10.0.0.1/status/1", ErrRefusedAddress, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.fetcher.Fetch(context.Background(), tc.uri)
			if err == nil {
				t.Fatal("fetched")
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Errorf("err = %v, want %v", err, tc.wantErr)
			}
			if tc.text != "" && !strings.Contains(err.Error(), tc.text) {
				t.Errorf("err = %v, want %q", err, tc.text)
			}
		})
	}
}

func TestHTTPSRedirects(t *testing.T) {
	tests := []struct {
		name    string
		target  string
		via     int
		wantErr bool
	}{
		{"ok - https", "https://bewijs.example/status/2", 1, false},
		{"error - http", "http://bewijs.example/status/2", 1, true},
		{"error - too many", "https://bewijs.example/status/2", maxRedirects, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, tc.target, nil)
			err := httpsRedirects(req, make([]*http.Request, tc.via))
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
		})
	}
}

func TestPublicAddr(t *testing.T) {
	for addr, want := range map[string]bool{
		"93.184.216.34:443": true, "[2606:4700::1111]:443": true,
		"127.0.0.1:443": false, "10.1.2.3:443": false, "192.168.1.1:443": false, "169.254.169.254:80": false,
		"100.64.0.1:443": false, "0.0.0.0:443": false, "[::1]:443": false, "[fd00::1]:443": false, "[::ffff:127.0.0.1]:443": false,
	} {
		if got := refuseNonPublic("tcp", addr, nil) == nil; got != want {
			t.Errorf("%s: allowed = %v, want %v", addr, got, want)
		}
	}
}
