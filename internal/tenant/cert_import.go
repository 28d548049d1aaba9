package tenant

import (
	"context"
	"crypto"

	"github.com/sociaaldomein/bewijs/internal/pki"
)

// Import stores a PEM chain (leaf first) that a real CA issued for the tenant's active signing
// key. The leaf must certify exactly that key, every certificate must be valid now, and each
// must be signed by the next; the root may be absent (and is dropped when present, as HAIP 1.0
// §6.1.1 keeps the trust anchor out of `x5c`). Refusals are *pki.Error values.
func (s *CertService) Import(ctx context.Context, actor Principal, slug string, chainPEM []byte) (CertInfo, error) {
	return s.certify(ctx, actor, slug, "tenant.cert.import", func(ctx context.Context, t Tenant, kid string, pub crypto.PublicKey) (CertInfo, error) {
		return s.importChain(ctx, t, kid, pub, chainPEM)
	})
}

func (s *CertService) importChain(ctx context.Context, t Tenant, kid string, pub crypto.PublicKey, chainPEM []byte) (CertInfo, error) {
	chain, err := pki.ParseChain(chainPEM)
	if err != nil {
		return CertInfo{}, err
	}
	v, err := pki.ValidateImport(chain, pki.ImportOptions{PublicKey: pub, Now: s.now()})
	if err != nil {
		return CertInfo{}, err
	}
	return s.save(ctx, t, kid, CertImported, v.Chain, v.Leaf)
}
