// Package declareren lets an aanbieder prove its entitlement to declare care and then
// declare: a token exchange in which the aanbieder presents a verifiable presentation (its
// OrganisatieRol and Zorgtoewijzing credentials, JWT VCs, signed with its DID key, bound to
// the gemeente's token endpoint and to a server nonce) for a DPoP-bound access token, and a
// declaratie check that the gemeente's declareren policy decides.
//
// The grant follows the Nuts RFC021 "VP Token Grant Type" (grant_type
// urn:ietf:params:oauth:grant-type:vp_token-bearer, the VP in "assertion", scope
// "declareren"), with the nonce taken from the server (Nuts lets the client choose it). The
// access token is a JWT (RFC 9068, typ at+jwt) bound to the DPoP key (RFC 9449 cnf.jkt) that
// lists the toewijzingen it covers in authorization_details (RFC 9396).
package declareren

import (
	"context"
	"errors"
	"time"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/internal/audit"
	"github.com/sociaaldomein/bewijs/internal/jose"
	"github.com/sociaaldomein/bewijs/internal/tenant"
)

// Protocol constants.
const (
	GrantType = "urn:ietf:params:oauth:grant-type:vp_token-bearer" // Nuts RFC021 §3.1
	Scope     = "declareren"
	// AuthzDetailsType is the authorization_details type listing the covered toewijzingen.
	AuthzDetailsType = "zorgtoewijzing"
	// AccessTokenType is the typ of the access token JWT (RFC 9068 §2.1).
	AccessTokenType = "at+jwt"
)

// Config holds lifetimes and limits.
type Config struct {
	TokenTTL time.Duration
	NonceTTL time.Duration
	Skew     time.Duration
	// ProofMaxAge bounds the age of DPoP proofs.
	ProofMaxAge time.Duration
	// MaxVPBytes bounds the presentation in a token request.
	MaxVPBytes int
}

// DefaultConfig returns production defaults.
func DefaultConfig() Config {
	return Config{TokenTTL: 5 * time.Minute, NonceTTL: 5 * time.Minute, Skew: time.Minute, ProofMaxAge: 5 * time.Minute, MaxVPBytes: 64 << 10}
}

// Tenants is what the service needs of the organisation registry.
type Tenants interface {
	Get(ctx context.Context, actor tenant.Principal, slug string) (tenant.View, error)
	Lookup(ctx context.Context, slug string) (tenant.Tenant, error)
	Signer(ctx context.Context, slug string) (jose.Signer, error)
	DID(slug string) string
	IssuerURL(slug string) string
}

// Decision is the answer of a declareren policy rule.
type Decision struct {
	Allow   bool
	Reasons []string
	// Covered are the toewijzingnummers a token decision lets the token cover.
	Covered []int64
}

// Policy evaluates the declareren policy (token_decision and declaratie_decision) and the
// trust policy's role_decision.
type Policy interface {
	DecideRule(ctx context.Context, policy, rule string, input any) (Decision, error)
}

// StatusLists fetches Bitstring Status List credentials (JWT) by URL.
type StatusLists interface {
	Fetch(ctx context.Context, uri string) ([]byte, error)
}

// Auditor records security decisions.
type Auditor interface {
	Record(ctx context.Context, e audit.Event) error
}

// Store persists declaraties and remembers used nonces and proofs.
type Store interface {
	// Remember stores a key once; ErrReplay when it was stored before.
	Remember(ctx context.Context, key string, expires time.Time) error
	// Declared sums the geleverd volume of accepted declaraties of a toewijzing of a gemeente
	// between two dates (inclusive; "" for no bound).
	Declared(ctx context.Context, tenantID string, toewijzingnummer int64, from, to string) (int64, error)
	Save(ctx context.Context, d Declaratie) error
	List(ctx context.Context, tenantID string) ([]Declaratie, error)
}

// Errors.
var (
	ErrReplay   = errors.New("declareren: used before")
	ErrNotFound = errors.New("declareren: not found")
)

// Service issues declareren access tokens and checks declaraties.
type Service struct {
	cfg      Config
	tenants  Tenants
	resolver did.Resolver
	status   StatusLists
	policy   Policy
	store    Store
	audit    Auditor
	now      func() time.Time
	nonceKey []byte
}

// Options wires a Service.
type Options struct {
	Config   Config
	Tenants  Tenants
	Resolver did.Resolver
	Status   StatusLists
	Policy   Policy
	Store    Store
	Audit    Auditor
	Now      func() time.Time
	NonceKey []byte // at least 32 bytes, the same on every replica
}

// New returns a Service.
func New(o Options) (*Service, error) {
	if o.Tenants == nil || o.Resolver == nil || o.Status == nil || o.Policy == nil || o.Store == nil || o.Audit == nil || len(o.NonceKey) < 32 {
		return nil, errors.New("declareren: tenants, resolver, status lists, policy, store, audit and a nonce key are required")
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Config.TokenTTL <= 0 {
		o.Config = DefaultConfig()
	}
	return &Service{cfg: o.Config, tenants: o.Tenants, resolver: o.Resolver, status: o.Status, policy: o.Policy, store: o.Store,
		audit: o.Audit, now: o.Now, nonceKey: o.NonceKey}, nil
}

// TokenEndpoint is the gemeente's token endpoint, the audience of the presentation.
func (s *Service) TokenEndpoint(slug string) string { return s.tenants.IssuerURL(slug) + "/token" }
