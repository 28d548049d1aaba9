package tenant

import (
	"context"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/internal/audit"
	"github.com/sociaaldomein/bewijs/internal/pki"
)

// CertSource says where a tenant certificate came from.
type CertSource string

// The sources of tenant certificates.
const (
	CertFromPilotCA CertSource = "pilot-ca"
	CertImported    CertSource = "import"
)

// Cert is a stored certificate chain (DER, leaf first, without the trust anchor) that certifies
// one signing key of a tenant.
type Cert struct {
	ID        string
	TenantID  string
	KID       string // the tenant key the leaf certifies
	Source    CertSource
	Chain     [][]byte
	NotBefore time.Time // of the leaf
	NotAfter  time.Time
	CreatedAt time.Time
}

// CertStore persists tenant certificates.
type CertStore interface {
	AddCert(ctx context.Context, c Cert) error
	// Certs returns the certificates stored for one key of a tenant, newest first.
	Certs(ctx context.Context, tenantID, kid string) ([]Cert, error)
}

// CertAuthority issues leaf certificates: the pilot CA (*pki.Authority).
type CertAuthority interface {
	Issue(ctx context.Context, req pki.LeafRequest) ([][]byte, error)
}

// CertService anchors tenant signing keys in X.509: it has the pilot CA certify the active key,
// imports chains from real CAs, and hands the issuer the chain for the `x5c` header.
type CertService struct {
	tenants *Service
	store   CertStore
	ca      CertAuthority
	now     func() time.Time
}

// CertOptions configure a CertService.
type CertOptions struct {
	Tenants *Service // the registry whose keys are certified; also its audit log
	Store   CertStore
	CA      CertAuthority    // nil: only imported chains
	Now     func() time.Time // nil: the registry's clock
}

// NewCertService wires a CertService.
func NewCertService(o CertOptions) *CertService {
	if o.Now == nil {
		o.Now = o.Tenants.now
	}
	return &CertService{tenants: o.Tenants, store: o.Store, ca: o.CA, now: o.Now}
}

// CertInfo describes a tenant certificate as the CLI and the admin API show it.
type CertInfo struct {
	Slug   string     `json:"slug"`
	KID    string     `json:"kid"`
	Source CertSource `json:"source"`
	pki.Summary
	ChainPEM string `json:"chain_pem"`
}

// Chain returns the DER chain (leaf first, without the trust anchor) certifying the tenant's
// active signing key, or (nil, nil) when it has none: after a key rotation the old chain no
// longer matches until a new one is issued or imported. Only a chain whose certificates are all
// valid now is returned. An unknown slug gives ErrNotFound.
func (s *CertService) Chain(ctx context.Context, slug string) ([][]byte, error) {
	t, err := s.tenants.store.BySlug(ctx, slug)
	if err != nil {
		return nil, err
	}
	active, pub, err := s.activeKey(ctx, t)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	certs, err := s.store.Certs(ctx, t.ID, active.KID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	for _, c := range certs {
		if usable(c.Chain, pub, now) {
			return c.Chain, nil
		}
	}
	return nil, nil
}

// usable reports whether the leaf certifies pub and every certificate is valid at now.
func usable(chain [][]byte, pub crypto.PublicKey, now time.Time) bool {
	if len(chain) == 0 {
		return false
	}
	for i, der := range chain {
		c, err := x509.ParseCertificate(der)
		if err != nil || now.Before(c.NotBefore) || now.After(c.NotAfter) {
			return false
		}
		if i == 0 && !sameKey(c.PublicKey, pub) {
			return false
		}
	}
	return true
}

func sameKey(a, b crypto.PublicKey) bool {
	k, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && k.Equal(b)
}

// activeKey returns the tenant's active (newest) key and its public key.
func (s *CertService) activeKey(ctx context.Context, t Tenant) (Key, crypto.PublicKey, error) {
	list, err := s.tenants.store.Keys(ctx, t.ID)
	if err != nil {
		return Key{}, nil, err
	}
	if len(list) == 0 {
		return Key{}, nil, fmt.Errorf("tenant %s has no signing key: %w", t.Slug, ErrNotFound)
	}
	active := list[len(list)-1]
	pub, err := did.ParseJWK(active.PublicJWK)
	if err != nil {
		return Key{}, nil, fmt.Errorf("tenant: stored key %s: %w", active.KID, err)
	}
	return active, pub, nil
}

// save stores a validated chain for the active key and describes it.
func (s *CertService) save(ctx context.Context, t Tenant, kid string, src CertSource, chain [][]byte, leaf *x509.Certificate) (CertInfo, error) {
	c := Cert{ID: uuid.NewString(), TenantID: t.ID, KID: kid, Source: src, Chain: chain,
		NotBefore: leaf.NotBefore.UTC(), NotAfter: leaf.NotAfter.UTC(), CreatedAt: s.now().UTC()}
	if err := s.store.AddCert(ctx, c); err != nil {
		return CertInfo{}, err
	}
	return CertInfo{Slug: t.Slug, KID: kid, Source: src, Summary: pki.Summarize(leaf), ChainPEM: string(pki.EncodePEM(chain))}, nil
}

// record audits a certificate decision. Refusals of the operator's input are "denied".
func (s *CertService) record(ctx context.Context, actor Principal, action string, t Tenant, kid string, info *CertInfo, cause error) error {
	e := audit.Event{Action: action, Outcome: audit.Success, Actor: actor.Actor(), TenantID: t.ID, Subject: kid}
	if info != nil {
		e.Details = map[string]string{"serial": info.Serial, "sha256": info.SHA256, "not_after": info.NotAfter.Format(time.RFC3339)}
	}
	if cause != nil {
		e.Outcome, e.Reason = audit.Failure, cause.Error()
		var pe *pki.Error
		if errors.As(cause, &pe) || errors.Is(cause, ErrNotFound) || errors.Is(cause, ErrForbidden) {
			e.Outcome = audit.Denied
		}
	}
	if s.tenants.audit == nil {
		return nil
	}
	return s.tenants.audit.Record(ctx, e)
}
