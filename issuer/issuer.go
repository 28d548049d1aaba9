// Package issuer is the OpenID4VCI 1.0 credential issuer of bewijs: gemeenten offer
// beschikkingen, wallets redeem the offer (pre-authorized code, optionally with a tx_code; or
// authorization code with PKCE and PAR), prove possession of their keys and receive one SD-JWT
// VC per toegewezen product, each with its own Token Status List entry. Protocol logic only:
// package api turns HTTP into the typed requests here.
package issuer

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"net/url"
	"time"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/did/resolver"
	"github.com/sociaaldomein/bewijs/internal/audit"
	"github.com/sociaaldomein/bewijs/internal/jose"
	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/issuer/orgcred"
	"github.com/sociaaldomein/bewijs/issuer/toewijzing"
)

// Config holds the issuer's limits and lifetimes.
type Config struct {
	PublicURL         *url.URL
	OfferTTL          time.Duration // how long a citizen has to accept an offer
	AccessTokenTTL    time.Duration
	NonceTTL          time.Duration // c_nonce and DPoP nonce lifetime
	ProofMaxAge       time.Duration // proof JWT iat may be at most this old
	Skew              time.Duration // allowed clock skew for iat in the future
	BatchSize         int           // proofs (and so credentials) per request
	TxCodeLength      int
	MaxTxCodeFailures int
	MaxValidity       time.Duration // credential lifetime when the toewijzing has no einddatum
	StatusListTTL     time.Duration // ttl claim of status list tokens and their Cache-Control
	StatusListExp     time.Duration // exp of a status list token after its iat
	Decoys            int           // decoy digests per _sd array
}

// DefaultConfig returns production defaults.
func DefaultConfig() Config {
	return Config{
		OfferTTL: 7 * 24 * time.Hour, AccessTokenTTL: 10 * time.Minute, NonceTTL: 5 * time.Minute,
		ProofMaxAge: 5 * time.Minute, Skew: time.Minute, BatchSize: 10, TxCodeLength: 6,
		MaxTxCodeFailures: 5, MaxValidity: 366 * 24 * time.Hour, StatusListTTL: 5 * time.Minute,
		StatusListExp: 24 * time.Hour, Decoys: 3,
	}
}

// Validate checks the configuration.
func (c Config) Validate() error {
	switch {
	case c.PublicURL == nil || c.PublicURL.Host == "":
		return errors.New("issuer: public URL required")
	case c.OfferTTL <= 0 || c.AccessTokenTTL <= 0 || c.NonceTTL <= 0 || c.ProofMaxAge <= 0:
		return errors.New("issuer: lifetimes must be positive")
	case c.BatchSize < 1 || c.BatchSize > 100:
		return errors.New("issuer: batch size must be 1..100")
	case c.TxCodeLength < 4 || c.TxCodeLength > 12:
		return errors.New("issuer: tx_code length must be 4..12")
	case c.MaxTxCodeFailures < 1:
		return errors.New("issuer: max tx_code failures must be at least 1")
	}
	return nil
}

// Tenants is what the issuer needs of the organisation registry.
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

// Sealer encrypts personal data at rest (the master key).
type Sealer interface {
	Seal(plaintext, aad []byte) (string, error)
	Open(sealed string, aad []byte) ([]byte, error)
}

// Auditor records security decisions.
type Auditor interface {
	Record(ctx context.Context, e audit.Event) error
}

// Issuer is the credential issuer for every gemeente tenant.
type Issuer struct {
	cfg     Config
	store   Store
	lists   StatusLists
	tenants Tenants
	certs   Certificates
	sealer  Sealer
	audit   Auditor
	metrics Metrics
	now     func() time.Time
	auth    Authenticator
	// nonceSecret keys the stateless nonces; every replica must have the same.
	nonceSecret []byte
	// clientRefKey keys the hash of a client's BSN kept with a beschikking.
	clientRefKey []byte
	// orgDIDs resolves organisations' DIDs (did:web) for the proofs of aanbieders (nil: none).
	orgDIDs did.Resolver
	// zorg issues and revokes the aanbieder's Zorgtoewijzing credentials (nil: none).
	zorg Zorgtoewijzingen
	// holderDIDs resolves the did:key and did:jwk kids of key proofs (no network).
	holderDIDs did.Resolver
}

