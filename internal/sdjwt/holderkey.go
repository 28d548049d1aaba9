package sdjwt

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
)

// publicJWKOf converts a public JWK with exactly the required members of RFC 7518 §6.2.1
// (EC: kty, crv, x, y) or RFC 8037 §2 (OKP: kty, crv, x), for P-256, P-384 or Ed25519,
// whose coordinates are unpadded base64url (decodeB64) of the full coordinate size (RFC 7518
// §6.2.1.2). ok is false for anything else, including points not on the curve: the caller
// then lets did.ParseJWK decide, so that the keys accepted are the same either way.
func publicJWKOf(members map[string]any) (crypto.PublicKey, bool) {
	kty, _ := members["kty"].(string)
	crv, _ := members["crv"].(string)
	x, _ := members["x"].(string)
	switch {
	case kty == "EC" && len(members) == 4:
		y, _ := members["y"].(string)
		return ecJWK(crv, x, y)
	case kty == "OKP" && crv == "Ed25519" && len(members) == 3:
		raw, err := decodeB64(x)
		if err != nil || len(raw) != ed25519.PublicKeySize {
			return nil, false
		}
		return ed25519.PublicKey(raw), true
	}
	return nil, false
}

// ecJWK is the ECDSA key of an EC JWK's crv, x and y.
func ecJWK(crv, x, y string) (crypto.PublicKey, bool) {
	var curve elliptic.Curve
	switch crv {
	case "P-256":
		curve = elliptic.P256()
	case "P-384":
		curve = elliptic.P384()
	default:
		return nil, false
	}
	size := (curve.Params().BitSize + 7) / 8
	point := make([]byte, 1, 1+2*size)
	point[0] = 4 // SEC 1 §2.3.3 uncompressed point
	for _, c := range []string{x, y} {
		raw, err := decodeB64(c)
		if err != nil || len(raw) != size {
			return nil, false
		}
		point = append(point, raw...)
	}
	// ParseUncompressedPublicKey refuses points that are not on the curve.
	pub, err := ecdsa.ParseUncompressedPublicKey(curve, point)
	if err != nil {
		return nil, false
	}
	return pub, true
}
