package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/sociaaldomein/bewijs/api"
	"github.com/sociaaldomein/bewijs/internal/demo"
	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/issuer/orgcred"
)

type serveFlags struct {
	settings
	Addr      string
	Demo      bool
	BodyLimit string
	DebugAddr string
	GCPercent int
}

func newServeCmd() *cobra.Command {
	var f serveFlags
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the bewijs HTTP server",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := applyEnv(cmd.Flags()); err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			return serve(ctx, f)
		},
	}
	f.register(cmd.Flags())
	cmd.Flags().StringVar(&f.Addr, "addr", ":8080", "listen address")
	cmd.Flags().BoolVar(&f.Demo, "demo", false, "seed the demo organisations (idempotent)")
	cmd.Flags().StringVar(&f.BodyLimit, "body-limit", "1M", "maximum request body size")
	cmd.Flags().StringVar(&f.DebugAddr, "debug-addr", "", "serve Go pprof profiles on this address (e.g. 127.0.0.1:6060); keep it off public networks")
	cmd.Flags().IntVar(&f.GCPercent, "gc-percent", defaultGCPercent, "Go garbage collector target (as GOGC; a GOGC environment variable wins): higher spends less CPU on collection and more memory")
	return cmd
}

// defaultGCPercent: the server's live heap is small (tens of MB), so Go's default of 100
// collects very often; at 400 a verified presentation costs 16 % less CPU (measured with
// scripts/load-presentation.sh) for a heap of at most five times the live one.
const defaultGCPercent = 400

func serve(ctx context.Context, f serveFlags) error {
	log, err := newLogger(f.LogLevel)
	if err != nil {
		return err
	}
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(f.GCPercent)
	}
	a, err := buildApp(ctx, &f.settings, log, openOptions{migrate: true})
	if err != nil {
		return err
	}
	defer a.Close()
	if f.Demo {
		if err := seedDemo(ctx, a); err != nil {
			return err
		}
	}
	cfg := api.DefaultConfig()
	cfg.Addr, cfg.PublicURL, cfg.BodyLimit = f.Addr, a.publicURL, f.BodyLimit
	srv, err := api.New(cfg, api.Deps{Tenants: a.tenants, Issuer: a.issuer, Verifier: a.verifier, OrgCreds: a.orgcreds, Declareren: a.declareren, Resolver: a.resolver, OfferClient: a.offerClient, Health: a.db, Log: log, Registry: a.metrics})
	if err != nil {
		return usageError{err}
	}
	ln, err := net.Listen("tcp", f.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", f.Addr, err)
	}
	go every(ctx, 5*time.Minute, a.sweep)
	go every(ctx, 30*time.Second, a.deliverOffers)
	go a.policies.Run(ctx)
	if f.DebugAddr != "" {
		go servePprof(ctx, f.DebugAddr, log)
	}
	log.Info("bewijs listening", "addr", ln.Addr().String(), "public_url", a.publicURL.String(), "database", string(a.db.Engine))
	return srv.Run(ctx, ln)
}

func seedDemo(ctx context.Context, a *app) error {
	res, err := demo.Seed(ctx, a.tenants)
	if err != nil {
		return err
	}
	if err := seedDemoRoles(ctx, a); err != nil {
		return err
	}
	a.log.Info("demo organisations ready", "created", len(res.Created), "existing", len(res.Existing),
		"example_did_document", a.tenants.DIDDocumentURL("gemeente-utrecht"),
		"next", "create an operator API key with `bewijs operator api-key`, then GET /api/v1/tenants")
	return nil
}

// every runs f every period until ctx ends.
func every(ctx context.Context, period time.Duration, f func(ctx context.Context, now time.Time)) {
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			f(ctx, now)
		}
	}
}

// sweep deletes expired protocol state (nonces, codes, tokens, replay keys).
func (a *app) sweep(ctx context.Context, now time.Time) {
	if err := a.issuance.Sweep(ctx, now); err != nil && ctx.Err() == nil {
		a.log.Warn("sweeping expired protocol state failed", "error", err.Error())
	}
	if _, err := a.verifier.Sweep(ctx); err != nil && ctx.Err() == nil {
		a.log.Warn("sweeping expired presentation requests failed", "error", err.Error())
	}
}

// deliverOffers retries the deliveries of offers to organisations' credential offer
// endpoints that failed (a zorgtoewijzing for an aanbieder on another instance).
func (a *app) deliverOffers(ctx context.Context, _ time.Time) {
	if n, err := a.issuer.DeliverDue(ctx); err != nil && ctx.Err() == nil {
		a.log.Warn("delivering due credential offers failed", "delivered", n, "error", err.Error())
	} else if n > 0 {
		a.log.Info("due credential offers delivered", "delivered", n)
	}
}

// servePprof exposes net/http/pprof on a separate listener, for profiling under load.
func servePprof(ctx context.Context, addr string, log *slog.Logger) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	log.Warn("serving pprof profiles", "addr", addr)
	if err := srv.ListenAndServe(); err != nil && ctx.Err() == nil {
		log.Error("pprof server stopped", "error", err.Error())
	}
}

// seedDemoRoles has the demo trust anchor give every demo gemeente and aanbieder its
// OrganisatieRol, once, so that the declareren flow works out of the box.
func seedDemoRoles(ctx context.Context, a *app) error {
	issued, err := a.orgcreds.List(ctx, tenant.CLI, demo.TrustAnchorSlug)
	if err != nil {
		return err
	}
	has := map[string]bool{}
	for _, r := range issued {
		if r.Type == orgcred.TypeRole && r.RevokedAt == nil {
			has[r.SubjectDID] = true
		}
	}
	orgs, err := demo.Organisations()
	if err != nil {
		return err
	}
	for _, o := range orgs {
		if o.Kind == tenant.TrustAnchor || has[a.tenants.DID(o.Slug)] {
			continue
		}
		if _, err := a.orgcreds.IssueRole(ctx, tenant.CLI, demo.TrustAnchorSlug, orgcred.RoleInput{Subject: o.Slug}); err != nil {
			return fmt.Errorf("demo role for %s: %w", o.Slug, err)
		}
	}
	return nil
}