// Options wires an Issuer.
type Options struct {
	Config  Config
	Store   Store
	Lists   StatusLists
	Tenants Tenants
	Certs   Certificates // optional
	Sealer  Sealer
	Audit   Auditor
	Metrics Metrics // optional
	Now     func() time.Time
	// Authenticator is the login step of the authorization code flow; nil: the pilot login codes.
	Authenticator Authenticator
	// NonceSecret keys c_nonces and DPoP nonces (at least 32 bytes, the same on every
	// replica: derive it from the master key).
	NonceSecret []byte
	// Zorgtoewijzingen issues a Zorgtoewijzing to the aanbieder a beschikking names and
	// revokes it with the beschikking (optional; package orgcred).
	Zorgtoewijzingen Zorgtoewijzingen
	// Resolver resolves organisations' DIDs (did:web) for the key proofs of aanbieders
	// receiving a zorgtoewijzing over OpenID4VCI (optional).
	Resolver did.Resolver
}

// Zorgtoewijzingen issues the aanbieder's Zorgtoewijzing credentials of a beschikking and
// revokes them when the beschikking is revoked (implemented by package orgcred).
type Zorgtoewijzingen interface {
	IssueForBeschikking(ctx context.Context, slug, beschikkingID, beschikkingnummer string, doc toewijzing.Document, validUntil []time.Time) ([]orgcred.Issued, error)
	RevokeBeschikking(ctx context.Context, tenantID, beschikkingID, reason string) error
	// ClaimsFor are the claims of one product's Zorgtoewijzing for holderDID.
	ClaimsFor(doc toewijzing.Document, p toewijzing.Product, beschikkingnummer, holderDID string) map[string]any
	// IssueToHolder signs a Zorgtoewijzing for holderDID (redeemed over OpenID4VCI) and
	// returns the JWT VC.
	IssueToHolder(ctx context.Context, slug, beschikkingID string, toewijzingnummer int64, claims map[string]any, holderDID string, validUntil time.Time) (string, error)
	// DeliverOffer sends a credential offer to the endpoint the holder's DID document names.
	DeliverOffer(ctx context.Context, tenantID, holderDID, credentialOfferURI string) error
}

// New returns an Issuer.
func New(o Options) (*Issuer, error) {
	if err := o.Config.Validate(); err != nil {
		return nil, err
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if len(o.NonceSecret) < 32 {
		return nil, errors.New("issuer: a nonce secret of at least 32 bytes is required")
	}
	if o.Metrics == nil {
		o.Metrics = nopMetrics{}
	}
	holderDIDs, err := resolver.New(resolver.Config{}, resolver.StandardMethods(nil))
	if err != nil {
		return nil, err
	}
	i := &Issuer{cfg: o.Config, store: o.Store, lists: o.Lists, tenants: o.Tenants, certs: o.Certs, sealer: o.Sealer,
		audit: o.Audit, metrics: o.Metrics, now: o.Now, holderDIDs: holderDIDs, auth: o.Authenticator, nonceSecret: o.NonceSecret,
		zorg: o.Zorgtoewijzingen, orgDIDs: o.Resolver}
	ref := hmac.New(sha256.New, o.NonceSecret)
	ref.Write([]byte("bewijs issuer client-ref key"))
	i.clientRefKey = ref.Sum(nil)
	if i.auth == nil {
		i.auth = loginCodes{i: i}
	}
	return i, nil
}

// Metrics counts issuance outcomes.
type Metrics interface {
	Issued(configurationID string, n int)
	Failed(reason string)
}

type nopMetrics struct{}

func (nopMetrics) Issued(string, int) {}
func (nopMetrics) Failed(string)      {}

// announce logs an audit event that the store already wrote in the decision's transaction.
func (i *Issuer) announce(ctx context.Context, e audit.Event) {
	if a, ok := i.audit.(interface {
		Announce(context.Context, audit.Event)
	}); ok {
		a.Announce(ctx, e)
	}
}

// record audits a decision that has been taken. It must not be lost when the client hangs up
// after the decision committed, so the request's cancellation does not reach the write; a
// failure to store is logged by the audit log itself.
func (i *Issuer) record(ctx context.Context, e audit.Event) {
	if i.audit != nil {
		_ = i.audit.Record(context.WithoutCancel(ctx), e)
	}
}
