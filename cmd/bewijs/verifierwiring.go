package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/sociaaldomein/bewijs/internal/keys"
	"github.com/sociaaldomein/bewijs/issuer"
	"github.com/sociaaldomein/bewijs/issuer/toewijzing"
	"github.com/sociaaldomein/bewijs/policies"
	"github.com/sociaaldomein/bewijs/verifier"
	"github.com/sociaaldomein/bewijs/verifier/declareren"
	declarerenstore "github.com/sociaaldomein/bewijs/verifier/declareren/store"
	"github.com/sociaaldomein/bewijs/verifier/regopolicy"
	verifierstore "github.com/sociaaldomein/bewijs/verifier/store"
)

// wireVerifier builds the policy engine, the verification pipeline and the presentation
// service.
func (a *app) wireVerifier(ctx context.Context, s *settings, master *keys.MasterKeys) error {
	engine := a.policies
	adapter := regopolicy.New(engine).WithRoles(a.orgcreds.RolesOf)
	fetcher := verifier.NewHTTPStatusFetcher(nil, 0)
	if s.InsecureLocalhost {
		fetcher = verifier.NewInsecureLocalhostStatusFetcher(0)
	}
	pipeline := verifier.New(a.resolver, verifier.NewCachingStatusFetcher(fetcher, time.Now, 256), adapter)
	cfg := verifier.DefaultServiceConfig()
	cfg.KnownVCTs = []string{toewijzing.VCTWmo, toewijzing.VCTJeugdwet, issuer.VCTPID}
	a.presentations = verifierstore.New(a.db.Gorm)
	var err error
	a.verifier, err = verifier.NewService(verifier.ServiceOptions{Config: cfg, Store: a.presentations, Tenants: a.tenants,
		Certs: a.certs, Sealer: master, Audit: a.audit, Policy: adapter, Pipeline: pipeline,
		PageSecret: master.Derive("oid4vp/verify-page"), Webhooks: verifier.NewHTTPWebhooks(s.InsecureLocalhost, a.log)})
	if err != nil {
		return err
	}
	a.declareren, err = declareren.New(declareren.Options{Tenants: a.tenants, Resolver: a.resolver,
		Status: verifier.NewMediaTypeFetcher("application/vc+jwt", 0, s.InsecureLocalhost), Policy: regopolicy.Declareren{Engine: engine},
		Store: declarerenstore.New(a.db.Gorm), Audit: a.audit, NonceKey: master.Derive("declareren/nonce")})
	return err
}

// newPolicyEngine loads the Rego policies: the embedded ones, or those of --policies.
func newPolicyEngine(ctx context.Context, s *settings, log *slog.Logger) (*policies.Engine, error) {
	pcfg := policies.DefaultConfig()
	pcfg.Dir = s.PoliciesDir
	return policies.New(ctx, pcfg, log)
}
