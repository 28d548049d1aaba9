package pki

import (
	"crypto"
	"crypto/rand"
	"crypto/sha1" //nolint:gosec // RFC 5280 §4.2.1.2 method (1) names SHA-1 for key identifiers.
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"math/big"
	"net"
	"net/url"
	"strings"
	"time"
)

// Validity periods and the clock allowance of issued certificates.
const (
	DefaultCAValidity   = 10 * 365 * 24 * time.Hour
	DefaultLeafValidity = 365 * 24 * time.Hour
	// backdate moves notBefore a minute into the past, so a verifier whose clock runs a little
	// behind accepts a certificate issued just now.
	backdate = time.Minute
)

// oidOrganizationIdentifier is the X.520 organizationIdentifier attribute (2.5.4.97).
var oidOrganizationIdentifier = asn1.ObjectIdentifier{2, 5, 4, 97}

// Subject is the distinguished name of a leaf certificate.
type Subject struct {
	CommonName   string
	Organization string
	Country      string // ISO 3166-1 alpha-2, e.g. "NL"
	// OrganizationIdentifier follows ETSI EN 319 412-1 §5.1.4: "NTR" + country + "-" + the
	// national trade register number, e.g. "NTRNL-12345678" for a KvK-nummer.
	OrganizationIdentifier string
}

func (s Subject) name() pkix.Name {
	n := pkix.Name{CommonName: s.CommonName}
	if s.Organization != "" {
		n.Organization = []string{s.Organization}
	}
	if s.Country != "" {
		n.Country = []string{s.Country}
	}
	if s.OrganizationIdentifier != "" {
		n.ExtraNames = append(n.ExtraNames, pkix.AttributeTypeAndValue{Type: oidOrganizationIdentifier, Value: s.OrganizationIdentifier})
	}
	return n
}

// OrganizationIdentifierKvK is the ETSI EN 319 412-1 §5.1.4 organizationIdentifier of a Dutch
// organisation by its KvK-nummer: "NTRNL-" + the number.
func OrganizationIdentifierKvK(kvk string) string { return "NTRNL-" + kvk }

// LeafRequest asks the CA to certify a public key.
type LeafRequest struct {
	PublicKey crypto.PublicKey
	Subject   Subject
	// Hosts become dNSName SANs, or iPAddress SANs for IP literals. SD-JWT VC §3.5 wants the
	// FQDN of an https `iss` among the dNSName SANs.
	Hosts []string
	// URIs become uniformResourceIdentifier SANs (a DID, the issuer URL).
	URIs     []string
	Validity time.Duration // 0: DefaultLeafValidity; never beyond the CA's notAfter
}

func (r LeafRequest) validate() error {
	switch {
	case r.PublicKey == nil:
		return newError(ReasonInvalidInput, "the certificate request names no public key", nil)
	case strings.TrimSpace(r.Subject.CommonName) == "":
		return newError(ReasonInvalidInput, "the certificate request names no subject common name", nil)
	case r.Validity < 0:
		return newError(ReasonInvalidInput, "the certificate validity is negative", nil)
	}
	return nil
}

// PilotCAName is the common name of the pilot CA of a deployment.
func PilotCAName(publicHost string) string { return "bewijs pilot CA (" + publicHost + ")" }

// caTemplate is a self-signed root: RFC 5280 §4.2.1.9 basicConstraints cA=TRUE (critical),
// §4.2.1.3 keyUsage keyCertSign and cRLSign. pathLen 0: it signs end-entity certificates only.
func caTemplate(cn string, pub crypto.PublicKey, now time.Time, validity time.Duration) (*x509.Certificate, error) {
	serial, err := randomSerial()
	if err != nil {
		return nil, err
	}
	ski, err := subjectKeyID(pub)
	if err != nil {
		return nil, err
	}
	return &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: cn},
		NotBefore:             now.Add(-backdate),
		NotAfter:              now.Add(validity),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLen:            0,
		MaxPathLenZero:        true,
		SubjectKeyId:          ski,
	}, nil
}

// leafTemplate is an end-entity certificate for signing credentials: keyUsage digitalSignature
// only, basicConstraints cA=FALSE, the SANs of the request.
func leafTemplate(r LeafRequest, now, caNotAfter time.Time) (*x509.Certificate, error) {
	validity := r.Validity
	if validity == 0 {
		validity = DefaultLeafValidity
	}
	notAfter := now.Add(validity)
	if notAfter.After(caNotAfter) {
		notAfter = caNotAfter
	}
	serial, err := randomSerial()
	if err != nil {
		return nil, err
	}
	ski, err := subjectKeyID(r.PublicKey)
	if err != nil {
		return nil, err
	}
	t := &x509.Certificate{
		SerialNumber: serial, Subject: r.Subject.name(), SubjectKeyId: ski,
		NotBefore: now.Add(-backdate), NotAfter: notAfter,
		KeyUsage: x509.KeyUsageDigitalSignature, BasicConstraintsValid: true,
	}
	if err := addSANs(t, r); err != nil {
		return nil, err
	}
	return t, nil
}

func addSANs(t *x509.Certificate, r LeafRequest) error {
	for _, h := range r.Hosts {
		if ip := net.ParseIP(h); ip != nil {
			t.IPAddresses = append(t.IPAddresses, ip)
			continue
		}
		t.DNSNames = append(t.DNSNames, h)
	}
	for _, raw := range r.URIs {
		u, err := url.Parse(raw)
		if err != nil || u.Scheme == "" {
			return newError(ReasonInvalidInput, fmt.Sprintf("SAN %q is not an absolute URI", raw), err)
		}
		t.URIs = append(t.URIs, u)
	}
	return nil
}

// randomSerial is a positive serial of 127 random bits. CA/Browser Forum Baseline Requirements
// §7.1: "at least 64 bits of output from a CSPRNG"; RFC 5280 §4.1.2.2: at most 20 octets.
func randomSerial() (*big.Int, error) {
	limit := new(big.Int).Lsh(big.NewInt(1), 127)
	n, err := rand.Int(rand.Reader, limit)
	if err != nil {
		return nil, err
	}
	return n.Add(n, big.NewInt(1)), nil
}

// subjectKeyID is RFC 5280 §4.2.1.2 method (1): the SHA-1 of the subjectPublicKey bit string.
func subjectKeyID(pub crypto.PublicKey) ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, newError(ReasonInvalidInput, "the public key cannot be certified", err)
	}
	var spki struct {
		Algorithm pkix.AlgorithmIdentifier
		PublicKey asn1.BitString
	}
	if _, err := asn1.Unmarshal(der, &spki); err != nil {
		return nil, err
	}
	sum := sha1.Sum(spki.PublicKey.Bytes) //nolint:gosec // key identifier, not a security hash
	return sum[:], nil
}
