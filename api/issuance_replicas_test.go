package api_test

import (
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/sociaaldomein/bewijs/api"
	"github.com/sociaaldomein/bewijs/did/resolver"
	"github.com/sociaaldomein/bewijs/internal/audit"
	auditstore "github.com/sociaaldomein/bewijs/internal/audit/store"
	"github.com/sociaaldomein/bewijs/internal/demo"
	"github.com/sociaaldomein/bewijs/internal/keys"
	"github.com/sociaaldomein/bewijs/internal/tenant"
	tenantstore "github.com/sociaaldomein/bewijs/internal/tenant/store"
	"github.com/sociaaldomein/bewijs/internal/tenant/tenanttest"
	"github.com/sociaaldomein/bewijs/issuer"
	slstore "github.com/sociaaldomein/bewijs/issuer/statuslist/store"
	issuerstore "github.com/sociaaldomein/bewijs/issuer/store"
	"github.com/sociaaldomein/bewijs/migrations"
	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
)

// replica is one issuer process: its own connection pool and services over the shared database.
type replica struct {
	db       *migrations.DB
	env      tenanttest.Env
	server   *api.Server
	registry *prometheus.Registry
}

// replicaOptions shape the replicas.
type replicaOptions struct {
	Lists slstore.Config // status list shape
	// WrapAudit, when set, wraps each replica's audit log as the issuer sees it.
	WrapAudit func(issuer.Auditor) issuer.Auditor
}

// startReplicas starts n replicas of the server on one fresh database (the demo organisations
// seeded) behind one listener that hands requests round-robin to them, and returns it with
// gemeente Amsterdam's API key and each replica's issuer metrics. Env and Server are replica 0's.
func startReplicas(t *testing.T, e migrationstest.Engine, n int, opts replicaOptions) (*testServer, string, []*prometheus.Registry) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	publicURL, _ := url.Parse(base)
	masterPath := filepath.Join(t.TempDir(), "master.key")
	if err := keys.GenerateMasterKeyFile(masterPath, time.Now()); err != nil {
		t.Fatal(err)
	}
	dids := localResolver(t)
	dbURL := e.URL(t)
	replicas := make([]replica, n)
	handlers := make([]http.Handler, n)
	for k := range replicas {
		replicas[k] = newReplica(t, dbURL, k == 0, masterPath, publicURL, opts, dids)
		handlers[k] = replicas[k].server.Handler()
	}
	var next atomic.Uint64
	hs := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handlers[(next.Add(1)-1)%uint64(n)].ServeHTTP(w, r)
	}))
	hs.Listener.Close()
	hs.Listener = ln
	hs.Start()
	t.Cleanup(hs.Close)

	first := replicas[0]
	if _, err := demo.Seed(t.Context(), first.env.Service); err != nil {
		t.Fatal(err)
	}
	key, err := first.env.Service.NewAPIKey(t.Context(), tenant.CLI, vciAmsterdam, false)
	if err != nil {
		t.Fatal(err)
	}
	registries := make([]*prometheus.Registry, n)
	for k, r := range replicas {
		registries[k] = r.registry
	}
	return &testServer{URL: base, Env: first.env, Server: first.server, Resolver: dids}, key, registries
}

// newReplica opens its own pool on dbURL (migrating it when migrate) and wires the tenant
// service, issuer and HTTP server the way serve does, with the shared master key file.
func newReplica(t *testing.T, dbURL string, migrate bool, masterPath string, publicURL *url.URL, opts replicaOptions, dids *resolver.Multi) replica {
	t.Helper()
	cfg := migrations.DefaultConfig()
	cfg.URL, cfg.MaxOpenConns, cfg.MaxIdleConns = dbURL, 4, 4
	db, err := migrations.Open(t.Context(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if migrate {
		if err := db.Up(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	master, err := keys.LoadMasterKeys(masterPath)
	if err != nil {
		t.Fatal(err)
	}
	as := auditstore.New(db.Gorm)
	log := audit.New(as, nil, nil)
	svc := tenant.NewService(tenant.Options{Store: tenantstore.New(db.Gorm), Keys: keys.NewLocal(master), Audit: log, PublicURL: publicURL})
	reg := prometheus.NewRegistry()
	metrics, err := api.NewIssuerMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	status := slstore.New(db.Gorm, opts.Lists)
	var auditor issuer.Auditor = log
	if opts.WrapAudit != nil {
		auditor = opts.WrapAudit(log)
	}
	icfg := issuer.DefaultConfig()
	icfg.PublicURL = publicURL
	iss, err := issuer.New(issuer.Options{Config: icfg, Store: issuerstore.New(db.Gorm, status), Lists: status,
		Tenants: svc, Sealer: master, Audit: auditor, Metrics: metrics, NonceSecret: master.Derive("oid4vci/nonce")})
	if err != nil {
		t.Fatal(err)
	}
	acfg := api.DefaultConfig()
	acfg.PublicURL, acfg.BodyLimit = publicURL, "64K"
	srv, err := api.New(acfg, api.Deps{Tenants: svc, Issuer: iss, Resolver: dids, Health: db, Registry: prometheus.NewRegistry(),
		Log: slog.New(slog.NewTextHandler(testLogWriter{t}, &slog.HandlerOptions{Level: slog.LevelError}))})
	if err != nil {
		t.Fatal(err)
	}
	return replica{db: db, env: tenanttest.Env{DB: db, Service: svc, Audit: as, AuditLog: log, Master: master}, server: srv, registry: reg}
}

// testLogWriter sends the server's error log to the test log.
type testLogWriter struct{ t *testing.T }

func (w testLogWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// assertMetrics: the replicas' bewijs_credentials_issued_total add up to want, and every
// replica issued some (the round-robin reached them all).
func assertMetrics(t *testing.T, registries []*prometheus.Registry, want int) {
	t.Helper()
	total := 0.0
	for k, reg := range registries {
		families, err := reg.Gather()
		if err != nil {
			t.Fatal(err)
		}
		n := 0.0
		for _, f := range families {
			if f.GetName() != "bewijs_credentials_issued_total" {
				continue
			}
			for _, m := range f.GetMetric() {
				n += m.GetCounter().GetValue()
			}
		}
		if n == 0 {
			t.Errorf("replica %d issued nothing", k)
		}
		total += n
	}
	if int(total) != want {
		t.Fatalf("bewijs_credentials_issued_total over the replicas = %v, want %d", total, want)
	}
}
