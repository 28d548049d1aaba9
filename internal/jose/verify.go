package jose

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"math/big"
	"strings"
)

// Header is the protected header of a compact JWS, parsed without verifying it.
type Header struct {
	Alg string
	Kid string
	Typ string
	X5c []string
	Raw map[string]any
}

// ErrMalformed is returned for input that is not a compact JWS.
var ErrMalformed = errors.New("jose: not a compact JWS")

// ParseHeader reads the protected header of a compact JWS (RFC 7515 §7.1). Use it only to find
// the key; trust nothing in it before Verify succeeds.
func ParseHeader(compact string) (Header, error) {
	h, _, _, err := split(compact)
	return h, err
}

// split parses the three parts of a compact JWS: the header, the signing input and the
// signature bytes.
func split(compact string) (Header, string, []byte, error) {
	first := strings.IndexByte(compact, '.')
	last := strings.LastIndexByte(compact, '.')
	if first <= 0 || last == first || strings.IndexByte(compact[first+1:last], '.') >= 0 {
		return Header{}, "", nil, ErrMalformed
	}
	raw, err := base64.RawURLEncoding.DecodeString(compact[:first])
	if err != nil {
		return Header{}, "", nil, fmt.Errorf("%w: header is not base64url", ErrMalformed)
	}
	var h Header
	if err := json.Unmarshal(raw, &h.Raw); err != nil || h.Raw == nil {
		return Header{}, "", nil, fmt.Errorf("%w: header is not a JSON object", ErrMalformed)
	}
	var typed struct {
		Alg  string   `json:"alg"`
		Kid  string   `json:"kid"`
		Typ  string   `json:"typ"`
		X5c  []string `json:"x5c"`
		Crit []string `json:"crit"`
	}
	if err := json.Unmarshal(raw, &typed); err != nil {
		return Header{}, "", nil, fmt.Errorf("%w: header member has the wrong type", ErrMalformed)
	}
	// RFC 7515 §4.1.11: critical extensions this implementation does not understand MUST be
	// rejected; it understands none.
	if _, ok := h.Raw["crit"]; ok {
		return Header{}, "", nil, fmt.Errorf("%w: unsupported crit header", ErrMalformed)
	}
	h.Alg, h.Kid, h.Typ, h.X5c = typed.Alg, typed.Kid, typed.Typ, typed.X5c
	sig, err := base64.RawURLEncoding.DecodeString(compact[last+1:])
	if err != nil {
		return Header{}, "", nil, fmt.Errorf("%w: signature is not base64url", ErrMalformed)
	}
	return h, compact[:last], sig, nil
}

// Verify checks a compact JWS against pub and returns its payload and header. The header's
// alg must be on the allow-list and fit the key (RFC 7515 §5.2, RFC 7518 §3.4, RFC 8037).
func Verify(compact string, pub crypto.PublicKey) ([]byte, Header, error) {
	hdr, input, sig, err := split(compact)
	if err != nil {
		return nil, Header{}, err
	}
	want, err := AlgFor(pub)
	if err != nil {
		return nil, Header{}, err
	}
	if _, ok := allowed[hdr.Alg]; !ok || hdr.Alg != want {
		return nil, Header{}, fmt.Errorf("%w: %q", ErrAlgorithm, hdr.Alg)
	}
	if !verifySignature(pub, want, input, sig) {
		return nil, Header{}, errors.New("jose: signature does not verify")
	}
	payload, err := base64.RawURLEncoding.DecodeString(input[strings.IndexByte(input, '.')+1:])
	if err != nil {
		return nil, Header{}, fmt.Errorf("%w: payload is not base64url", ErrMalformed)
	}
	return payload, hdr, nil
}

func verifySignature(pub crypto.PublicKey, alg, input string, sig []byte) bool {
	switch k := pub.(type) {
	case ed25519.PublicKey:
		return ed25519.Verify(k, []byte(input), sig)
	case *ecdsa.PublicKey:
		var h hash.Hash = sha256.New()
		size := 32
		if alg == "ES384" {
			h, size = sha512.New384(), 48
		}
		// RFC 7518 §3.4: the signature is R || S, each exactly the curve size.
		if len(sig) != 2*size {
			return false
		}
		h.Write([]byte(input))
		r, s := new(big.Int).SetBytes(sig[:size]), new(big.Int).SetBytes(sig[size:])
		return ecdsa.Verify(k, h.Sum(nil), r, s)
	}
	return false
}
