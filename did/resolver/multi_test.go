package resolver_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/did/didtest"
	"github.com/sociaaldomein/bewijs/did/jwk"
	"github.com/sociaaldomein/bewijs/did/key"
	"github.com/sociaaldomein/bewijs/did/resolver"
	"github.com/sociaaldomein/bewijs/did/web"
)

// clock is a settable test clock.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time { return c.now }

// didWebServer serves one did:web document (or status) from an httptest server on
// 127.0.0.1 and counts requests.
type didWebServer struct {
	srv    *httptest.Server
	hits   atomic.Int64
	status atomic.Int64
	did    string
	key    *ecdsa.PrivateKey
}

func newDIDWebServer(t *testing.T) *didWebServer {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s := &didWebServer{key: k}
	s.status.Store(http.StatusOK)
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	base, _ := url.Parse(s.srv.URL)
	if s.did, err = web.DIDFromURL(base, "o", "gemeente-utrecht"); err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *didWebServer) serve(w http.ResponseWriter, r *http.Request) {
	s.hits.Add(1)
	if status := int(s.status.Load()); status != http.StatusOK || r.URL.Path != "/o/gemeente-utrecht/did.json" {
		w.WriteHeader(status)
		return
	}
	doc, err := did.NewDocument(s.did, []did.KeyEntry{{Fragment: "key-1", PublicKey: &s.key.PublicKey}})
	if err != nil {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	_ = json.NewEncoder(w).Encode(doc)
}

func newMulti(t *testing.T, clk *clock) *resolver.Multi {
	t.Helper()
	cfg := resolver.DefaultConfig()
	cfg.Now = clk.Now
	return didtest.LocalResolver(t, cfg)
}

func TestMulti_Cache(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		advance  time.Duration
		wantHits int64
		wantErr  bool
	}{
		{"ok - second resolution is a cache hit", http.StatusOK, 0, 1, false},
		{"ok - still cached just before the TTL", http.StatusOK, 5*time.Minute - time.Second, 1, false},
		{"ok - fetched again after the TTL", http.StatusOK, 5 * time.Minute, 2, false},
		{"error - failures are not cached", http.StatusNotFound, 0, 2, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newDIDWebServer(t)
			srv.status.Store(int64(tt.status))
			clk := &clock{now: time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)}
			m := newMulti(t, clk)

			_, err1 := m.Resolve(context.Background(), srv.did)
			clk.now = clk.now.Add(tt.advance)
			doc, err2 := m.Resolve(context.Background(), srv.did)

			if (err1 != nil || err2 != nil) != tt.wantErr {
				t.Fatalf("errors = %v, %v; wantErr %v", err1, err2, tt.wantErr)
			}
			if got := srv.hits.Load(); got != tt.wantHits {
				t.Fatalf("server hits = %d, want %d", got, tt.wantHits)
			}
			if !tt.wantErr && doc.ID != srv.did {
				t.Fatalf("doc.ID = %q", doc.ID)
			}
		})
	}
}

func TestMulti_CacheReturnsCopies(t *testing.T) {
	srv := newDIDWebServer(t)
	m := newMulti(t, &clock{now: time.Now()})
	first, err := m.Resolve(context.Background(), srv.did)
	if err != nil {
		t.Fatal(err)
	}
	first.AssertionMethod[0] = "did:web:evil.example#k"
	second, err := m.Resolve(context.Background(), srv.did)
	if err != nil {
		t.Fatal(err)
	}
	if second.AssertionMethod[0] != srv.did+"#key-1" || srv.hits.Load() != 1 {
		t.Fatalf("cached document was changed through a returned value: %v", second.AssertionMethod)
	}
}

func TestMulti_Resolve(t *testing.T) {
	p256, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	didKey, _ := key.New(&p256.PublicKey)
	didJWK, _ := jwk.New(&p256.PublicKey)
	noWeb, err := resolver.New(resolver.DefaultConfig(), resolver.StandardMethods(nil))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		did      string
		wantKind did.ErrorKind
	}{
		{"ok - did:key", didKey, 0},
		{"ok - did:jwk", didJWK, 0},
		{"error - unknown method", "did:example:123", did.UnsupportedMethod},
		{"error - did:web not configured", "did:web:example.com", did.UnsupportedMethod},
		{"error - not a DID", "https://example.com", did.InvalidDID},
		{"error - DID URL", didKey + "#x", did.InvalidDID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := noWeb.Resolve(context.Background(), tt.did)
			if tt.wantKind != 0 {
				if did.KindOf(err) != tt.wantKind {
					t.Fatalf("err = %v, want kind %v", err, tt.wantKind)
				}
				return
			}
			if err != nil || doc.ID != tt.did {
				t.Fatalf("Resolve = %v, %v", doc.ID, err)
			}
		})
	}
}

func TestMulti_ResolveKey(t *testing.T) {
	srv := newDIDWebServer(t)
	m := newMulti(t, &clock{now: time.Now()})
	edKey := "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
	tests := []struct {
		name     string
		didURL   string
		rel      did.Relationship
		want     crypto.PublicKey
		wantKind did.ErrorKind
	}{
		{"ok - did:web assertion key", srv.did + "#key-1", did.AssertionMethod, &srv.key.PublicKey, 0},
		{"ok - did:web authentication key", srv.did + "#key-1", did.Authentication, &srv.key.PublicKey, 0},
		{"ok - did:key", edKey + "#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", did.AssertionMethod, nil, 0},
		{"error - unknown fragment", srv.did + "#key-2", did.AssertionMethod, nil, did.KeyNotFound},
		{"error - no fragment", srv.did, did.AssertionMethod, nil, did.KeyNotFound},
		{"error - unsupported relationship", srv.did + "#key-1", did.Relationship("keyAgreement"), nil, did.KeyNotFound},
		{"error - invalid DID URL", "did:web:a b#k", did.AssertionMethod, nil, did.InvalidDID},
		{"error - unknown method", "did:example:123#k", did.AssertionMethod, nil, did.UnsupportedMethod},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pub, err := m.ResolveKey(context.Background(), tt.didURL, tt.rel)
			if tt.wantKind != 0 {
				if did.KindOf(err) != tt.wantKind {
					t.Fatalf("err = %v, want kind %v", err, tt.wantKind)
				}
				return
			}
			if err != nil {
				t.Fatalf("ResolveKey: %v", err)
			}
			if tt.want != nil && !tt.want.(*ecdsa.PublicKey).Equal(pub) {
				t.Fatal("wrong key")
			}
		})
	}
}
