package wallet

import (
	"context"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"slices"
	"strings"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/internal/jose"
	"github.com/sociaaldomein/bewijs/verifier/oid4vp"
)

// maxX5C bounds the certificates of an x5c header.
const maxX5C = 8

// verifierIdentity is who signed the Request Object, as shown to the holder.
type verifierIdentity struct {
	name          string
	chainVerified bool
}

// authenticateClient verifies the Request Object's signature the way its Client Identifier
// Prefix prescribes (§5.9.3) and returns the verified payload.
func (c *Client) authenticateClient(ctx context.Context, jws string, hdr jose.Header, prefix, value string, opts PresentOptions) ([]byte, verifierIdentity, error) {
	switch prefix {
	case oid4vp.PrefixDecentralizedIdentifier:
		return c.verifyDIDClient(ctx, jws, hdr, value)
	case oid4vp.PrefixX509Hash:
		return c.verifyX509HashClient(jws, hdr, value, opts)
	case oid4vp.PrefixX509SANDNS:
		return c.verifyX509DNSClient(jws, hdr, value, opts)
	}
	return nil, verifierIdentity{}, refuse(ReasonUnsupported, "client identifier prefix %q is not supported by this wallet (use decentralized_identifier, x509_san_dns or x509_hash)", prefix)
}

// verifyDIDClient is §5.9.3 decentralized_identifier: "The request MUST be signed with a
// private key associated with the DID. A public key to verify the signature MUST be obtained
// from the verificationMethod property of a DID Document. Since DID Document may include
// multiple public keys, a particular public key used to sign the request in question MUST be
// identified by the kid in the JOSE Header. To obtain the DID Document, the Wallet MUST use
// DID Resolution defined by the DID method used by the Verifier."
func (c *Client) verifyDIDClient(ctx context.Context, jws string, hdr jose.Header, clientDID string) ([]byte, verifierIdentity, error) {
	id := verifierIdentity{name: clientDID}
	kidDID, fragment, err := did.ParseDIDURL(hdr.Kid)
	if err != nil || fragment == "" {
		return nil, id, refuse(ReasonClientKey, "kid %q is not a DID URL", hdr.Kid)
	}
	if kidDID != clientDID {
		return nil, id, refuse(ReasonClientKey, "kid %q is not a key of %s", hdr.Kid, clientDID)
	}
	key, err := c.verificationMethodKey(ctx, clientDID, hdr.Kid)
	if err != nil {
		return nil, id, &RequestError{Reason: ReasonClientKey, Err: err}
	}
	payload, _, err := jose.Verify(jws, key)
	if err != nil {
		return nil, id, &RequestError{Reason: ReasonSignature, Err: err}
	}
	return payload, id, nil
}

// verificationMethodKey resolves clientDID (as issuerKey in verify.go does) and returns the
// key of the verification method kid, whatever relationship references it: §5.9.3 names
// the verificationMethod property.
func (c *Client) verificationMethodKey(ctx context.Context, clientDID, kid string) (crypto.PublicKey, error) {
	if c.Resolver == nil {
		return nil, errors.New("wallet: no DID resolver configured")
	}
	doc, err := c.Resolver.Resolve(ctx, clientDID)
	if err != nil {
		return nil, err
	}
	k := slices.IndexFunc(doc.VerificationMethod, func(vm did.VerificationMethod) bool { return vm.ID == kid })
	if k < 0 {
		return nil, did.Errorf(did.KeyNotFound, clientDID, "no verification method with the requested id")
	}
	return doc.VerificationMethod[k].PublicKey()
}

// verifyX509HashClient is §5.9.3 x509_hash: the value "MUST be a hash and match the hash of
// the leaf certificate passed with the request. The request MUST be signed with the private
// key corresponding to the public key in the leaf X.509 certificate ... The Wallet MUST
// validate the signature and the trust chain of the X.509 leaf certificate." Without trusted
// roots the chain is not checked and the holder is told so.
func (c *Client) verifyX509HashClient(jws string, hdr jose.Header, hash string, opts PresentOptions) ([]byte, verifierIdentity, error) {
	chain, err := parseX5C(hdr)
	if err != nil {
		return nil, verifierIdentity{}, err
	}
	leaf := chain[0]
	id := verifierIdentity{name: subjectName(leaf, hash)}
	// "The value of x509_hash is the base64url-encoded value of the SHA-256 hash of the
	// DER-encoded X.509 certificate."
	sum := sha256.Sum256(leaf.Raw)
	if base64.RawURLEncoding.EncodeToString(sum[:]) != hash {
		return nil, id, refuse(ReasonClientKey, "x509_hash is not the hash of the leaf certificate")
	}
	payload, err := verifyWithLeaf(jws, leaf)
	if err != nil {
		return nil, id, err
	}
	if opts.TrustedRoots == nil {
		return payload, id, c.checkLeafValidity(leaf)
	}
	if err := c.verifyChain(chain, opts.TrustedRoots); err != nil {
		return nil, id, err
	}
	id.chainVerified = true
	return payload, id, nil
}

