package pki

import (
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"time"
)

// VerifyChain checks an `x5c` chain (DER, leaf first) against the trust anchors at time now and
// returns the leaf, whose key then verifies the signature. The certificates after the leaf are
// a pool to build the path from; the anchor itself may be left out (HAIP requires that).
func VerifyChain(chain [][]byte, roots *x509.CertPool, now time.Time) (*x509.Certificate, error) {
	if roots == nil {
		return nil, newError(ReasonUntrusted, "no trust anchors to verify the chain against", nil)
	}
	certs, err := parseDER(chain)
	if err != nil {
		return nil, err
	}
	leaf := certs[0]
	// HAIP 1.0 §6.1.1: "The X.509 certificate signing the request MUST NOT be self-signed."
	if selfSigned(leaf) {
		return nil, newError(ReasonUnsuitable, "the leaf certificate is self-signed", nil)
	}
	intermediates := x509.NewCertPool()
	for _, c := range certs[1:] {
		intermediates.AddCert(c)
	}
	if _, err := leaf.Verify(verifyOptions(roots, intermediates, now)); err != nil {
		return nil, verifyError(err)
	}
	return leaf, nil
}

// verifyOptions accepts any extended key usage: credential signing has no EKU of its own, and
// RFC 5280 §4.2.1.12 lets a certificate without the extension serve any purpose.
func verifyOptions(roots, intermediates *x509.CertPool, now time.Time) x509.VerifyOptions {
	return x509.VerifyOptions{
		Roots: roots, Intermediates: intermediates, CurrentTime: now,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	}
}

func verifyError(err error) *Error {
	var invalid x509.CertificateInvalidError
	if errors.As(err, &invalid) && invalid.Reason == x509.Expired {
		return newError(ReasonExpired, "a certificate of the chain is expired or not yet valid", err)
	}
	return newError(ReasonUntrusted, "the chain does not verify", err)
}

// ImportOptions say what an imported chain must certify, and when.
type ImportOptions struct {
	PublicKey crypto.PublicKey // the tenant's active signing key
	Now       time.Time
}

// Validated is an imported chain that passed ValidateImport.
type Validated struct {
	Leaf *x509.Certificate
	// Chain is what goes into `x5c`: the input without a trailing self-signed root, since HAIP
	// 1.0 §6.1.1 says "The X.509 certificate of the trust anchor MUST NOT be included".
	Chain [][]byte
}

// ValidateImport checks a chain (DER, leaf first) that a real CA issued for a tenant key: the
// leaf certifies exactly o.PublicKey and can sign, every certificate is valid at o.Now, and each
// is signed by the next. The root may be absent, so this proves the chain is whole, not that it
// is trusted; wallets and verifiers decide that with their own anchors.
func ValidateImport(chain [][]byte, o ImportOptions) (Validated, error) {
	certs, err := parseDER(chain)
	if err != nil {
		return Validated{}, err
	}
	if err := checkLeaf(certs, o.PublicKey); err != nil {
		return Validated{}, err
	}
	for i, c := range certs {
		if err := checkPeriod(i, c, o.Now); err != nil {
			return Validated{}, err
		}
	}
	if err := checkLinks(certs, o.Now); err != nil {
		return Validated{}, err
	}
	out := chain
	if len(certs) > 1 && selfSigned(certs[len(certs)-1]) {
		out = chain[:len(chain)-1]
	}
	return Validated{Leaf: certs[0], Chain: out}, nil
}

type equalKey interface{ Equal(crypto.PublicKey) bool }

func sameKey(a, b crypto.PublicKey) bool {
	k, ok := a.(equalKey)
	return ok && b != nil && k.Equal(b)
}

func checkLeaf(certs []*x509.Certificate, want crypto.PublicKey) error {
	leaf := certs[0]
	if !sameKey(want, leaf.PublicKey) {
		for i, c := range certs[1:] {
			if sameKey(want, c.PublicKey) {
				return newError(ReasonMalformed, fmt.Sprintf("certificate %d certifies the signing key; put the leaf certificate first", i+2), nil)
			}
		}
		return newError(ReasonKeyMismatch, "the leaf certificate does not certify the active signing key", nil)
	}
	// RFC 5280 §4.2.1.9: an end-entity certificate is not a CA.
	if leaf.IsCA {
		return newError(ReasonUnsuitable, "the leaf certificate is a CA certificate; give the end-entity certificate first", nil)
	}
	// HAIP 1.0 §6.1.1: "The X.509 certificate signing the request MUST NOT be self-signed."
	if selfSigned(leaf) {
		return newError(ReasonUnsuitable, "the leaf certificate is self-signed; HAIP requires one issued by a CA", nil)
	}
	// RFC 5280 §4.2.1.3: when keyUsage is present, digitalSignature must be set to verify signatures.
	if leaf.KeyUsage != 0 && leaf.KeyUsage&x509.KeyUsageDigitalSignature == 0 {
		return newError(ReasonUnsuitable, "the leaf certificate's keyUsage lacks digitalSignature", nil)
	}
	return nil
}

// checkPeriod is RFC 5280 §6.1.3 (a)(2): the certificate validity period includes the current time.
func checkPeriod(i int, c *x509.Certificate, now time.Time) error {
	name := fmt.Sprintf("certificate %d (%s)", i+1, c.Subject.CommonName)
	switch {
	case now.After(c.NotAfter):
		return newError(ReasonExpired, fmt.Sprintf("%s expired on %s", name, c.NotAfter.UTC().Format(time.RFC3339)), nil)
	case now.Before(c.NotBefore):
		return newError(ReasonNotYetValid, fmt.Sprintf("%s is not valid before %s", name, c.NotBefore.UTC().Format(time.RFC3339)), nil)
	}
	return nil
}

// checkLinks verifies that each certificate is signed by the next (RFC 5280 §6.1.3 (a)(1)), then
// lets crypto/x509 check the whole path up to the last certificate, which stands in as anchor:
// basicConstraints, path length and name constraints (RFC 5280 §6.1.4).
func checkLinks(certs []*x509.Certificate, now time.Time) error {
	for i := 0; i+1 < len(certs); i++ {
		if err := certs[i].CheckSignatureFrom(certs[i+1]); err != nil {
			return newError(ReasonUntrusted, fmt.Sprintf("certificate %d is not signed by certificate %d", i+1, i+2), err)
		}
	}
	if len(certs) == 1 {
		return nil
	}
	anchor := x509.NewCertPool()
	anchor.AddCert(certs[len(certs)-1])
	intermediates := x509.NewCertPool()
	for _, c := range certs[1 : len(certs)-1] {
		intermediates.AddCert(c)
	}
	if _, err := certs[0].Verify(verifyOptions(anchor, intermediates, now)); err != nil {
		return verifyError(err)
	}
	return nil
}
