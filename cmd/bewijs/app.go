package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/sociaaldomein/bewijs/api"
	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/did/resolver"
	"github.com/sociaaldomein/bewijs/did/web"
	"github.com/sociaaldomein/bewijs/internal/audit"
	auditstore "github.com/sociaaldomein/bewijs/internal/audit/store"
	"github.com/sociaaldomein/bewijs/internal/keys"
	"github.com/sociaaldomein/bewijs/internal/pki"
	pkistore "github.com/sociaaldomein/bewijs/internal/pki/store"
	"github.com/sociaaldomein/bewijs/internal/safehttp"
	"github.com/sociaaldomein/bewijs/internal/tenant"
	tenantstore "github.com/sociaaldomein/bewijs/internal/tenant/store"
	"github.com/sociaaldomein/bewijs/issuer"
	"github.com/sociaaldomein/bewijs/issuer/orgcred"
	orgcredstore "github.com/sociaaldomein/bewijs/issuer/orgcred/store"
	slstore "github.com/sociaaldomein/bewijs/issuer/statuslist/store"
	issuerstore "github.com/sociaaldomein/bewijs/issuer/store"
	"github.com/sociaaldomein/bewijs/migrations"
	"github.com/sociaaldomein/bewijs/policies"
	"github.com/sociaaldomein/bewijs/verifier"
	"github.com/sociaaldomein/bewijs/verifier/declareren"
	"github.com/sociaaldomein/bewijs/verifier/regopolicy"
	verifierstore "github.com/sociaaldomein/bewijs/verifier/store"
	"github.com/sociaaldomein/bewijs/wallet"
)

// app is the object graph shared by serve and the admin commands.
type app struct {
	db       *migrations.DB
	resolver *resolver.Multi
	audit    *audit.Log
	tenants  *tenant.Service
	ca       *pki.Authority      // the pilot CA
	certs    *tenant.CertService // X.509 chains of tenant keys, for x5c
	issuer   *issuer.Issuer
	issuance *issuerstore.Store
	// orgcreds issues organisation credentials (roles, zorgtoewijzingen) and keeps wallets.
	orgcreds *orgcred.Service
	// declareren exchanges aanbieders' presentations for tokens and checks declaraties.
	declareren *declareren.Service
	// policies decides trust, requests and pid questions (Rego).
	policies *policies.Engine
	verifier *verifier.Service
	// presentations stores presentation requests.
	presentations *verifierstore.Store
	metrics       *prometheus.Registry
	publicURL     *url.URL
	log           *slog.Logger
	// offerClient redeems credential offers delivered to organisation wallets.
	offerClient *wallet.Client
}

// openOptions say how a command wants the database.
type openOptions struct {
	migrate bool // apply pending migrations (serve); admin commands require a current schema
}

// buildApp is the composition root: it opens the database, loads the master key and wires
// every service. Each command calls it once.
func buildApp(ctx context.Context, s *settings, log *slog.Logger, opts openOptions) (*app, error) {
	publicURL, err := s.finish()
	if err != nil {
		return nil, err
	}
	master, err := loadMasterKey(s, log)
	if err != nil {
		return nil, err
	}
	db, err := openDatabase(ctx, s, log, opts)
	if err != nil {
		return nil, err
	}
	auditLog := audit.New(auditstore.New(db.Gorm), log, nil)
	keyBackend := keys.NewLocal(master)
	tenants := tenant.NewService(tenant.Options{
		Store:     tenantstore.New(db.Gorm),
		Keys:      keyBackend,
		Audit:     auditLog,
		PublicURL: publicURL,
	})
	pkiStore := pkistore.New(db.Gorm)
	ca := pki.NewAuthority(pki.AuthorityOptions{Store: pkiStore, Keys: keyBackend, Audit: auditLog})
	certs := tenant.NewCertService(tenant.CertOptions{Tenants: tenants, Store: pkiStore, CA: ca})
	dids, err := newResolver(s)
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	a := &app{db: db, resolver: dids, audit: auditLog, tenants: tenants, ca: ca, certs: certs, publicURL: publicURL, log: log,
		metrics: prometheus.NewRegistry(), offerClient: newOfferClient(s, dids)}
	if a.policies, err = newPolicyEngine(ctx, s, log); err != nil {
		_ = db.Close()
		return nil, err
	}
	if err := a.wireIssuer(s, master); err != nil {
		_ = db.Close()
		return nil, err
	}
	if err := a.wireVerifier(ctx, s, master); err != nil {
		_ = db.Close()
		return nil, err
	}
	return a, nil
}

