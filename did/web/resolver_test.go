package web_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/did/web"
)

// testServer is an httptest server on 127.0.0.1 that counts requests.
type testServer struct {
	*httptest.Server
	hits atomic.Int64
}

func newTestServer(t *testing.T, h http.HandlerFunc) *testServer {
	t.Helper()
	s := &testServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		h(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

// did returns the did:web DID of this server plus path segments.
func (s *testServer) did(t *testing.T, segments ...string) string {
	t.Helper()
	base, err := url.Parse(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	id, err := web.DIDFromURL(base, segments...)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func newTestResolver(t *testing.T, mutate func(*web.Config)) *web.Resolver {
	t.Helper()
	cfg := web.DefaultConfig()
	cfg.InsecureLocalhost = true
	if mutate != nil {
		mutate(&cfg)
	}
	r, err := web.NewResolver(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func documentJSON(t *testing.T, id string, pub *ecdsa.PublicKey) []byte {
	t.Helper()
	doc, err := did.NewDocument(id, []did.KeyEntry{{Fragment: "key-1", PublicKey: pub}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestResolver_Resolve_OK(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		segments []string
		wantPath string
	}{
		{"ok - port and path", []string{"o", "gemeente-utrecht"}, "/o/gemeente-utrecht/did.json"},
		{"ok - well-known", nil, "/.well-known/did.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var gotPath, gotAccept string
			var id string
			srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
				gotPath, gotAccept = r.URL.Path, r.Header.Get("Accept")
				w.Header().Set("Content-Type", "application/did+json")
				_, _ = w.Write(documentJSON(t, id, &key.PublicKey))
			})
			id = srv.did(t, tt.segments...)

			doc, err := newTestResolver(t, nil).Resolve(context.Background(), id)

			if err != nil {
				t.Fatalf("Resolve: %v", err)
			}
			if gotPath != tt.wantPath || !strings.Contains(gotAccept, "application/did+json") {
				t.Fatalf("request path %q accept %q, want path %q", gotPath, gotAccept, tt.wantPath)
			}
			pub, err := doc.Key(id+"#key-1", did.AssertionMethod)
			if err != nil || !key.PublicKey.Equal(pub) {
				t.Fatalf("Key = %v, %v", pub, err)
			}
		})
	}
}

func TestResolver_Resolve_Errors(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		handler   func(w http.ResponseWriter, r *http.Request, id string)
		config    func(*web.Config)
		wantKind  did.ErrorKind
		wantCause error
	}{
		{name: "error - 404", wantKind: did.NotFound, handler: func(w http.ResponseWriter, _ *http.Request, _ string) {
			http.NotFound(w, nil)
		}},
		{name: "error - 410", wantKind: did.NotFound, handler: func(w http.ResponseWriter, _ *http.Request, _ string) {
			w.WriteHeader(http.StatusGone)
		}},
		{name: "error - 500", wantKind: did.Unavailable, handler: func(w http.ResponseWriter, _ *http.Request, _ string) {
			w.WriteHeader(http.StatusInternalServerError)
		}},
		{name: "error - redirect not followed", wantKind: did.Unavailable, handler: func(w http.ResponseWriter, r *http.Request, _ string) {
			if r.URL.Path == "/elsewhere" {
				panic("redirect was followed")
			}
			http.Redirect(w, r, "/elsewhere", http.StatusFound)
		}},
		{name: "error - invalid JSON", wantKind: did.InvalidDocument, handler: func(w http.ResponseWriter, _ *http.Request, _ string) {
			_, _ = w.Write([]byte(`{"id": "did:web:`))
		}},
		{name: "error - HTML", wantKind: did.InvalidDocument, handler: func(w http.ResponseWriter, _ *http.Request, _ string) {
			_, _ = w.Write([]byte(`<html>hello</html>`))
		}},
		{name: "error - id mismatch", wantKind: did.InvalidDocument, handler: func(w http.ResponseWriter, _ *http.Request, _ string) {
			_, _ = w.Write(documentJSON(t, "did:web:evil.example", &key.PublicKey))
		}},
		{name: "error - oversize with content length", wantKind: did.InvalidDocument, wantCause: web.ErrBodyTooLarge,
			config: func(c *web.Config) { c.MaxBodyBytes = 1024 },
			handler: func(w http.ResponseWriter, _ *http.Request, id string) {
				_, _ = w.Write(padded(documentJSON(t, id, &key.PublicKey), 1025))
			}},
		{name: "error - oversize chunked", wantKind: did.InvalidDocument, wantCause: web.ErrBodyTooLarge,
			config: func(c *web.Config) { c.MaxBodyBytes = 1024 },
			handler: func(w http.ResponseWriter, _ *http.Request, id string) {
				body := padded(documentJSON(t, id, &key.PublicKey), 4096)
				for i := 0; i < len(body); i += 512 {
					_, _ = w.Write(body[i : i+512])
					w.(http.Flusher).Flush()
				}
			}},
		{name: "error - slow server", wantKind: did.Unavailable,
			config: func(c *web.Config) { c.Timeout = 200 * time.Millisecond },
			handler: func(_ http.ResponseWriter, r *http.Request, _ string) {
				select {
				case <-r.Context().Done():
				case <-time.After(5 * time.Second):
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var id string
			srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) { tt.handler(w, r, id) })
			id = srv.did(t, "o", "x")
			r := newTestResolver(t, tt.config)

			start := time.Now()
			_, err := r.Resolve(context.Background(), id)

			if did.KindOf(err) != tt.wantKind {
				t.Fatalf("err = %v, want kind %v", err, tt.wantKind)
			}
			if tt.wantCause != nil && !errors.Is(err, tt.wantCause) {
				t.Fatalf("err = %v, want cause %v", err, tt.wantCause)
			}
			if time.Since(start) > 4*time.Second {
				t.Fatalf("Resolve took %s: the timeout did not apply", time.Since(start))
			}
			var e *did.Error
			if !errors.As(err, &e) || e.Subject != id {
				t.Fatalf("error does not name the DID: %v", err)
			}
		})
	}
}

// padded returns doc with spaces appended up to n bytes: still a valid document.
func padded(doc []byte, n int) []byte {
	return append(doc, []byte(strings.Repeat(" ", n-len(doc)))...)
}
