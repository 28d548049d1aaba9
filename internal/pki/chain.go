package pki

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"strings"
)

// Limits on chains from outside. Real chains hold two to four certificates of a few KB each.
const (
	MaxChainBytes = 64 << 10
	MaxChainCerts = 8
)

const pemCertificate = "CERTIFICATE"

// ParseChain reads a PEM file of certificates (leaf first) as an operator got it from a CA and
// returns the DER of each. Text around the blocks (openssl's "subject=" lines) is ignored; any
// other PEM block, a private key above all, a truncated block or a certificate that does not
// parse is refused with ReasonMalformed.
func ParseChain(data []byte) ([][]byte, error) {
	if len(data) > MaxChainBytes {
		return nil, newError(ReasonMalformed, fmt.Sprintf("the chain file is larger than %d KB", MaxChainBytes>>10), nil)
	}
	var chain [][]byte
	rest := data
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if err := checkBlock(block, len(chain)); err != nil {
			return nil, err
		}
		if len(chain) == MaxChainCerts {
			return nil, newError(ReasonMalformed, fmt.Sprintf("the chain holds more than %d certificates", MaxChainCerts), nil)
		}
		chain = append(chain, block.Bytes)
	}
	// pem.Decode skips a block it cannot decode and goes on with the next one: count the
	// BEGIN lines so a broken block is refused instead of dropped.
	if bytes.Count(data, []byte("-----BEGIN")) != len(chain) {
		return nil, newError(ReasonMalformed, "the chain file holds a PEM block that does not decode (truncated, or broken base64)", nil)
	}
	if len(chain) == 0 {
		return nil, newError(ReasonMalformed, "the chain file holds no PEM CERTIFICATE block", nil)
	}
	return chain, nil
}

func checkBlock(b *pem.Block, index int) error {
	if strings.Contains(b.Type, "PRIVATE KEY") {
		return newError(ReasonMalformed, "the chain file holds a private key; give only the certificates, and keep the key secret", nil)
	}
	if b.Type != pemCertificate {
		return newError(ReasonMalformed, fmt.Sprintf("PEM block %d is a %q; only CERTIFICATE blocks belong in a chain", index+1, b.Type), nil)
	}
	if _, err := x509.ParseCertificate(b.Bytes); err != nil {
		return newError(ReasonMalformed, fmt.Sprintf("certificate %d does not parse", index+1), err)
	}
	return nil
}

// EncodePEM writes a DER chain as PEM CERTIFICATE blocks, in order.
func EncodePEM(chain [][]byte) []byte {
	var buf bytes.Buffer
	for _, der := range chain {
		_ = pem.Encode(&buf, &pem.Block{Type: pemCertificate, Bytes: der})
	}
	return buf.Bytes()
}

// parseDER parses a DER chain, leaf first.
func parseDER(chain [][]byte) ([]*x509.Certificate, error) {
	if len(chain) == 0 {
		return nil, newError(ReasonMalformed, "the chain is empty", nil)
	}
	if len(chain) > MaxChainCerts {
		return nil, newError(ReasonMalformed, fmt.Sprintf("the chain holds more than %d certificates", MaxChainCerts), nil)
	}
	certs := make([]*x509.Certificate, 0, len(chain))
	for i, der := range chain {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, newError(ReasonMalformed, fmt.Sprintf("certificate %d does not parse", i+1), err)
		}
		certs = append(certs, c)
	}
	return certs, nil
}

// selfSigned reports whether c names itself as issuer and its signature verifies under its own key.
func selfSigned(c *x509.Certificate) bool {
	return bytes.Equal(c.RawSubject, c.RawIssuer) && c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature) == nil
}

// Fingerprint is the lowercase hex SHA-256 of a certificate's DER, as `openssl x509 -fingerprint
// -sha256` shows it without colons.
func Fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:])
}
