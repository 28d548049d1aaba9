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

// JWS is a compact JWS split into its parts and decoded, not yet verified (RFC 7515 §7.1).
// Parse it once with ParseJWS to read the header and verify it later without parsing again.
type JWS struct {
	// Header is the protected header: trust nothing in it before Verify succeeds.
	Header Header
	input  string // the JWS Signing Input: BASE64URL(header) "." BASE64URL(payload)
	sig    []byte
}

// ParseHeader reads the protected header of a compact JWS (RFC 7515 §7.1). Use it only to find
// the key; trust nothing in it before Verify succeeds.
func ParseHeader(compact string) (Header, error) {
	j, err := ParseJWS(compact)
	if err != nil {
		return Header{}, err
	}
	return j.Header, nil
}

// ParseJWS splits a compact JWS into header, signing input and signature and decodes the
// header and the signature; the payload is decoded by Payload.
func ParseJWS(compact string) (*JWS, error) {
	first := strings.IndexByte(compact, '.')
	last := strings.LastIndexByte(compact, '.')
	if first <= 0 || last == first || strings.IndexByte(compact[first+1:last], '.') >= 0 {
		return nil, ErrMalformed
	}
	raw, err := base64.RawURLEncoding.DecodeString(compact[:first])
	if err != nil {
		return nil, fmt.Errorf("%w: header is not base64url", ErrMalformed)
	}
	var members map[string]any
	if err := json.Unmarshal(raw, &members); err != nil || members == nil {
		return nil, fmt.Errorf("%w: header is not a JSON object", ErrMalformed)
	}
	h, err := headerOf(members)
	if err != nil {
		return nil, err
	}
	sig, err := base64.RawURLEncoding.DecodeString(compact[last+1:])
	if err != nil {
		return nil, fmt.Errorf("%w: signature is not base64url", ErrMalformed)
	}
	return &JWS{Header: h, input: compact[:last], sig: sig}, nil
}

// headerOf reads the members this package understands from a decoded header. Member
// names are case-sensitive (RFC 7515 §4); a member that is null counts as absent.
func headerOf(members map[string]any) (Header, error) {
	h := Header{Raw: members}
	var ok [4]bool
	h.Alg, ok[0] = optString(members["alg"])
	h.Kid, ok[1] = optString(members["kid"])
	h.Typ, ok[2] = optString(members["typ"])
	h.X5c, ok[3] = optStrings(members["x5c"])
	if ok != [4]bool{true, true, true, true} {
		return Header{}, fmt.Errorf("%w: header member has the wrong type", ErrMalformed)
	}
	// RFC 7515 §4.1.11: critical extensions this implementation does not understand MUST be
	// rejected; it understands none.
	if _, crit := members["crit"]; crit {
		return Header{}, fmt.Errorf("%w: unsupported crit header", ErrMalformed)
	}
	return h, nil
}

// optString reads a string member; ok is false when it is there but not a string or null.
func optString(v any) (string, bool) {
	if v == nil {
		return "", true
	}
	s, ok := v.(string)
	return s, ok
}

// optStrings reads an array of strings; ok is false when it is there but not one, or null.
func optStrings(v any) ([]string, bool) {
	if v == nil {
		return nil, true
	}
	arr, ok := v.([]any)
	if !ok {
		return nil, false
	}
	out := make([]string, len(arr))
	for i, e := range arr {
		if out[i], ok = e.(string); !ok {
			return nil, false
		}
	}
	return out, true
}

// Verify checks a compact JWS against pub and returns its payload and header. The header's
// alg must be on the allow-list and fit the key (RFC 7515 §5.2, RFC 7518 §3.4, RFC 8037).
func Verify(compact string, pub crypto.PublicKey) ([]byte, Header, error) {
	j, err := ParseJWS(compact)
	if err != nil {
		return nil, Header{}, err
	}
	if err := j.Verify(pub); err != nil {
		return nil, Header{}, err
	}
	payload, err := j.Payload()
	if err != nil {
		return nil, Header{}, err
	}
	return payload, j.Header, nil
}

// Verify checks the signature with pub. The header's alg must be on the allow-list and fit
// the key (RFC 7515 §5.2, RFC 7518 §3.4, RFC 8037).
func (j *JWS) Verify(pub crypto.PublicKey) error {
	want, err := AlgFor(pub)
	if err != nil {
		return err
	}
	if _, ok := allowed[j.Header.Alg]; !ok || j.Header.Alg != want {
		return fmt.Errorf("%w: %q", ErrAlgorithm, j.Header.Alg)
	}
	if !verifySignature(pub, want, j.input, j.sig) {
		return errors.New("jose: signature does not verify")
	}
	return nil
}

// Payload decodes the payload; it is not verified until Verify succeeds.
func (j *JWS) Payload() ([]byte, error) {
	payload, err := base64.RawURLEncoding.DecodeString(j.EncodedPayload())
	if err != nil {
		return nil, fmt.Errorf("%w: payload is not base64url", ErrMalformed)
	}
	return payload, nil
}

// EncodedPayload is the payload as it appears in the JWS, base64url-encoded.
func (j *JWS) EncodedPayload() string {
	return j.input[strings.IndexByte(j.input, '.')+1:]
}

func verifySignature(pub crypto.PublicKey, alg, input string, sig []byte) bool {
	switch k := pub.(type) {
	case ed25519.PublicKey:
		return ed25519.Verify(k, []byte(input), sig)
	case *ecdsa.PublicKey:
		var digest []byte
		size := 32
		if alg == "ES384" {
			sum := sha512.Sum384([]byte(input))
			digest, size = sum[:], 48
		} else {
			sum := sha256.Sum256([]byte(input))
			digest = sum[:]
		}
		// RFC 7518 §3.4: the signature is R || S, each exactly the curve size.
		if len(sig) != 2*size {
			return false
		}
		r, s := new(big.Int).SetBytes(sig[:size]), new(big.Int).SetBytes(sig[size:])
		return ecdsa.Verify(k, digest, r, s)
	}
	return false
}
