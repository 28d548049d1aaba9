package pki

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Summary describes a certificate for operators (CLI output, admin API).
type Summary struct {
	Subject   string    `json:"subject"`
	Issuer    string    `json:"issuer"`
	Serial    string    `json:"serial"` // hex
	NotBefore time.Time `json:"not_before"`
	NotAfter  time.Time `json:"not_after"`
	SHA256    string    `json:"sha256"` // fingerprint of the DER, hex
}

// Summarize describes c.
func Summarize(c *x509.Certificate) Summary {
	return Summary{
		Subject: DistinguishedName(c.Subject), Issuer: DistinguishedName(c.Issuer), Serial: c.SerialNumber.Text(16),
		NotBefore: c.NotBefore.UTC(), NotAfter: c.NotAfter.UTC(), SHA256: Fingerprint(c.Raw),
	}
}

// attributeLabels name the attributes bewijs certificates carry; pkix.Name.String leaves
// organizationIdentifier as a hex OID.
var attributeLabels = map[string]string{
	"2.5.4.3": "CN", "2.5.4.5": "serialNumber", "2.5.4.6": "C", "2.5.4.7": "L", "2.5.4.8": "ST",
	"2.5.4.10": "O", "2.5.4.11": "OU", "2.5.4.97": "organizationIdentifier",
}

// DistinguishedName shows a name for people, most specific attribute first as in RFC 4514.
func DistinguishedName(n pkix.Name) string {
	parts := make([]string, 0, len(n.Names))
	for _, atv := range slices.Backward(n.Names) {
		label, ok := attributeLabels[atv.Type.String()]
		if !ok {
			label = atv.Type.String()
		}
		value := strings.NewReplacer(`\`, `\\`, ",", `\,`, "+", `\+`).Replace(fmt.Sprint(atv.Value))
		parts = append(parts, label+"="+value)
	}
	if len(parts) == 0 {
		return n.String()
	}
	return strings.Join(parts, ",")
}
