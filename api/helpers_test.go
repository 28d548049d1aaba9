package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/sociaaldomein/bewijs/api"
	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/did/didtest"
	"github.com/sociaaldomein/bewijs/did/resolver"
	"github.com/sociaaldomein/bewijs/internal/keys"
	"github.com/sociaaldomein/bewijs/internal/pki"
	pkistore "github.com/sociaaldomein/bewijs/internal/pki/store"
	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/internal/tenant/tenanttest"
	"github.com/sociaaldomein/bewijs/issuer"
	"github.com/sociaaldomein/bewijs/issuer/orgcred"
	orgcredstore "github.com/sociaaldomein/bewijs/issuer/orgcred/store"
	slstore "github.com/sociaaldomein/bewijs/issuer/statuslist/store"
	issuerstore "github.com/sociaaldomein/bewijs/issuer/store"
	"github.com/sociaaldomein/bewijs/issuer/toewijzing"
	"github.com/sociaaldomein/bewijs/migrations"
	"github.com/sociaaldomein/bewijs/policies"
	"github.com/sociaaldomein/bewijs/verifier"
	"github.com/sociaaldomein/bewijs/verifier/declareren"
	declarerenstore "github.com/sociaaldomein/bewijs/verifier/declareren/store"
	"github.com/sociaaldomein/bewijs/verifier/regopolicy"
	verifierstore "github.com/sociaaldomein/bewijs/verifier/store"
	"github.com/sociaaldomein/bewijs/wallet"
)

// testServer is the real HTTP server on a loopback port, its public URL equal to its address.
type testServer struct {
	URL      string
	Env      tenanttest.Env
	Server   *api.Server
	Operator string // an operator API key
	Resolver *resolver.Multi
	CA       *pki.Authority
	Certs    *tenant.CertService
	Verifier *verifier.Service
	Policies *policies.Engine
	Issuer   *issuer.Issuer
	OrgCreds *orgcred.Service
}

func startServer(t *testing.T, db *migrations.DB) *testServer { return startServerTB(t, db) }

func startServerTB(t testing.TB, db *migrations.DB) *testServer {
	t.Helper()
	return startServerWith(t, db, serverOptions{})
}

// startServerPolicies is startServerTB with the Rego policies of policyDir, reloaded while the
// test runs.
func startServerPolicies(t testing.TB, db *migrations.DB, policyDir string) *testServer {
	t.Helper()
	return startServerWith(t, db, serverOptions{PolicyDir: policyDir})
}

// serverOptions vary the test server: PolicyDir ("" : the embedded policies) and Host, the
// host name of the public URL ("" : 127.0.0.1; "localhost" gives certificates a DNS name).
type serverOptions struct {
	PolicyDir string
	Host      string
	// Wrap, when set, wraps the server's handler (to make an endpoint fail for a while).
	Wrap func(http.Handler) http.Handler
}

func startServerWith(t testing.TB, db *migrations.DB, o serverOptions) *testServer {
	t.Helper()
	policyDir := o.PolicyDir
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	if o.Host != "" {
		base = "http://" + net.JoinHostPort(o.Host, fmt.Sprint(ln.Addr().(*net.TCPAddr).Port))
	}
	env := tenanttest.New(t, db, base)
	cfg := api.DefaultConfig()
	cfg.PublicURL, _ = url.Parse(base)
	cfg.BodyLimit = "16K"
	dids := localResolver(t)
	ca := pki.NewAuthority(pki.AuthorityOptions{Store: pkistore.New(db.Gorm), Keys: keys.NewLocal(env.Master), Audit: env.AuditLog})
	certs := tenant.NewCertService(tenant.CertOptions{Tenants: env.Service, Store: pkistore.New(db.Gorm), CA: ca})
	engine := newPolicyEngine(t, policyDir)
	orgcreds, err := orgcred.New(orgcred.Options{Store: orgcredstore.New(db.Gorm), Tenants: env.Service, Audit: env.AuditLog,
		PseudonymKey: env.Master.Derive("orgcred/pseudonym"), Resolver: dids, InsecureLocalhost: true,
		Trust: regopolicy.New(engine).Trusted})
	if err != nil {
		t.Fatal(err)
	}
	iss := newIssuer(t, db, env, cfg.PublicURL, certs, orgcreds, dids)
	vs := newVerifier(t, db, env, dids, certs, engine, orgcreds.RolesOf)
	decl, err := declareren.New(declareren.Options{Tenants: env.Service, Resolver: dids,
		Status: verifier.NewMediaTypeFetcher("application/vc+jwt", 0, true), Policy: regopolicy.Declareren{Engine: engine},
		Store: declarerenstore.New(db.Gorm), Audit: env.AuditLog, NonceKey: env.Master.Derive("declareren/nonce")})
	if err != nil {
		t.Fatal(err)
	}
	if policyDir != "" {
		ctx, cancel := context.WithCancel(context.Background())
		t.Cleanup(cancel)
		go engine.Run(ctx)
	}
	srv, err := api.New(cfg, api.Deps{Tenants: env.Service, Issuer: iss, Verifier: vs, OrgCreds: orgcreds, Declareren: decl, Resolver: dids, Health: db, Registry: prometheus.NewRegistry(),
		OfferClient: &wallet.Client{Resolver: dids, RequireHTTPS: true, InsecureLocalhost: true}})
	if err != nil {
		t.Fatal(err)
	}
	handler := srv.Handler()
	if o.Wrap != nil {
		handler = o.Wrap(handler)
	}
	hs := httptest.NewUnstartedServer(handler)
	hs.Listener.Close()
	hs.Listener = ln
	hs.Start()
	t.Cleanup(hs.Close)
	op, err := env.Service.NewOperatorAPIKey(t.Context(), tenant.CLI, false)
	if err != nil {
		t.Fatal(err)
	}
	return &testServer{URL: base, Env: env, Server: srv, Operator: op, Resolver: dids, CA: ca, Certs: certs, Verifier: vs, Policies: engine, Issuer: iss, OrgCreds: orgcreds}
}

