package did

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/lestrrat-go/jwx/v2/jwk"
)

// Causes shared by PublicKey, ParseJWK, PublicJWK and the multikey functions.
var (
	// ErrUnsupportedKeyType: only ECDSA P-256, ECDSA P-384 and Ed25519 keys are supported.
	ErrUnsupportedKeyType = errors.New("unsupported key type")
	// ErrPrivateKeyMaterial: a JWK that should be public contains private members.
	ErrPrivateKeyMaterial = errors.New("JWK contains private key material")
	// ErrNoKeyMaterial: a verification method carries neither publicKeyJwk nor publicKeyMultibase.
	ErrNoKeyMaterial = errors.New("verification method has no public key")
)

// privateJWKMembers are the private parameters of RFC 7518 §6.2.2, §6.3.2 and §6.4.1
// ("d" for EC/OKP, RSA's primes and CRT values, and the symmetric "k").
var privateJWKMembers = []string{"d", "p", "q", "dp", "dq", "qi", "oth", "k"}

// PublicKey returns the key of the verification method: *ecdsa.PublicKey (P-256, P-384) or
// ed25519.PublicKey. Errors are *Error values of kind InvalidDocument.
func (vm VerificationMethod) PublicKey() (crypto.PublicKey, error) {
	var (
		pub crypto.PublicKey
		err error
	)
	switch {
	case len(vm.PublicKeyJwk) > 0 && vm.PublicKeyMultibase != "":
		err = errors.New("verification method has both publicKeyJwk and publicKeyMultibase")
	case len(vm.PublicKeyJwk) > 0:
		pub, err = ParseJWK(vm.PublicKeyJwk)
	case vm.PublicKeyMultibase != "":
		pub, err = DecodeMultikey(vm.PublicKeyMultibase)
	default:
		err = ErrNoKeyMaterial
	}
	if err != nil {
		return nil, NewError(InvalidDocument, "", err)
	}
	return pub, nil
}

// ParseJWK parses a public JWK (RFC 7517). It refuses JWKs with private members
// and keys other than ECDSA P-256/P-384 and Ed25519.
func ParseJWK(data []byte) (crypto.PublicKey, error) {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(data, &members); err != nil || members == nil {
		return nil, errors.New("JWK is not a JSON object")
	}
	// did:jwk §Security: "a JWK for a private key must never be used and must be rejected".
	for _, m := range privateJWKMembers {
		if _, ok := members[m]; ok {
			return nil, ErrPrivateKeyMaterial
		}
	}
	key, err := jwk.ParseKey(data)
	if err != nil {
		return nil, errors.New("invalid JWK")
	}
	var raw any
	if err := key.Raw(&raw); err != nil {
		return nil, errors.New("invalid JWK")
	}
	return checkPublicKey(raw)
}

// PublicJWK returns the public JWK of pub, built with jwx: only public members, sorted
// by name (which is the JCS form for EC and OKP keys).
func PublicJWK(pub crypto.PublicKey) (json.RawMessage, error) {
	pub, err := checkPublicKey(pub)
	if err != nil {
		return nil, err
	}
	key, err := jwk.FromRaw(pub)
	if err != nil {
		return nil, fmt.Errorf("building JWK: %w", err)
	}
	data, err := json.Marshal(key)
	if err != nil {
		return nil, fmt.Errorf("encoding JWK: %w", err)
	}
	return data, nil
}

// checkPublicKey accepts the supported public key types and returns a validated copy.
func checkPublicKey(pub crypto.PublicKey) (crypto.PublicKey, error) {
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		return checkECDSA(k)
	case ed25519.PublicKey:
		if len(k) != ed25519.PublicKeySize {
			return nil, errors.New("invalid Ed25519 public key")
		}
		return append(ed25519.PublicKey(nil), k...), nil
	default:
		return nil, ErrUnsupportedKeyType
	}
}

// checkECDSA re-encodes the key, which makes crypto/ecdsa reject points that are not on
// the curve.
func checkECDSA(k *ecdsa.PublicKey) (*ecdsa.PublicKey, error) {
	if k == nil || (k.Curve != elliptic.P256() && k.Curve != elliptic.P384()) {
		return nil, ErrUnsupportedKeyType
	}
	if k.X == nil || k.Y == nil {
		return nil, errors.New("invalid ECDSA public key")
	}
	b, err := k.Bytes()
	if err != nil {
		return nil, errors.New("invalid ECDSA public key")
	}
	return ecdsa.ParseUncompressedPublicKey(k.Curve, b)
}
