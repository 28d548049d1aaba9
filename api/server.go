// Package api is every HTTP concern of bewijs: the Echo server, routes, thin handlers,
// middleware, the single mapping of errors to responses, and the admin API's OpenAPI document.
// Business rules live in the packages the handlers call.
package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/issuer"
	"github.com/sociaaldomein/bewijs/issuer/orgcred"
	"github.com/sociaaldomein/bewijs/verifier"
	"github.com/sociaaldomein/bewijs/verifier/declareren"
	"github.com/sociaaldomein/bewijs/wallet"
)

// Version is the admin API version, sent in the API-Version header of every response.
const Version = "1.1.0"

// Config is the HTTP server's configuration.
type Config struct {
	Addr              string
	PublicURL         *url.URL
	BodyLimit         string // Echo size syntax, e.g. "1M"
	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	WriteTimeout      time.Duration
	IdleTimeout       time.Duration
	ShutdownTimeout   time.Duration
}

// DefaultConfig returns the defaults for serve.
func DefaultConfig() Config {
	u, _ := url.Parse("http://localhost:8080")
	return Config{
		Addr: ":8080", PublicURL: u, BodyLimit: "1M",
		ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second,
		IdleTimeout: 120 * time.Second, ShutdownTimeout: 20 * time.Second,
	}
}

// Validate checks the configuration.
func (c Config) Validate() error {
	if c.PublicURL == nil || (c.PublicURL.Scheme != "http" && c.PublicURL.Scheme != "https") || c.PublicURL.Host == "" {
		return errors.New("public URL must be an absolute http(s) URL")
	}
	if c.PublicURL.RawQuery != "" || c.PublicURL.Fragment != "" || c.PublicURL.User != nil {
		return errors.New("public URL must not carry a query, fragment or user info")
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return fmt.Errorf("listen address %q: %w", c.Addr, err)
	}
	return nil
}

// Health is what /readyz asks of the database.
type Health interface {
	Ping(ctx context.Context) error
	Current(ctx context.Context) (bool, error)
}

// Deps are the services the handlers call.
type Deps struct {
	Tenants *tenant.Service
	// Issuer is the OpenID4VCI credential issuer (nil: no issuance routes).
	Issuer *issuer.Issuer
	// Verifier runs OpenID4VP presentation requests (nil: no verifier routes).
	Verifier *verifier.Service
	// OrgCreds issues organisation credentials (roles) and keeps organisation wallets (nil:
	// no such routes).
	OrgCreds *orgcred.Service
	// Declareren exchanges presentations for declareren tokens and checks declaraties (nil:
	// no such routes).
	Declareren *declareren.Service
	// Resolver resolves DIDs of other parties (did:web, did:key, did:jwk).
	Resolver did.Resolver
	// OfferClient redeems the credential offers delivered to organisation wallets (nil: no
	// credential offer endpoint).
	OfferClient *wallet.Client
	Health      Health
	Log         *slog.Logger
	// Registry receives the HTTP metrics; nil makes a fresh one.
	Registry *prometheus.Registry
}

// Server is the bewijs HTTP server.
type Server struct {
	cfg  Config
	echo *echo.Echo
	deps Deps
	log  *slog.Logger
	// openapi is the rendered /api/v1/openapi.json.
	openapi []byte
}

// New builds the server and registers every route.
func New(cfg Config, deps Deps) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if deps.Log == nil {
		deps.Log = slog.New(slog.DiscardHandler)
	}
	if deps.Registry == nil {
		deps.Registry = prometheus.NewRegistry()
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	s := &Server{cfg: cfg, echo: e, deps: deps, log: deps.Log}
	e.HTTPErrorHandler = s.handleError
	var err error
	if s.openapi, err = s.openAPIJSON(); err != nil {
		return nil, err
	}
	if err := s.middleware(); err != nil {
		return nil, err
	}
	s.routes()
	return s, nil
}

// Handler is the server as an http.Handler (for httptest).
func (s *Server) Handler() http.Handler { return s.echo }

// Routes lists the registered routes as "METHOD /path" with Echo's :param syntax.
func (s *Server) Routes() []string {
	var out []string
	for _, r := range s.echo.Routes() {
		if strings.HasPrefix(r.Name, "github.com/labstack/echo") {
			continue
		}
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}

// Run listens until ctx ends, then shuts down gracefully within the shutdown timeout.
func (s *Server) Run(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.echo,
		ReadHeaderTimeout: s.cfg.ReadHeaderTimeout,
		ReadTimeout:       s.cfg.ReadTimeout,
		WriteTimeout:      s.cfg.WriteTimeout,
		IdleTimeout:       s.cfg.IdleTimeout,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down", "timeout", s.cfg.ShutdownTimeout.String())
	shutdownCtx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// basePath is the path of the public URL, under which every route is mounted.
func (s *Server) basePath() string { return strings.TrimSuffix(s.cfg.PublicURL.Path, "/") }