// verifyX509DNSClient is §5.9.3 x509_san_dns: the value "MUST be a DNS name and match a
// dNSName Subject Alternative Name (SAN) entry in the leaf certificate passed with the
// request. The request MUST be signed with the private key corresponding to the public key in
// the leaf X.509 certificate ... The Wallet MUST validate the signature and the trust chain
// of the X.509 certificate."
func (c *Client) verifyX509DNSClient(jws string, hdr jose.Header, dnsName string, opts PresentOptions) ([]byte, verifierIdentity, error) {
	id := verifierIdentity{name: dnsName}
	chain, err := parseX5C(hdr)
	if err != nil {
		return nil, id, err
	}
	leaf := chain[0]
	if !slices.ContainsFunc(leaf.DNSNames, func(n string) bool { return strings.EqualFold(n, dnsName) }) {
		return nil, id, refuse(ReasonClientKey, "the leaf certificate has no dNSName SAN %s", dnsName)
	}
	payload, err := verifyWithLeaf(jws, leaf)
	if err != nil {
		return nil, id, err
	}
	if opts.TrustedRoots == nil {
		if !opts.AllowUnverifiedX509 {
			return nil, id, refuse(ReasonTrust, "x509_san_dns needs trusted roots to verify the certificate chain (--trust-ca)")
		}
		return payload, id, c.checkLeafValidity(leaf)
	}
	if err := c.verifyChain(chain, opts.TrustedRoots); err != nil {
		return nil, id, err
	}
	id.chainVerified = true
	return payload, id, nil
}

// parseX5C reads the x5c header: "a JSON array of certificate value strings. Each string in
// the array is a base64-encoded (Section 4 of [RFC4648] -- not base64url-encoded) DER PKIX
// certificate value" (RFC 7515 §4.1.6), leaf first.
func parseX5C(hdr jose.Header) ([]*x509.Certificate, error) {
	if len(hdr.X5c) == 0 {
		return nil, refuse(ReasonClientKey, "the request object has no x5c header")
	}
	if len(hdr.X5c) > maxX5C {
		return nil, refuse(ReasonMalformed, "x5c holds more than %d certificates", maxX5C)
	}
	chain := make([]*x509.Certificate, 0, len(hdr.X5c))
	for i, s := range hdr.X5c {
		der, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return nil, refuse(ReasonMalformed, "x5c[%d] is not base64", i)
		}
		cert, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, refuse(ReasonMalformed, "x5c[%d]: %v", i, err)
		}
		chain = append(chain, cert)
	}
	return chain, nil
}

func verifyWithLeaf(jws string, leaf *x509.Certificate) ([]byte, error) {
	payload, _, err := jose.Verify(jws, leaf.PublicKey)
	if err != nil {
		return nil, &RequestError{Reason: ReasonSignature, Err: err}
	}
	return payload, nil
}

// verifyChain verifies leaf and intermediates (x5c order) to roots at the client's clock.
func (c *Client) verifyChain(chain []*x509.Certificate, roots *x509.CertPool) error {
	inter := x509.NewCertPool()
	for _, cert := range chain[1:] {
		inter.AddCert(cert)
	}
	_, err := chain[0].Verify(x509.VerifyOptions{
		Roots: roots, Intermediates: inter, CurrentTime: c.now(),
		// A verifier's certificate is no TLS server certificate: any extended key usage.
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	})
	if err != nil {
		return &RequestError{Reason: ReasonTrust, Err: err}
	}
	return nil
}

// checkLeafValidity checks the leaf's validity period when there is no chain to verify.
func (c *Client) checkLeafValidity(leaf *x509.Certificate) error {
	now := c.now()
	if now.Before(leaf.NotBefore) || now.After(leaf.NotAfter) {
		return refuse(ReasonTrust, "the leaf certificate is not valid now (%s to %s)", leaf.NotBefore.UTC().Format("2006-01-02"), leaf.NotAfter.UTC().Format("2006-01-02"))
	}
	return nil
}

// subjectName is the leaf's subject organization, else its common name, else fallback.
func subjectName(leaf *x509.Certificate, fallback string) string {
	if len(leaf.Subject.Organization) > 0 && leaf.Subject.Organization[0] != "" {
		return leaf.Subject.Organization[0]
	}
	if leaf.Subject.CommonName != "" {
		return leaf.Subject.CommonName
	}
	return fallback
}
