// Package tenant manages the organisations bewijs serves: gemeenten, aanbieders and trust
// anchors. Each has a did:web identity derived from the public URL, ES256 signing keys held by a
// keys.Backend, and API keys stored only as hashes. The Store it needs is declared here.
package tenant

import (
	"context"
	"errors"
	"regexp"
	"time"
)

// Kind is the role of an organisation.
type Kind string

// The kinds of organisation.
const (
	Gemeente    Kind = "gemeente"
	Aanbieder   Kind = "aanbieder"
	TrustAnchor Kind = "trust-anchor"
)

// Kinds lists every kind, for help texts and validation.
var Kinds = []Kind{Gemeente, Aanbieder, TrustAnchor}

// Identifiers are the domain identifiers of an organisation; empty means absent.
type Identifiers struct {
	Gemeentecode string `json:"gemeentecode,omitempty"`
	AGB          string `json:"agb,omitempty"`
	KvK          string `json:"kvk,omitempty"`
	OIN          string `json:"oin,omitempty"`
}

// Tenant is a stored organisation.
type Tenant struct {
	ID        string
	Slug      string
	Name      string
	Kind      Kind
	Ids       Identifiers
	CreatedAt time.Time
}

// Key is a signing key of a tenant. Ref is the keys.Backend reference; it is never shown.
type Key struct {
	KID       string // RFC 7638 thumbprint, also the DID URL fragment
	TenantID  string
	Alg       string
	PublicJWK []byte
	Ref       string
	CreatedAt time.Time
}

// APIKey is a stored API key: only its hash. TenantID "" marks an operator key.
type APIKey struct {
	ID        string
	TenantID  string
	Hash      string
	CreatedAt time.Time
	RevokedAt *time.Time
}

// Store persists tenants, keys and API keys. Each method is one transaction.
type Store interface {
	// Create stores a tenant with its first key and API key, all or nothing.
	// A duplicate slug or identifier gives ErrConflict.
	Create(ctx context.Context, t Tenant, k Key, a APIKey) error
	List(ctx context.Context) ([]Tenant, error)
	BySlug(ctx context.Context, slug string) (Tenant, error)
	ByID(ctx context.Context, id string) (Tenant, error)
	AddKey(ctx context.Context, k Key) error
	// Keys returns the tenant's keys that have not been removed, oldest first.
	Keys(ctx context.Context, tenantID string) ([]Key, error)
	RemoveKey(ctx context.Context, tenantID, kid string, at time.Time) error
	// AddAPIKey stores a new API key; with revokeOthers the owner's other keys are revoked
	// in the same transaction.
	AddAPIKey(ctx context.Context, a APIKey, revokeOthers bool, at time.Time) error
	// APIKeyByHash returns an unrevoked API key, or ErrNotFound.
	APIKeyByHash(ctx context.Context, hash string) (APIKey, error)
}

// Errors the store and the service return; the API maps them to problem responses.
var (
	ErrNotFound     = errors.New("not found")
	ErrConflict     = errors.New("already exists")
	ErrUnauthorized = errors.New("API key not valid")
	ErrForbidden    = errors.New("not allowed for this API key")
)

var slugPattern = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$`)
