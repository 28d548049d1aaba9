package api_test

import (
	"encoding/json"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/did/didtest"
	"github.com/sociaaldomein/bewijs/did/resolver"
	"github.com/sociaaldomein/bewijs/internal/demo"
	"github.com/sociaaldomein/bewijs/internal/jose"
	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
)

// Every demo organisation's DID document is served, and a JWS signed with its key verifies
// against the key a did:web resolver fetches from the running server; after a rotation both
// the old and the new signature verify.
func TestDemoDIDsResolveAndVerify(t *testing.T) {
	for _, e := range migrationstest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			s := startServer(t, e.Open(t))
			ctx := t.Context()
			if _, err := demo.Seed(ctx, s.Env.Service); err != nil {
				t.Fatal(err)
			}
			orgs, err := s.Env.Service.List(ctx, tenant.CLI)
			if err != nil || len(orgs) != 9 {
				t.Fatalf("demo organisations: %d, %v; want 9", len(orgs), err)
			}
			cfg := resolver.DefaultConfig()
			cfg.CacheTTL = 0 // every resolution goes to the server
			r := didtest.LocalResolver(t, cfg)
			for _, org := range orgs {
				if !strings.HasPrefix(org.DID, "did:web:127.0.0.1%3A") {
					t.Fatalf("DID %s does not derive from the public URL %s", org.DID, s.URL)
				}
				jws := signAs(t, s, org.Slug, "hallo "+org.Slug)
				verifyResolved(t, r, jws)
			}

			old := signAs(t, s, "gemeente-utrecht", "before rotation")
			if _, err := s.Env.Service.RotateKey(ctx, tenant.CLI, "gemeente-utrecht"); err != nil {
				t.Fatal(err)
			}
			fresh := signAs(t, s, "gemeente-utrecht", "after rotation")
			verifyResolved(t, r, old)
			verifyResolved(t, r, fresh)
		})
	}
}

func signAs(t *testing.T, s *testServer, slug, payload string) string {
	t.Helper()
	signer, err := s.Env.Service.Signer(t.Context(), slug)
	if err != nil {
		t.Fatal(err)
	}
	jws, err := jose.Sign([]byte(payload), signer, map[string]any{"typ": "JWT"})
	if err != nil {
		t.Fatal(err)
	}
	return jws
}

func verifyResolved(t *testing.T, r did.Resolver, jws string) {
	t.Helper()
	hdr, err := jose.ParseHeader(jws)
	if err != nil {
		t.Fatal(err)
	}
	id, _, err := did.ParseDIDURL(hdr.Kid)
	if err != nil {
		t.Fatalf("kid %q is not a DID URL: %v", hdr.Kid, err)
	}
	doc, err := r.Resolve(t.Context(), id)
	if err != nil {
		t.Fatalf("resolve %s: %v", id, err)
	}
	pub, err := doc.Key(hdr.Kid, did.AssertionMethod)
	if err != nil {
		t.Fatalf("key %s: %v", hdr.Kid, err)
	}
	if _, _, err := jose.Verify(jws, pub); err != nil {
		t.Fatalf("JWS by %s does not verify against the resolved key: %v", hdr.Kid, err)
	}
}

// An independent implementation (npm `jose`) verifies a JWS of each kind of organisation
// with the key from the DID document the running server serves.
func TestDIDSignaturesVerifyWithNodeJose(t *testing.T) {
	s := startServer(t, migrationstest.SQLite(t))
	if _, err := demo.Seed(t.Context(), s.Env.Service); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join("..", "testdata", "peers", "verify-did-jws.mjs")
	for _, slug := range []string{demo.TrustAnchorSlug, "gemeente-utrecht", "jeugd-ggz-noord"} {
		t.Run(slug, func(t *testing.T) {
			jws := signAs(t, s, slug, `{"hallo":"`+slug+`"}`)
			out, err := exec.Command("node", script, s.URL+"/o/"+slug+"/did.json", jws).CombinedOutput()
			if err != nil {
				t.Fatalf("node jose refused the signature: %v\n%s", err, out)
			}
			var got struct{ Kid, Alg, Payload string }
			if err := json.Unmarshal(out, &got); err != nil || got.Alg != "ES256" || got.Payload != `{"hallo":"`+slug+`"}` {
				t.Fatalf("node jose output %s (%v)", out, err)
			}
		})
	}
	t.Run("error - tampered payload", func(t *testing.T) {
		jws := signAs(t, s, "gemeente-utrecht", "echt")
		parts := strings.Split(jws, ".")
		parts[1] = "bmVw" // "nep"
		if out, err := exec.Command("node", script, s.URL+"/o/gemeente-utrecht/did.json", strings.Join(parts, ".")).CombinedOutput(); err == nil {
			t.Fatalf("node jose accepted a tampered JWS: %s", out)
		}
	})
}

func TestResolveDIDEndpoint(t *testing.T) {
	s := startServer(t, migrationstest.SQLite(t))
	if _, err := demo.Seed(t.Context(), s.Env.Service); err != nil {
		t.Fatal(err)
	}
	utrecht, err := s.Env.Service.Get(t.Context(), tenant.CLI, "gemeente-utrecht")
	if err != nil {
		t.Fatal(err)
	}
	res := s.do(t, "GET", "/api/v1/did-documents?did="+url.QueryEscape(utrecht.DID), s.Operator, "", nil)
	var doc did.Document
	res.json(t, &doc)
	if res.Status != 200 || doc.ID != utrecht.DID || len(doc.AssertionMethod) != 1 {
		t.Fatalf("resolve own DID: %d %s", res.Status, res.Body)
	}
	tests := []struct {
		name   string
		did    string
		status int
	}{
		{"error - missing", "", 400},
		{"error - not a DID", "gemeente-utrecht", 400},
		{"error - unsupported method", "did:example:123", 400},
		{"error - private address", "did:web:10.1.2.3", 400},
		{"error - unknown organisation", strings.Replace(utrecht.DID, "gemeente-utrecht", "bestaat-niet", 1), 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := s.do(t, "GET", "/api/v1/did-documents?did="+url.QueryEscape(tt.did), s.Operator, "", nil)
			if res.Status != tt.status || res.Header.Get("Content-Type") != "application/problem+json" {
				t.Fatalf("status %d (%s), want %d problem", res.Status, res.Body, tt.status)
			}
		})
	}
}
