// Package orgcred issues organisation credentials as W3C Verifiable Credentials in JWT form
// (jwt_vc_json): OrganisatieRol from a trust anchor to an organisation's DID (role gemeente or
// zorgaanbieder), and Zorgtoewijzing from a gemeente to the aanbieder a beschikking names. Each
// credential has an entry in its issuer's W3C Bitstring Status List (revocation), served as a
// BitstringStatusListCredential. Credentials for organisations on this bewijs instance land in
// their organisation wallet at once.
package orgcred

import (
	"context"
	"errors"
	"time"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/internal/audit"
	"github.com/sociaaldomein/bewijs/internal/jose"
	"github.com/sociaaldomein/bewijs/internal/tenant"
)

// Credential types and the role values of an OrganisatieRol.
const (
	TypeRole           = "OrganisatieRol"
	TypeZorgtoewijzing = "Zorgtoewijzing"
	RoleGemeente       = "gemeente"
	RoleZorgaanbieder  = "zorgaanbieder"
)

// ListSize is the number of entries of a status list: Bitstring Status List 1.0 §6.1 asks for
// at least 131,072 (16 KB) for herd privacy.
const ListSize = 131072

// listID is the one status list of each issuer (random indexes over ListSize).
const listID = "1"

// Record is an issued organisation credential.
type Record struct {
	ID               string
	TenantID         string // the issuer
	Type             string
	SubjectDID       string
	BeschikkingID    string
	Toewijzingnummer int64
	StatusList       string
	StatusIndex      int
	RevokedAt        *time.Time
	RevokeReason     string
	ValidFrom        time.Time
	ValidUntil       *time.Time
	Credential       string // the JWT VC
	CreatedAt        time.Time
}

// WalletEntry is a credential in an organisation wallet of this instance.
type WalletEntry struct {
	ID           string    `json:"id"`
	TenantID     string    `json:"-"`
	CredentialID string    `json:"credential_id"`
	Type         string    `json:"type"`
	Issuer       string    `json:"issuer"`
	Credential   string    `json:"credential"`
	ReceivedAt   time.Time `json:"received_at"`
}

// Store persists organisation credentials and wallets. Every method is one transaction.
type Store interface {
	// Create stores a credential and, when delivered is set, puts it in that wallet;
	// ErrConflict when the status index is taken.
	Create(ctx context.Context, r Record, delivered *WalletEntry) error
	RevokedIndexes(ctx context.Context, tenantID, list string) ([]int, error)
	// Revoke revokes one credential of the issuer; ErrNotFound when there is none.
	Revoke(ctx context.Context, tenantID, id, reason string, at time.Time) error
	// RevokeBeschikking revokes the zorgtoewijzingen issued for a beschikking.
	RevokeBeschikking(ctx context.Context, tenantID, beschikkingID, reason string, at time.Time) (int64, error)
	List(ctx context.Context, tenantID string) ([]Record, error)
	Wallet(ctx context.Context, holderTenantID string) ([]WalletEntry, error)
	// RolesOf lists the OrganisatieRol credentials issued here about a subject DID.
	RolesOf(ctx context.Context, subjectDID string) ([]Record, error)
	// Receive puts a credential from another instance in an organisation wallet;
	// ErrConflict when that wallet holds a credential with the same credential id.
	Receive(ctx context.Context, e WalletEntry) error
}

// Errors of the package.
var (
	ErrNotFound = errors.New("orgcred: not found")
	ErrConflict = errors.New("orgcred: conflict")
)

// Tenants is what orgcred needs of the organisation registry.
type Tenants interface {
	Get(ctx context.Context, actor tenant.Principal, slug string) (tenant.View, error)
	Lookup(ctx context.Context, slug string) (tenant.Tenant, error)
	List(ctx context.Context, actor tenant.Principal) ([]tenant.View, error)
	Signer(ctx context.Context, slug string) (jose.Signer, error)
	DID(slug string) string
	IssuerURL(slug string) string
}

// Auditor records security decisions.
type Auditor interface {
	Record(ctx context.Context, e audit.Event) error
}

// Config holds lifetimes.
type Config struct {
	RoleValidity       time.Duration // default validity of a role credential
	StatusListValidFor time.Duration // exp of a served status list credential after its iat
}

// DefaultConfig returns production defaults.
func DefaultConfig() Config {
	return Config{RoleValidity: 366 * 24 * time.Hour, StatusListValidFor: time.Hour}
}

// Service issues, revokes and lists organisation credentials.
type Service struct {
	cfg          Config
	store        Store
	tenants      Tenants
	audit        Auditor
	now          func() time.Time
	pseudonymKey []byte
	// resolver resolves organisations' DIDs: the offer endpoint of an aanbieder elsewhere,
	// and the issuer keys of credentials received (nil: neither is possible).
	resolver did.Resolver
	// insecureLocalhost lets offers be delivered over http to localhost (pilots, tests).
	insecureLocalhost bool
	// trust says whether an issuer may issue a credential type (nil: any issuer).
	trust TrustFunc
}

// TrustFunc asks the trust policy whether issuer may issue the credential type vct.
type TrustFunc func(ctx context.Context, issuer, vct string) (bool, []string, error)

// VCTZorgtoewijzing is the type the trust policy knows the Zorgtoewijzing by.
const VCTZorgtoewijzing = "urn:nl:sociaaldomein:zorgtoewijzing:1"

// Options wires a Service.
type Options struct {
	Config  Config
	Store   Store
	Tenants Tenants
	Audit   Auditor
	Now     func() time.Time
	// PseudonymKey keys the per-aanbieder client pseudonyms of zorgtoewijzingen (at least 32
	// bytes, the same on every replica: derive it from the master key).
	PseudonymKey []byte
	// Resolver resolves organisations' DIDs (optional; needed to deliver offers to aanbieders
	// on other instances and to receive credentials).
	Resolver did.Resolver
	// InsecureLocalhost delivers offers over http to localhost and 127.0.0.1 (pilots, tests).
	InsecureLocalhost bool
	// Trust decides which issuers' zorgtoewijzingen an organisation wallet accepts from an
	// offer (the trust policy's table; nil: any issuer whose signature verifies).
	Trust TrustFunc
}

// New returns a Service.
func New(o Options) (*Service, error) {
	if o.Store == nil || o.Tenants == nil || o.Audit == nil || len(o.PseudonymKey) < 32 {
		return nil, errors.New("orgcred: store, tenants, audit and a pseudonym key of 32 bytes are required")
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Config.RoleValidity <= 0 {
		o.Config = DefaultConfig()
	}
	return &Service{cfg: o.Config, store: o.Store, tenants: o.Tenants, audit: o.Audit, now: o.Now, pseudonymKey: o.PseudonymKey,
		resolver: o.Resolver, insecureLocalhost: o.InsecureLocalhost, trust: o.Trust}, nil
}

// StatusListURL is where an issuer's status list credential is served.
func (s *Service) StatusListURL(slug string) string {
	return s.tenants.IssuerURL(slug) + "/bitstring-status/" + listID
}
