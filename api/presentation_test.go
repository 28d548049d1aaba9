package api_test

import (
	"crypto/x509"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/sociaaldomein/bewijs/internal/demo"
	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
	"github.com/sociaaldomein/bewijs/verifier/oid4vp"
	"github.com/sociaaldomein/bewijs/wallet"
)

// zorgstartPaths are the claims the default requests policy's zorgstart query asks for.
var zorgstartPaths = []string{"aanbieder.agb", "aanbieder.naam", "einddatum", "gemeente.code", "gemeente.naam",
	"ingangsdatum", "product.categorie", "product.code", "toewijzingnummer", "wet"}

// End to end through the real HTTP server on both engines and both response modes: an
// aanbieder asks for zorgstart, the wallet fetches the signed request object, presents just
// those claims with a key binding JWT, and the verified result holds exactly them.
func TestPresentZorgstart(t *testing.T) {
	for _, e := range migrationstest.Engines() {
		for _, mode := range []string{oid4vp.ResponseModeDirectPost, oid4vp.ResponseModeDirectPostJWT} {
			t.Run(e.Name+"/"+mode, func(t *testing.T) {
				env := newPresentationEnv(t, e)
				c := env.createPresentation(t, map[string]any{"query": "zorgstart", "response_mode": mode})
				if c.State != "pending" || !strings.HasPrefix(c.AuthorizationRequest, "openid4vp://?") ||
					!strings.HasPrefix(c.ClientID, "decentralized_identifier:did:web:") || c.ResponseMode != mode {
					t.Fatalf("created = %+v", c)
				}
				ar, res, err := fetchRequest(t.Context(), env.Resolver, c.AuthorizationRequest)
				if err != nil {
					t.Fatalf("request object: %v (%d %s)", err, res.Status, res.Body)
				}
				if got := env.showPresentation(t, c.ID).State; got != "retrieved" {
					t.Fatalf("state after fetch = %s", got)
				}
				vp := present(t, env.Cred, env.HolderKey, ar, presentOpts{})
				res, err = respond(t.Context(), ar, map[string][]string{"toewijzing": {vp}}, ar.State)
				if err != nil || res.Status != http.StatusOK {
					t.Fatalf("response: %v %d %s", err, res.Status, res.Body)
				}
				var out oid4vp.DirectPostResponse
				res.json(t, &out)
				if !strings.Contains(out.RedirectURI, "/verify/"+c.ID+"?response_code=") {
					t.Fatalf("redirect_uri = %q", out.RedirectURI)
				}

				v := env.showPresentation(t, c.ID)
				if v.State != "verified" || v.Result == nil || !v.Result.Verified || len(v.Result.Credentials) != 1 {
					t.Fatalf("result = %+v", v)
				}
				got := v.Result.Credentials[0]
				if got.Issuer != env.Cred.Issuer || got.VCT != env.Cred.VCT || got.Status != "valid" || got.QueryID != "toewijzing" || len(got.Trust) == 0 {
					t.Fatalf("credential = %+v", got)
				}
				if paths := flatPaths(got.Claims, ""); !slices.Equal(paths, zorgstartPaths) {
					t.Fatalf("disclosed claims %v, want exactly %v", paths, zorgstartPaths)
				}

				// The same-device browser sees the result with the response_code alone.
				page := getPage(t, out.RedirectURI)
				if page.Status != http.StatusOK || !strings.Contains(string(page.Body), `data-state="verified"`) {
					t.Fatalf("same-device page: %d", page.Status)
				}
			})
		}
	}
}

