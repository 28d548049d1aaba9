package did

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"encoding/binary"
	"errors"
	"fmt"
)

// Multicodec codes of the supported public key types
// (https://github.com/multiformats/multicodec/blob/master/table.csv).
const (
	CodecEd25519Pub uint64 = 0xed
	CodecP256Pub    uint64 = 0x1200
	CodecP384Pub    uint64 = 0x1201
)

// EncodeMultikey encodes pub as a Multikey value: multibase base58btc ("z") of the
// multicodec varint followed by the raw key (Ed25519) or the compressed point (P-256, P-384).
// This is also the method-specific identifier of did:key.
func EncodeMultikey(pub crypto.PublicKey) (string, error) {
	pub, err := checkPublicKey(pub)
	if err != nil {
		return "", err
	}
	var code uint64
	var raw []byte
	switch k := pub.(type) {
	case ed25519.PublicKey:
		code, raw = CodecEd25519Pub, k
	case *ecdsa.PublicKey:
		code, raw, err = compressECDSA(k)
		if err != nil {
			return "", err
		}
	}
	return "z" + base58Encode(append(binary.AppendUvarint(nil, code), raw...)), nil
}

// DecodeMultikey decodes a Multikey value (see EncodeMultikey). Unknown multicodecs
// return an error wrapping ErrUnsupportedKeyType.
func DecodeMultikey(s string) (crypto.PublicKey, error) {
	// Multibase: "z" is the prefix of base58btc, the only base did:key allows.
	if len(s) < 2 || s[0] != 'z' {
		return nil, errors.New("not a base58btc multibase value")
	}
	b, err := base58Decode(s[1:])
	if err != nil {
		return nil, err
	}
	code, n := binary.Uvarint(b)
	// Refuse overlong varints too, so one key has one encoding.
	if n <= 0 || !bytes.Equal(b[:n], binary.AppendUvarint(nil, code)) {
		return nil, errors.New("invalid multicodec prefix")
	}
	return decodeRawKey(code, b[n:])
}

func decodeRawKey(code uint64, raw []byte) (crypto.PublicKey, error) {
	switch code {
	case CodecEd25519Pub:
		if len(raw) != ed25519.PublicKeySize {
			return nil, errors.New("invalid Ed25519 public key length")
		}
		return ed25519.PublicKey(bytes.Clone(raw)), nil
	case CodecP256Pub:
		return decompressECDSA(elliptic.P256(), raw)
	case CodecP384Pub:
		return decompressECDSA(elliptic.P384(), raw)
	default:
		return nil, fmt.Errorf("%w: multicodec 0x%x", ErrUnsupportedKeyType, code)
	}
}

// compressECDSA returns the multicodec and SEC 1 compressed point of k.
func compressECDSA(k *ecdsa.PublicKey) (uint64, []byte, error) {
	code := CodecP256Pub
	if k.Curve == elliptic.P384() {
		code = CodecP384Pub
	}
	u, err := k.Bytes() // 0x04 || X || Y
	if err != nil {
		return 0, nil, errors.New("invalid ECDSA public key")
	}
	size := (len(u) - 1) / 2
	out := make([]byte, 1+size)
	out[0] = 0x02 | u[len(u)-1]&1
	copy(out[1:], u[1:1+size])
	return code, out, nil
}

// decompressECDSA parses a SEC 1 compressed point; did:key requires the compressed form
// for NIST curves.
func decompressECDSA(curve elliptic.Curve, raw []byte) (*ecdsa.PublicKey, error) {
	size := (curve.Params().BitSize + 7) / 8
	if len(raw) != 1+size || (raw[0] != 0x02 && raw[0] != 0x03) {
		return nil, errors.New("invalid compressed ECDSA public key")
	}
	x, y := elliptic.UnmarshalCompressed(curve, raw)
	if x == nil {
		return nil, errors.New("invalid compressed ECDSA public key")
	}
	u := make([]byte, 1+2*size)
	u[0] = 0x04
	x.FillBytes(u[1 : 1+size])
	y.FillBytes(u[1+size:])
	return ecdsa.ParseUncompressedPublicKey(curve, u)
}
