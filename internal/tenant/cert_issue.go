package tenant

import (
	"context"
	"crypto"
	"crypto/x509"

	"github.com/sociaaldomein/bewijs/internal/pki"
)

// Issue has the pilot CA certify the tenant's active signing key and stores the chain, which
// Chain then hands out. Issuing again (say, before expiry) adds a newer certificate.
//
// The leaf: subject CN and O the tenant's name, C=NL, and organizationIdentifier "NTRNL-<KvK>"
// when the tenant has a KvK-nummer (ETSI EN 319 412-1 §5.1.4); SANs dNSName the public host
// (SD-JWT VC §3.5: an https `iss` must match a dNSName SAN) and URIs the tenant's DID and
// issuer URL; keyUsage digitalSignature; valid for a year, never beyond the CA.
func (s *CertService) Issue(ctx context.Context, actor Principal, slug string) (CertInfo, error) {
	return s.certify(ctx, actor, slug, "tenant.cert.issue", s.issue)
}

// certify runs one way of certifying the tenant's active key (issue or import) with the
// authorization check and the audit record both share.
func (s *CertService) certify(ctx context.Context, actor Principal, slug, action string,
	do func(ctx context.Context, t Tenant, kid string, pub crypto.PublicKey) (CertInfo, error)) (CertInfo, error) {
	t, err := s.tenants.authorized(ctx, actor, slug)
	if err != nil {
		return CertInfo{}, err
	}
	active, pub, err := s.activeKey(ctx, t)
	if err != nil {
		return CertInfo{}, err
	}
	info, err := do(ctx, t, active.KID, pub)
	if err != nil {
		_ = s.record(ctx, actor, action, t, active.KID, nil, err)
		return CertInfo{}, err
	}
	if err := s.record(ctx, actor, action, t, active.KID, &info, nil); err != nil {
		return CertInfo{}, err
	}
	return info, nil
}

func (s *CertService) issue(ctx context.Context, t Tenant, kid string, pub crypto.PublicKey) (CertInfo, error) {
	if s.ca == nil {
		return CertInfo{}, &pki.Error{Reason: pki.ReasonNoCA, Description: "this server has no pilot CA configured"}
	}
	chain, err := s.ca.Issue(ctx, s.leafRequest(t, pub))
	if err != nil {
		return CertInfo{}, err
	}
	leaf, err := x509.ParseCertificate(chain[0])
	if err != nil {
		return CertInfo{}, err
	}
	return s.save(ctx, t, kid, CertFromPilotCA, chain, leaf)
}

// leafRequest describes the certificate of a tenant key.
func (s *CertService) leafRequest(t Tenant, pub crypto.PublicKey) pki.LeafRequest {
	subject := pki.Subject{CommonName: t.Name, Organization: t.Name, Country: "NL"}
	if t.Ids.KvK != "" {
		subject.OrganizationIdentifier = pki.OrganizationIdentifierKvK(t.Ids.KvK)
	}
	return pki.LeafRequest{
		PublicKey: pub,
		Subject:   subject,
		Hosts:     []string{s.tenants.base.Hostname()},
		URIs:      []string{s.tenants.DID(t.Slug), s.IssuerURL(t.Slug)},
		Validity:  pki.DefaultLeafValidity,
	}
}

// IssuerURL is the credential issuer identifier of a tenant: the public URL, "/o/", the slug.
func (s *CertService) IssuerURL(slug string) string {
	return s.tenants.base.String() + "/o/" + slug
}
