// Package jose wraps lestrrat-go/jwx/v2 behind a small API with an algorithm allow-list:
// only asymmetric algorithms are accepted, so "none" and HMAC can never verify. Callers pass
// standard library keys (crypto.Signer, crypto.PublicKey); jwx types stay inside this package.
package jose

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"errors"
	"fmt"

	"github.com/lestrrat-go/jwx/v2/cert"
	"github.com/lestrrat-go/jwx/v2/jwa"
	"github.com/lestrrat-go/jwx/v2/jwk"
	"github.com/lestrrat-go/jwx/v2/jws"
)

// Allowed is the signature algorithm allow-list.
var allowed = map[string]jwa.SignatureAlgorithm{
	"ES256": jwa.ES256,
	"ES384": jwa.ES384,
	"EdDSA": jwa.EdDSA,
}

// ErrAlgorithm is returned for a JWS whose alg is not on the allow-list or does not fit the key.
var ErrAlgorithm = errors.New("jose: signature algorithm not allowed")

// Signer is a key that signs JWS: its key id (the kid header) and the private key.
type Signer struct {
	KeyID string
	Key   crypto.Signer
}

// Alg is the JOSE algorithm for the signer's key type.
func (s Signer) Alg() (string, error) { return AlgFor(s.Key.Public()) }

// AlgFor returns the signature algorithm that fits a public key.
func AlgFor(pub crypto.PublicKey) (string, error) {
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		switch k.Curve {
		case elliptic.P256():
			return "ES256", nil
		case elliptic.P384():
			return "ES384", nil
		}
	case ed25519.PublicKey:
		return "EdDSA", nil
	}
	return "", fmt.Errorf("%w: unsupported key type %T", ErrAlgorithm, pub)
}

// Sign makes a compact JWS of payload. headers may add protected headers such as typ or x5c;
// alg and kid are always set from the signer.
func Sign(payload []byte, s Signer, headers map[string]any) (string, error) {
	alg, err := s.Alg()
	if err != nil {
		return "", err
	}
	hdr := jws.NewHeaders()
	for k, v := range headers {
		if k == jws.X509CertChainKey {
			chain, err := certChain(v)
			if err != nil {
				return "", err
			}
			v = chain
		}
		if k == jws.JWKKey {
			// An embedded public key (DPoP proofs, OpenID4VCI key proofs) may be given as a
			// standard library key; only its public members are sent.
			key, err := publicJWK(v)
			if err != nil {
				return "", err
			}
			v = key
		}
		if err := hdr.Set(k, v); err != nil {
			return "", fmt.Errorf("jose: header %s: %w", k, err)
		}
	}
	if s.KeyID != "" {
		if err := hdr.Set(jws.KeyIDKey, s.KeyID); err != nil {
			return "", err
		}
	}
	out, err := jws.Sign(payload, jws.WithKey(allowed[alg], s.Key, jws.WithProtectedHeaders(hdr)))
	if err != nil {
		return "", fmt.Errorf("jose: sign: %w", err)
	}
	return string(out), nil
}

// certChain accepts an x5c header as base64 DER strings (RFC 7515 §4.1.6), leaf first.
func certChain(v any) (*cert.Chain, error) {
	list, ok := v.([]string)
	if !ok {
		return nil, fmt.Errorf("jose: x5c header must be []string of base64 DER, not %T", v)
	}
	var chain cert.Chain
	for _, c := range list {
		if err := chain.AddString(c); err != nil {
			return nil, fmt.Errorf("jose: x5c: %w", err)
		}
	}
	return &chain, nil
}

func publicJWK(v any) (jwk.Key, error) {
	switch k := v.(type) {
	case *ecdsa.PublicKey, ed25519.PublicKey:
		return jwk.FromRaw(k)
	case jwk.Key:
		return k.PublicKey()
	}
	return nil, fmt.Errorf("jose: jwk header must be a public key, not %T", v)
}