// newVerifier wires the policy engine (policyDir "" : the embedded policies) and the
// presentation service on the test database, fetching status lists from 127.0.0.1.
func newVerifier(t testing.TB, db *migrations.DB, env tenanttest.Env, dids did.Resolver, certs verifier.Certificates, engine *policies.Engine, roles regopolicy.RoleSource) *verifier.Service {
	t.Helper()
	adapter := regopolicy.New(engine).WithRoles(roles)
	pipeline := verifier.New(dids, verifier.NewInsecureLocalhostStatusFetcher(0), adapter)
	cfg := verifier.DefaultServiceConfig()
	cfg.KnownVCTs = []string{toewijzing.VCTWmo, toewijzing.VCTJeugdwet, issuer.VCTPID}
	cfg.MaxVPTokenBytes = 12 << 10 // below the test server's body limit, so "too large" is the verifier's answer
	vs, err := verifier.NewService(verifier.ServiceOptions{Config: cfg, Store: verifierstore.New(db.Gorm), Tenants: env.Service,
		Certs: certs, Sealer: env.Master, Audit: env.AuditLog, Policy: adapter, Pipeline: pipeline,
		PageSecret: env.Master.Derive("oid4vp/verify-page"), Webhooks: verifier.NewHTTPWebhooks(true, nil)})
	if err != nil {
		t.Fatal(err)
	}
	return vs
}

// newPolicyEngine loads the Rego policies (policyDir "" : the embedded ones), reloaded every
// 50 ms when a folder is given and the server runs the engine.
func newPolicyEngine(t testing.TB, policyDir string) *policies.Engine {
	t.Helper()
	pcfg := policies.DefaultConfig()
	pcfg.Dir = policyDir
	pcfg.ReloadInterval = 50 * time.Millisecond
	engine, err := policies.New(t.Context(), pcfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	return engine
}

// newIssuer wires the OpenID4VCI issuer on the test database.
func newIssuer(t testing.TB, db *migrations.DB, env tenanttest.Env, publicURL *url.URL, certs issuer.Certificates, zorg issuer.Zorgtoewijzingen, dids did.Resolver) *issuer.Issuer {
	t.Helper()
	lists := slstore.New(db.Gorm, slstore.DefaultConfig())
	cfg := issuer.DefaultConfig()
	cfg.PublicURL = publicURL
	iss, err := issuer.New(issuer.Options{Config: cfg, Store: issuerstore.New(db.Gorm, lists), Lists: lists,
		Tenants: env.Service, Certs: certs, Sealer: env.Master, Audit: env.AuditLog, NonceSecret: env.Master.Derive("oid4vci/nonce"),
		Zorgtoewijzingen: zorg, Resolver: dids})
	if err != nil {
		t.Fatal(err)
	}
	return iss
}

type response struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r response) json(t *testing.T, into any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, into); err != nil {
		t.Fatalf("body %s: %v", r.Body, err)
	}
}

func (s *testServer) do(t *testing.T, method, path, key, contentType string, body []byte) response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, s.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{Status: res.StatusCode, Header: res.Header, Body: b}
}

// revokeBeschikking revokes beschikking id with the gemeente's API key and fails the test
// unless the API answers 200.
func (s *testServer) revokeBeschikking(t *testing.T, key, id, reason string) {
	t.Helper()
	if res := s.postJSON(t, "/api/v1/beschikkingen/"+id+"/revoke", key, map[string]string{"reason": reason}); res.Status != http.StatusOK {
		t.Fatalf("revoke: %d %s", res.Status, res.Body)
	}
}

func (s *testServer) postJSON(t *testing.T, path, key string, v any) response {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return s.do(t, http.MethodPost, path, key, "application/json", b)
}

// localResolver resolves did:web (http and loopback allowed, for test servers), did:key and
// did:jwk.
func localResolver(t testing.TB) *resolver.Multi {
	return didtest.LocalResolver(t, resolver.DefaultConfig())
}
