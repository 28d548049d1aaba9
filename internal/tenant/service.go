package tenant

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/did/web"
	"github.com/sociaaldomein/bewijs/internal/audit"
	"github.com/sociaaldomein/bewijs/internal/keys"
)

// Auditor records security decisions.
type Auditor interface {
	Record(ctx context.Context, e audit.Event) error
}

// Service is the organisation registry: create, list, rotate keys, issue API keys, build DID
// documents and hand out signers.
type Service struct {
	store Store
	keys  keys.Backend
	audit Auditor
	base  *url.URL
	now   func() time.Time
	cache caches
}

// Options configure a Service.
type Options struct {
	Store     Store
	Keys      keys.Backend
	Audit     Auditor
	PublicURL *url.URL
	Now       func() time.Time // nil: time.Now
}

// NewService wires a Service.
func NewService(o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	base := *o.PublicURL
	base.Path = strings.TrimSuffix(base.Path, "/")
	return &Service{store: o.Store, keys: o.Keys, audit: o.Audit, base: &base, now: o.Now, cache: newCaches()}
}

// View is an organisation as the API and the CLI show it.
type View struct {
	Slug           string    `json:"slug"`
	Name           string    `json:"name"`
	Kind           Kind      `json:"kind"`
	DID            string    `json:"did"`
	DIDDocumentURL string    `json:"did_document_url"`
	Gemeentecode   string    `json:"gemeentecode,omitempty"`
	AGB            string    `json:"agb,omitempty"`
	KvK            string    `json:"kvk,omitempty"`
	OIN            string    `json:"oin,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
}

// Created is a new organisation with its first API key, shown once.
type Created struct {
	View
	APIKey string `json:"api_key"`
}

// Create validates the input and stores the organisation with a new ES256 key and API key.
func (s *Service) Create(ctx context.Context, actor Principal, n NewTenant) (Created, error) {
	if err := n.Validate(); err != nil {
		return Created{}, err
	}
	now := s.now().UTC()
	t := Tenant{ID: uuid.NewString(), Slug: n.Slug, Name: strings.TrimSpace(n.Name), Kind: n.Kind, Ids: n.Ids, CreatedAt: now}
	key, err := s.newKey(ctx, t.ID, now)
	if err != nil {
		return Created{}, err
	}
	secret, apiKey, err := newAPIKey(t.ID, now)
	if err != nil {
		return Created{}, err
	}
	if err := s.store.Create(ctx, t, key, apiKey); err != nil {
		_ = s.record(ctx, actor, "tenant.create", t.ID, n.Slug, err)
		return Created{}, err
	}
	if err := s.record(ctx, actor, "tenant.create", t.ID, n.Slug, nil); err != nil {
		return Created{}, err
	}
	return Created{View: s.view(t), APIKey: secret}, nil
}

// List returns the organisations the principal may see, ordered by slug: all of them for an
// operator, its own for an organisation's API key.
func (s *Service) List(ctx context.Context, actor Principal) ([]View, error) {
	list, err := s.store.List(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]View, 0, len(list))
	for _, t := range list {
		if actor.Operator || actor.TenantID == t.ID {
			out = append(out, s.view(t))
		}
	}
	return out, nil
}

// Get returns one organisation by slug.
func (s *Service) Get(ctx context.Context, actor Principal, slug string) (View, error) {
	t, err := s.authorized(ctx, actor, slug)
	if err != nil {
		return View{}, err
	}
	return s.view(t), nil
}

// DID returns the did:web of a slug: public URL host and path, then "o", then the slug.
func (s *Service) DID(slug string) string {
	id, err := web.DIDFromURL(s.base, "o", slug)
	if err != nil {
		// The public URL was validated at start-up and slugs are validated on create.
		panic(fmt.Sprintf("tenant: did:web for %q: %v", slug, err))
	}
	return id
}

// DIDDocumentURL is where the DID document of a slug is served.
func (s *Service) DIDDocumentURL(slug string) string {
	return s.base.String() + "/o/" + slug + "/did.json"
}

func (s *Service) view(t Tenant) View {
	return View{
		Slug: t.Slug, Name: t.Name, Kind: t.Kind, DID: s.DID(t.Slug), DIDDocumentURL: s.DIDDocumentURL(t.Slug),
		Gemeentecode: t.Ids.Gemeentecode, AGB: t.Ids.AGB, KvK: t.Ids.KvK, OIN: t.Ids.OIN, CreatedAt: t.CreatedAt,
	}
}

func (s *Service) record(ctx context.Context, actor Principal, action, tenantID, subject string, cause error) error {
	e := audit.Event{Action: action, Outcome: audit.Success, Actor: actor.Actor(), TenantID: tenantID, Subject: subject}
	if cause != nil {
		e.Outcome = audit.Failure
		var v *ValidationError
		switch {
		case errors.As(cause, &v), errors.Is(cause, ErrConflict), errors.Is(cause, ErrNotFound):
			e.Outcome = audit.Denied
		}
		e.Reason = cause.Error()
	}
	if s.audit == nil {
		return nil
	}
	return s.audit.Record(ctx, e)
}

// DIDDocument builds the DID document of an organisation: every key that has not been
// removed, as a JsonWebKey2020 verification method in assertionMethod and authentication,
// and for an aanbieder the credential offer endpoint of its organisation wallet.
func (s *Service) DIDDocument(ctx context.Context, slug string) (did.Document, error) {
	t, err := s.store.BySlug(ctx, slug)
	if err != nil {
		return did.Document{}, err
	}
	list, err := s.store.Keys(ctx, t.ID)
	if err != nil {
		return did.Document{}, err
	}
	entries := make([]did.KeyEntry, 0, len(list))
	for _, k := range list {
		pub, err := did.ParseJWK(k.PublicJWK)
		if err != nil {
			return did.Document{}, fmt.Errorf("tenant: stored key %s: %w", k.KID, err)
		}
		entries = append(entries, did.KeyEntry{Fragment: k.KID, PublicKey: pub})
	}
	doc, err := did.NewDocument(s.DID(slug), entries)
	if err != nil || t.Kind != Aanbieder {
		return doc, err
	}
	// An aanbieder holds organisation credentials from gemeenten on other instances: its
	// organisation wallet's OpenID4VCI credential offer endpoint is a service (DID Core §5.4).
	doc.Service = append(doc.Service, did.NewService(doc.ID+"#credential-offer", did.ServiceTypeCredentialOffer, s.CredentialOfferEndpoint(slug)))
	return doc, nil
}

// CredentialOfferEndpoint is the OpenID4VCI credential offer endpoint of an organisation's
// wallet, listed in an aanbieder's DID document.
func (s *Service) CredentialOfferEndpoint(slug string) string {
	return s.IssuerURL(slug) + "/credential-offer-endpoint"
}

// Lookup returns an organisation by slug without an authorization check, for the public
// protocol endpoints (issuer metadata, token, credential) that name the tenant in their URL.
func (s *Service) Lookup(ctx context.Context, slug string) (Tenant, error) {
	now := s.now()
	if t, ok := s.cache.tenants.get(slug, now); ok {
		return t, nil
	}
	t, err := s.store.BySlug(ctx, slug)
	if err != nil {
		return Tenant{}, err
	}
	s.cache.tenants.put(slug, t, now)
	return t, nil
}

// IssuerURL is the organisation's OpenID4VCI Credential Issuer Identifier (and OAuth issuer).
func (s *Service) IssuerURL(slug string) string { return s.base.String() + "/o/" + slug }