// flatPaths lists the leaf paths of a claims object, dotted and sorted.
func flatPaths(m map[string]any, prefix string) []string {
	var out []string
	for k, v := range m {
		p := k
		if prefix != "" {
			p = prefix + "." + k
		}
		if sub, ok := v.(map[string]any); ok {
			out = append(out, flatPaths(sub, p)...)
			continue
		}
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

func getPage(t *testing.T, target string) response {
	t.Helper()
	if _, err := url.Parse(target); err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, target, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := send(req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// Acceptance: issue, receive with bewijs' wallet, request, present with the same wallet, and
// get a verified result with exactly the requested claims, on both engines, for direct_post
// and direct_post.jwt, with the decentralized_identifier and the x509_hash client identifier.
func TestWalletPresentsToVerifier(t *testing.T) {
	for _, e := range migrationstest.Engines() {
		for _, tc := range []struct{ mode, prefix string }{
			{oid4vp.ResponseModeDirectPost, "decentralized_identifier"},
			{oid4vp.ResponseModeDirectPostJWT, "x509_hash"},
		} {
			t.Run(e.Name+"/"+tc.mode+"/"+tc.prefix, func(t *testing.T) {
				s, gkey := issuanceServer(t, e)
				vkey, err := s.Env.Service.NewAPIKey(t.Context(), tenant.CLI, verifierSlug, false)
				if err != nil {
					t.Fatal(err)
				}
				opts := wallet.PresentOptions{InsecureLocalhost: true}
				if tc.prefix == "x509_hash" {
					opts.TrustedRoots = x509.NewCertPool()
					opts.TrustedRoots.AddCert(s.certify(t, verifierSlug))
				}
				w := s.walletWithBeschikking(t, gkey)
				env := &presentationEnv{testServer: s, VerifierKey: vkey}
				c := env.createPresentation(t, map[string]any{"query": "zorgstart", "response_mode": tc.mode})
				if !strings.HasPrefix(c.ClientID, tc.prefix+":") {
					t.Fatalf("client_id %s, want prefix %s", c.ClientID, tc.prefix)
				}
				var (
					req   wallet.Request
					shown wallet.Plan
				)
				res, err := w.Present(t.Context(), c.AuthorizationRequest, opts,
					func(r wallet.Request, p wallet.Plan) bool { req, shown = r, p; return true })
				if err != nil {
					t.Fatal(err)
				}
				if tc.prefix == "x509_hash" && !req.X509ChainVerified {
					t.Fatal("the verifier's certificate chain was not verified to the pilot CA")
				}
				if len(shown.Items) != 1 || !strings.Contains(res.RedirectURI, "response_code=") {
					t.Fatalf("plan %+v, result %+v", shown, res)
				}
				v := env.showPresentation(t, c.ID)
				if v.State != "verified" || len(v.Result.Credentials) != 1 {
					t.Fatalf("state %s result %+v", v.State, v.Result)
				}
				if paths := flatPaths(v.Result.Credentials[0].Claims, ""); !slices.Equal(paths, zorgstartPaths) {
					t.Fatalf("disclosed %v, want exactly %v", paths, zorgstartPaths)
				}
			})
		}
	}
}

// x509_san_dns (older wallets): the client identifier is the DNS name of the certificate, the
// wallet checks the chain to the pilot CA and that the response_uri is on that host.
func TestWalletPresentsX509SANDNS(t *testing.T) {
	e := migrationstest.Engines()[0]
	s := startServerWith(t, e.Open(t), serverOptions{Host: "localhost"})
	if _, err := demo.Seed(t.Context(), s.Env.Service); err != nil {
		t.Fatal(err)
	}
	s.seedRoles(t)
	gkey, err := s.Env.Service.NewAPIKey(t.Context(), tenant.CLI, "gemeente-amsterdam", false)
	if err != nil {
		t.Fatal(err)
	}
	vkey, err := s.Env.Service.NewAPIKey(t.Context(), tenant.CLI, verifierSlug, false)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(s.certify(t, verifierSlug))
	w := s.walletWithBeschikking(t, gkey)
	env := &presentationEnv{testServer: s, VerifierKey: vkey}
	c := env.createPresentation(t, map[string]any{"query": "zorgstart", "client_id_prefix": "x509_san_dns"})
	if c.ClientID != "x509_san_dns:localhost" {
		t.Fatalf("client_id = %s", c.ClientID)
	}
	if _, err := w.Present(t.Context(), c.AuthorizationRequest, wallet.PresentOptions{InsecureLocalhost: true, TrustedRoots: roots},
		func(wallet.Request, wallet.Plan) bool { return true }); err != nil {
		t.Fatal(err)
	}
	if v := env.showPresentation(t, c.ID); v.State != "verified" {
		t.Fatalf("state %s result %+v", v.State, v.Result)
	}
}

// An explicit DCQL query with credential_sets and claim_sets: the wallet answers the first
// claim set it can satisfy, and the result holds those claims.
func TestPresentExplicitDCQLWithSets(t *testing.T) {
	env := newPresentationEnv(t, migrationstest.Engines()[0])
	w := env.walletWithBeschikking(t, env.GemeenteKey)
	query := map[string]any{
		"credentials": []any{
			map[string]any{"id": "wmo", "format": "dc+sd-jwt", "meta": map[string]any{"vct_values": []string{"urn:nl:sociaaldomein:wmo:toewijzing:1"}},
				"claims": []any{
					map[string]any{"id": "nr", "path": []any{"toewijzingnummer"}},
					map[string]any{"id": "missing", "path": []any{"bestaat", "niet"}},
					map[string]any{"id": "product", "path": []any{"product", "code"}},
				},
				"claim_sets": []any{[]string{"nr", "missing"}, []string{"nr", "product"}}},
			map[string]any{"id": "jw", "format": "dc+sd-jwt", "meta": map[string]any{"vct_values": []string{"urn:nl:sociaaldomein:jeugdwet:toewijzing:1"}},
				"claims": []any{map[string]any{"path": []any{"toewijzingnummer"}}}},
		},
		"credential_sets": []any{map[string]any{"options": []any{[]string{"jw"}, []string{"wmo"}}}},
	}
	c := env.createPresentation(t, map[string]any{"dcql_query": query, "purpose": "zorgstart", "response_mode": "direct_post.jwt"})
	if _, err := w.Present(t.Context(), c.AuthorizationRequest, wallet.PresentOptions{InsecureLocalhost: true},
		func(wallet.Request, wallet.Plan) bool { return true }); err != nil {
		t.Fatal(err)
	}
	v := env.showPresentation(t, c.ID)
	if v.State != "verified" || len(v.Result.Credentials) != 1 || v.Result.Credentials[0].QueryID != "wmo" {
		t.Fatalf("state %s result %+v", v.State, v.Result)
	}
	if paths := flatPaths(v.Result.Credentials[0].Claims, ""); !slices.Equal(paths, []string{"product.code", "toewijzingnummer"}) {
		t.Fatalf("claims %v", paths)
	}
}