// wireIssuer builds the OpenID4VCI issuer: status lists, its store, the tenant keys and
// certificates, and the master key to seal claims at rest.
func (a *app) wireIssuer(s *settings, master *keys.MasterKeys) error {
	lists := slstore.New(a.db.Gorm, slstore.DefaultConfig())
	a.issuance = issuerstore.New(a.db.Gorm, lists)
	metrics, err := api.NewIssuerMetrics(a.metrics)
	if err != nil {
		return err
	}
	cfg := issuer.DefaultConfig()
	cfg.PublicURL = a.publicURL
	a.orgcreds, err = orgcred.New(orgcred.Options{Store: orgcredstore.New(a.db.Gorm), Tenants: a.tenants, Audit: a.audit,
		PseudonymKey: master.Derive("orgcred/pseudonym"), Resolver: a.resolver, InsecureLocalhost: s.InsecureLocalhost,
		// An organisation wallet keeps zorgtoewijzingen of issuers the trust table allows (the
		// roles of a gemeente elsewhere are not known here).
		Trust: regopolicy.New(a.policies).Trusted})
	if err != nil {
		return err
	}
	a.issuer, err = issuer.New(issuer.Options{Config: cfg, Store: a.issuance, Lists: lists, Tenants: a.tenants,
		Certs: a.certs, Sealer: master, Audit: a.audit, Metrics: metrics, NonceSecret: master.Derive("oid4vci/nonce"),
		Zorgtoewijzingen: a.orgcreds, Resolver: a.resolver})
	return err
}

// newResolver resolves other parties' DIDs; --insecure-localhost lets did:web use http and
// loopback for localhost and 127.0.0.1 only.
func newResolver(s *settings) (*resolver.Multi, error) {
	webCfg := web.DefaultConfig()
	webCfg.InsecureLocalhost = s.InsecureLocalhost
	webResolver, err := web.NewResolver(webCfg)
	if err != nil {
		return nil, err
	}
	return resolver.New(resolver.DefaultConfig(), resolver.StandardMethods(webResolver))
}

// newOfferClient is the OpenID4VCI client of organisation wallets: anyone may deliver an
// offer to their credential offer endpoint, so it fetches https URLs on public addresses
// only (with --insecure-localhost also http on localhost and 127.0.0.1, any address).
func newOfferClient(s *settings, dids did.Resolver) *wallet.Client {
	c := &wallet.Client{Resolver: dids, RequireHTTPS: true, InsecureLocalhost: s.InsecureLocalhost}
	if !s.InsecureLocalhost {
		c.HTTP = safehttp.Client(15 * time.Second)
	}
	return c
}

func (a *app) Close() error { return a.db.Close() }

func openDatabase(ctx context.Context, s *settings, log *slog.Logger, opts openOptions) (*migrations.DB, error) {
	db, err := migrations.Open(ctx, s.DB, log)
	if err != nil {
		return nil, err
	}
	if opts.migrate {
		if err := db.Up(ctx); err != nil {
			_ = db.Close()
			return nil, err
		}
		return db, nil
	}
	if current, err := db.Current(ctx); err != nil || !current {
		_ = db.Close()
		return nil, errors.New("database schema is not current; run `bewijs migrate up` (or start `bewijs serve`) first")
	}
	return db, nil
}

// loadMasterKey reads the master key file. On the embedded default a missing file is
// generated once in the data folder; on PostgreSQL it is required, since every replica must
// share it.
func loadMasterKey(s *settings, log *slog.Logger) (*keys.MasterKeys, error) {
	path := s.MasterKeyFile
	engine, _ := s.DB.Engine()
	if path == "" {
		if engine == migrations.Postgres {
			return nil, usageError{errors.New("on PostgreSQL --master-key-file (BEWIJS_MASTER_KEY_FILE) is required, since every replica must share it; create one with `bewijs master-key generate --out FILE`")}
		}
		path = filepath.Join(filepath.Dir(migrations.SQLitePath(s.DB.URL)), "master.key")
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
				return nil, err
			}
			if err := keys.GenerateMasterKeyFile(path, time.Now()); err != nil {
				return nil, err
			}
			log.Warn("generated a new master key file; back it up: without it the private keys cannot be opened", "path", path)
		}
	}
	m, err := keys.LoadMasterKeys(path)
	if err != nil {
		return nil, fmt.Errorf("master key: %w", err)
	}
	return m, nil
}

// newLogger writes JSON lines to stderr at the given level.
func newLogger(level string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(strings.ToUpper(level))); err != nil {
		return nil, usageError{fmt.Errorf("--log-level %q: use debug, info, warn or error", level)}
	}
	return slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: l})), nil
}
