package jose

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/sha256"
	"encoding/base64"
	"fmt"

	"github.com/lestrrat-go/jwx/v2/jwk"
)

// Thumbprint is the RFC 7638 SHA-256 JWK thumbprint of a public key, base64url.
//
// RFC 7638 §3: the hash input is the JSON object of the required members only, "in
// lexicographic order", with no whitespace. §3.2: for EC keys "crv", "kty", "x", "y"; RFC
// 8037 §2: for OKP keys "crv", "kty", "x". RFC 7518 §6.2.1.2: "The length of this octet
// string MUST be the full size of a coordinate for the curve". Those are built here; other
// key types go through jwx.
func Thumbprint(pub crypto.PublicKey) (string, error) {
	if in, ok := thumbprintInput(pub); ok {
		sum := sha256.Sum256(in)
		return base64.RawURLEncoding.EncodeToString(sum[:]), nil
	}
	k, err := jwk.FromRaw(pub)
	if err != nil {
		return "", fmt.Errorf("jose: %w", err)
	}
	tp, err := k.Thumbprint(crypto.SHA256)
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(tp), nil
}

// thumbprintInput is the RFC 7638 hash input of a P-256, P-384 or Ed25519 key; ok is false
// for any other key.
func thumbprintInput(pub crypto.PublicKey) ([]byte, bool) {
	b64 := base64.RawURLEncoding
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		var crv string
		switch k.Curve {
		case elliptic.P256():
			crv = "P-256"
		case elliptic.P384():
			crv = "P-384"
		default:
			return nil, false
		}
		point, err := k.Bytes() // 0x04 || X || Y, each the full coordinate size
		if err != nil {
			return nil, false
		}
		size := (len(point) - 1) / 2
		x, y := point[1:1+size], point[1+size:]
		return []byte(`{"crv":"` + crv + `","kty":"EC","x":"` + b64.EncodeToString(x) + `","y":"` + b64.EncodeToString(y) + `"}`), true
	case ed25519.PublicKey:
		if len(k) != ed25519.PublicKeySize {
			return nil, false
		}
		return []byte(`{"crv":"Ed25519","kty":"OKP","x":"` + b64.EncodeToString(k) + `"}`), true
	}
	return nil, false
}
