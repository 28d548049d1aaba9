package jose

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"errors"
	"fmt"
	"slices"

	"github.com/lestrrat-go/jwx/v2/jwa"
	"github.com/lestrrat-go/jwx/v2/jwe"
)

// Content encryption algorithms allowed for encrypted responses: OpenID4VP 1.0 §8.3 and HAIP
// 1.0 ("MUST support ... A128GCM and A256GCM").
const (
	EncA128GCM = "A128GCM"
	EncA256GCM = "A256GCM"
)

// AlgECDHES is the only key management algorithm bewijs encrypts with or accepts: ephemeral-
// static ECDH on P-256, direct key agreement (RFC 7518 §4.6).
const AlgECDHES = "ECDH-ES"

// MaxJWEBytes bounds a compact JWE DecryptECDHES looks at.
const MaxJWEBytes = 512 << 10

// ErrDecrypt is returned for a JWE that is malformed, uses another algorithm, names another
// key, or does not decrypt.
var ErrDecrypt = errors.New("jose: the JWE does not decrypt")

// EncryptECDHES encrypts payload to a P-256 public key with ECDH-ES and enc (A128GCM or
// A256GCM), and returns the compact JWE. kid, when set, goes into the protected header so the
// recipient can find its key (OpenID4VP 1.0 §8.3: "the kid ... of the JWK used").
func EncryptECDHES(payload []byte, pub *ecdsa.PublicKey, kid, enc string) (string, error) {
	if pub == nil || pub.Curve != elliptic.P256() {
		return "", fmt.Errorf("%w: ECDH-ES needs a P-256 key", ErrAlgorithm)
	}
	if enc != EncA128GCM && enc != EncA256GCM {
		return "", fmt.Errorf("%w: content encryption %q", ErrAlgorithm, enc)
	}
	h := jwe.NewHeaders()
	if kid != "" {
		if err := h.Set(jwe.KeyIDKey, kid); err != nil {
			return "", err
		}
	}
	out, err := jwe.Encrypt(payload, jwe.WithKey(jwa.ECDH_ES, pub), jwe.WithContentEncryption(jwa.ContentEncryptionAlgorithm(enc)),
		jwe.WithProtectedHeaders(h), jwe.WithCompact())
	if err != nil {
		return "", err
	}
	return string(out), nil
}

// JWEHeader is what DecryptECDHES read from a JWE's protected header.
type JWEHeader struct {
	Alg string
	Enc string
	Kid string
}

// ParseJWEHeader reads the protected header of a compact JWE without decrypting it, so that the
// caller can pick the key by kid.
func ParseJWEHeader(compact string) (JWEHeader, error) {
	if len(compact) > MaxJWEBytes {
		return JWEHeader{}, fmt.Errorf("%w: larger than %d bytes", ErrDecrypt, MaxJWEBytes)
	}
	msg, err := jwe.Parse([]byte(compact))
	if err != nil {
		return JWEHeader{}, fmt.Errorf("%w: %v", ErrDecrypt, err)
	}
	h := msg.ProtectedHeaders()
	return JWEHeader{Alg: h.Algorithm().String(), Enc: h.ContentEncryption().String(), Kid: h.KeyID()}, nil
}

// DecryptECDHES decrypts a compact JWE made with ECDH-ES to priv, accepting only the content
// encryption algorithms in encs.
func DecryptECDHES(compact string, priv *ecdsa.PrivateKey, encs []string) ([]byte, JWEHeader, error) {
	h, err := ParseJWEHeader(compact)
	if err != nil {
		return nil, JWEHeader{}, err
	}
	if h.Alg != AlgECDHES {
		return nil, h, fmt.Errorf("%w: alg %q, want %s", ErrDecrypt, h.Alg, AlgECDHES)
	}
	if !slices.Contains(encs, h.Enc) {
		return nil, h, fmt.Errorf("%w: enc %q is not one of %v", ErrDecrypt, h.Enc, encs)
	}
	out, err := jwe.Decrypt([]byte(compact), jwe.WithKey(jwa.ECDH_ES, priv))
	if err != nil {
		return nil, h, fmt.Errorf("%w: %v", ErrDecrypt, err)
	}
	return out, h, nil
}
