package verifier

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"time"

	"github.com/sociaaldomein/bewijs/internal/audit"
	"github.com/sociaaldomein/bewijs/internal/jose"
	"github.com/sociaaldomein/bewijs/internal/tenant"
)

// ServiceConfig holds the presentation service's lifetimes and limits.
type ServiceConfig struct {
	// RequestTTL is how long a wallet has to fetch the request object and respond.
	RequestTTL time.Duration
	// KeepFor is how long a completed or expired request stays readable before the sweeper
	// deletes it (evidence stays for its own retention period).
	KeepFor time.Duration
	// MaxResponseBytes bounds the body of a response at the response_uri.
	MaxResponseBytes int
	// MaxVPTokenBytes bounds the presentations of one vp_token together.
	MaxVPTokenBytes int
	// KnownVCTs are the credential types this verifier accepts.
	KnownVCTs []string
	// Skew and KBMaxAge are passed to the pipeline (Options).
	Skew     time.Duration
	KBMaxAge time.Duration
	// MaxEvidenceRetention caps what a tenant may choose.
	MaxEvidenceRetention time.Duration
}

// DefaultServiceConfig returns production defaults.
func DefaultServiceConfig() ServiceConfig {
	return ServiceConfig{RequestTTL: 10 * time.Minute, KeepFor: 24 * time.Hour, MaxResponseBytes: 512 << 10, MaxVPTokenBytes: DefaultMaxTokenBytes,
		Skew: DefaultSkew, KBMaxAge: DefaultKBMaxAge, MaxEvidenceRetention: 10 * 365 * 24 * time.Hour}
}

// Validate checks the configuration.
func (c ServiceConfig) Validate() error {
	switch {
	case c.RequestTTL <= 0 || c.KeepFor <= 0:
		return errors.New("verifier: lifetimes must be positive")
	case c.MaxResponseBytes < 4<<10:
		return errors.New("verifier: the response limit must be at least 4 KiB")
	case len(c.KnownVCTs) == 0:
		return errors.New("verifier: at least one known credential type is required")
	}
	return nil
}

// Tenants is what the presentation service needs of the organisation registry.
type Tenants interface {
	Get(ctx context.Context, actor tenant.Principal, slug string) (tenant.View, error)
	Lookup(ctx context.Context, slug string) (tenant.Tenant, error)
	Signer(ctx context.Context, slug string) (jose.Signer, error)
	DID(slug string) string
	IssuerURL(slug string) string
}

// Certificates gives the X.509 chain (DER, leaf first) of a tenant's active key, or nil.
type Certificates interface {
	Chain(ctx context.Context, slug string) ([][]byte, error)
}

// Sealer encrypts data at rest under the master key.
type Sealer interface {
	Seal(plaintext, aad []byte) (string, error)
	Open(sealed string, aad []byte) ([]byte, error)
}

// Auditor records security decisions.
type Auditor interface {
	Record(ctx context.Context, e audit.Event) error
	Announce(ctx context.Context, e audit.Event)
}

// Decision is a policy's answer (the shape of policies.Decision, kept here so that the
// verifier does not compile OPA).
type Decision struct {
	Allow    bool     `json:"allow"`
	Reasons  []string `json:"reasons"`
	Policy   string   `json:"policy"`
	Revision string   `json:"revision"`
}

// Policy answers the requests policy and gives the named DCQL queries.
type Policy interface {
	Decide(ctx context.Context, policy string, input any) (Decision, error)
	NamedQuery(ctx context.Context, name string) (json.RawMessage, error)
}

// Service runs OpenID4VP 1.0 presentation requests for verifier tenants: it creates them
// (after the requests policy allows them), serves their signed request objects and verifies
// the wallets' responses with the Verifier pipeline.
type Service struct {
	cfg        ServiceConfig
	store      Store
	tenants    Tenants
	certs      Certificates
	sealer     Sealer
	audit      Auditor
	policy     Policy
	pipeline   *Verifier
	now        func() time.Time
	pageSecret []byte
	watch      *watchers
	webhooks   Webhooks
	retrieved  *retrievedCache
	settings   settingsCache
	queries    queryCache
}

// ServiceOptions wires a Service.
type ServiceOptions struct {
	Config   ServiceConfig
	Store    Store
	Tenants  Tenants
	Certs    Certificates // optional
	Sealer   Sealer
	Audit    Auditor
	Policy   Policy
	Pipeline *Verifier
	Now      func() time.Time
	// PageSecret keys the capability in verify page URLs (at least 32 bytes, the same on
	// every replica: derive it from the master key).
	PageSecret []byte
	// Webhooks delivers completion notices; nil: none are sent.
	Webhooks Webhooks
}

// NewService returns a Service.
func NewService(o ServiceOptions) (*Service, error) {
	if err := o.Config.Validate(); err != nil {
		return nil, err
	}
	if len(o.PageSecret) < 32 {
		return nil, errors.New("verifier: a page secret of at least 32 bytes is required")
	}
	if o.Store == nil || o.Tenants == nil || o.Sealer == nil || o.Audit == nil || o.Policy == nil || o.Pipeline == nil {
		return nil, errors.New("verifier: store, tenants, sealer, audit, policy and pipeline are required")
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Service{cfg: o.Config, store: o.Store, tenants: o.Tenants, certs: o.Certs, sealer: o.Sealer, audit: o.Audit,
		policy: o.Policy, pipeline: o.Pipeline, now: o.Now, pageSecret: o.PageSecret, watch: newWatchers(), webhooks: o.Webhooks,
		retrieved: newRetrievedCache(maxRetrievedCached)}, nil
}

// PageToken is the capability that opens a request's verify page and its live result: an
// HMAC of the id, so that it needs no storage and every replica can check it.
func (s *Service) PageToken(id string) string {
	m := hmac.New(sha256.New, s.pageSecret)
	m.Write([]byte("verify-page:" + id))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// CheckPageToken reports whether token opens the page of request id.
func (s *Service) CheckPageToken(id, token string) bool {
	return hmac.Equal([]byte(s.PageToken(id)), []byte(token))
}

// Sweep deletes requests that ended more than KeepFor ago and evidence past its retention.
func (s *Service) Sweep(ctx context.Context) (int64, error) {
	now := s.now().UTC()
	return s.store.DeleteExpired(ctx, now.Add(-s.cfg.KeepFor), now)
}

// hashOf is the stored form of a response_code.
func hashOf(s string) string {
	sum := sha256.Sum256([]byte(s))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}
