package pki

import (
	"context"
	"crypto/rand"
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	"github.com/sociaaldomein/bewijs/internal/audit"
	"github.com/sociaaldomein/bewijs/internal/keys"
)

// PilotCAID is the id of the one pilot CA of a deployment.
const PilotCAID = "pilot"

// StoredCA is a CA as the store keeps it: the certificate and the key backend's reference to
// its private key (sealed under the master key by the local backend, never in the clear).
type StoredCA struct {
	ID        string
	CertDER   []byte
	KeyRef    string
	CreatedAt time.Time
}

// CAStore persists CAs.
type CAStore interface {
	// CreateCA stores a CA; an existing id gives ErrConflict.
	CreateCA(ctx context.Context, ca StoredCA) error
	// CA returns a CA by id, or ErrNotFound.
	CA(ctx context.Context, id string) (StoredCA, error)
}

// Authority is the pilot CA: it is created once and then certifies tenant keys.
type Authority struct {
	store CAStore
	keys  keys.Backend
	audit Auditor
	now   func() time.Time
}

// AuthorityOptions configure an Authority.
type AuthorityOptions struct {
	Store CAStore
	Keys  keys.Backend // generates and holds the CA's private key
	Audit Auditor      // nil: decisions are not recorded
	Now   func() time.Time
}

// NewAuthority wires an Authority.
func NewAuthority(o AuthorityOptions) *Authority {
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Authority{store: o.Store, keys: o.Keys, audit: o.Audit, now: o.Now}
}

// InitRequest asks for the pilot CA.
type InitRequest struct {
	Actor      string // who asks, for the audit log ("cli")
	CommonName string // see PilotCAName
	Validity   time.Duration
}

// Init creates the pilot CA: an ECDSA P-256 key from the key backend and a self-signed root
// certificate. It refuses (ReasonCAExists) when one exists: pilot CAs are not rotated.
func (a *Authority) Init(ctx context.Context, req InitRequest) (*x509.Certificate, error) {
	cert, err := a.create(ctx, req)
	outcome, reason := audit.Success, ""
	switch {
	case IsReason(err, ReasonCAExists), IsReason(err, ReasonInvalidInput):
		outcome, reason = audit.Denied, err.Error()
	case err != nil:
		outcome, reason = audit.Failure, err.Error()
	}
	e := audit.Event{Action: "pki.init", Outcome: outcome, Actor: req.Actor, Subject: PilotCAID, Reason: reason}
	if cert != nil {
		e.Details = map[string]string{"sha256": Fingerprint(cert.Raw), "not_after": cert.NotAfter.UTC().Format(time.RFC3339)}
	}
	if rerr := a.record(ctx, e); rerr != nil && err == nil {
		return nil, rerr
	}
	return cert, err
}

func (a *Authority) create(ctx context.Context, req InitRequest) (*x509.Certificate, error) {
	if req.CommonName == "" {
		return nil, newError(ReasonInvalidInput, "the CA needs a common name", nil)
	}
	if _, err := a.store.CA(ctx, PilotCAID); err == nil {
		return nil, errCAExists()
	} else if !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	validity := req.Validity
	if validity <= 0 {
		validity = DefaultCAValidity
	}
	gen, err := a.keys.Generate(ctx, keys.ES256)
	if err != nil {
		return nil, fmt.Errorf("pki: generate CA key: %w", err)
	}
	signer, err := a.keys.Signer(ctx, gen.Ref)
	if err != nil {
		return nil, fmt.Errorf("pki: open CA key: %w", err)
	}
	now := a.now().UTC()
	tmpl, err := caTemplate(req.CommonName, gen.Public, now, validity)
	if err != nil {
		return nil, err
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, gen.Public, signer)
	if err != nil {
		return nil, fmt.Errorf("pki: sign CA certificate: %w", err)
	}
	err = a.store.CreateCA(ctx, StoredCA{ID: PilotCAID, CertDER: der, KeyRef: gen.Ref, CreatedAt: now})
	if errors.Is(err, ErrConflict) {
		return nil, errCAExists() // another process won the race
	}
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(der)
}

// Certificate returns the pilot CA certificate, or ReasonNoCA.
func (a *Authority) Certificate(ctx context.Context) (*x509.Certificate, error) {
	_, cert, err := a.pilot(ctx)
	return cert, err
}

func (a *Authority) pilot(ctx context.Context) (StoredCA, *x509.Certificate, error) {
	stored, err := a.store.CA(ctx, PilotCAID)
	if errors.Is(err, ErrNotFound) {
		return StoredCA{}, nil, errNoCA()
	}
	if err != nil {
		return StoredCA{}, nil, err
	}
	cert, err := x509.ParseCertificate(stored.CertDER)
	if err != nil {
		return StoredCA{}, nil, fmt.Errorf("pki: stored CA certificate does not parse: %w", err)
	}
	return stored, cert, nil
}

// Issue certifies req.PublicKey with the pilot CA and returns the chain for `x5c`: the leaf
// alone, since HAIP 1.0 §6.1.1 says "The X.509 certificate of the trust anchor MUST NOT be
// included in the x5c JOSE header". Validity ends at the CA's notAfter at the latest.
func (a *Authority) Issue(ctx context.Context, req LeafRequest) ([][]byte, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	stored, ca, err := a.pilot(ctx)
	if err != nil {
		return nil, err
	}
	now := a.now().UTC()
	if !now.Before(ca.NotAfter) {
		return nil, errCAExpired()
	}
	signer, err := a.keys.Signer(ctx, stored.KeyRef)
	if err != nil {
		return nil, fmt.Errorf("pki: open CA key: %w", err)
	}
	tmpl, err := leafTemplate(req, now, ca.NotAfter)
	if err != nil {
		return nil, err
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, req.PublicKey, signer)
	if err != nil {
		return nil, fmt.Errorf("pki: sign leaf certificate: %w", err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(ca)
	if _, err := VerifyChain([][]byte{der}, roots, now); err != nil {
		return nil, fmt.Errorf("pki: issued certificate does not verify: %w", err)
	}
	return [][]byte{der}, nil
}

func (a *Authority) record(ctx context.Context, e audit.Event) error {
	if a.audit == nil {
		return nil
	}
	return a.audit.Record(ctx, e)
}
