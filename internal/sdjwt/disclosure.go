package sdjwt

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Disclosure is one decoded disclosure.
type Disclosure struct {
	Encoded string // base64url of the JSON array, as it appears between the ~
	Salt    string
	Name    string // "" for array element disclosures
	Value   any
	Digest  string // base64url(sha-256(Encoded))
}

// hashAlg is the only _sd_alg this package implements. RFC 9901 §4.1.1: "implementations
// MUST support the sha-256 hash algorithm"; it is also the default when _sd_alg is absent.
const hashAlg = "sha-256"

// saltBytes is the salt entropy: RFC 9901 §4.2.1 says the Issuer "can base64url-encode
// 128 bits of cryptographically secure random data".
const saltBytes = 16

var b64 = base64.RawURLEncoding

// digestOf is the digest of a Disclosure or of a presented SD-JWT. RFC 9901 §4.2.3: "The
// digest MUST be taken over the US-ASCII bytes of the base64url-encoded value that is the
// Disclosure ... The bytes of the digest MUST then be base64url-encoded."
func digestOf(s string) string {
	sum := sha256.Sum256([]byte(s))
	return b64.EncodeToString(sum[:])
}

// newSalt reads a 128-bit salt from r, base64url-encoded.
func newSalt(r io.Reader) (string, error) {
	var buf [saltBytes]byte
	if _, err := io.ReadFull(r, buf[:]); err != nil {
		return "", fmt.Errorf("sdjwt: reading randomness: %w", err)
	}
	return b64.EncodeToString(buf[:]), nil
}

// newDecoy is a decoy digest. RFC 9901 §4.2.5: "It is RECOMMENDED to create the decoy
// digests by hashing over a cryptographically secure random number."
func newDecoy(r io.Reader) (string, error) {
	salt, err := newSalt(r)
	if err != nil {
		return "", err
	}
	return digestOf(salt), nil
}

// newDisclosure builds the Disclosure for an object property (RFC 9901 §4.2.1):
// base64url of the UTF-8 JSON array [salt, name, value].
func newDisclosure(salt, name string, value any) (Disclosure, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode([]any{salt, name, value}); err != nil {
		return Disclosure{}, newError(CodeMalformed, "claim %q cannot be encoded: %v", name, err)
	}
	encoded := b64.EncodeToString(bytes.TrimRight(buf.Bytes(), "\n"))
	return Disclosure{Encoded: encoded, Salt: salt, Name: name, Value: value, Digest: digestOf(encoded)}, nil
}

// decodeDisclosure decodes one Disclosure as it appears between two '~'.
func decodeDisclosure(encoded string, maxDepth int) (Disclosure, error) {
	raw, err := decodeB64(encoded)
	if err != nil {
		return Disclosure{}, wrapError(CodeMalformed, "disclosure", err)
	}
	if err := checkDepth(raw, maxDepth); err != nil {
		return Disclosure{}, wrapError(CodeMalformed, "disclosure", err)
	}
	var parts []any
	if err := json.Unmarshal(raw, &parts); err != nil {
		return Disclosure{}, newError(CodeMalformed, "disclosure is not a JSON array")
	}
	d := Disclosure{Encoded: encoded, Digest: digestOf(encoded)}
	// RFC 9901 §4.2.1 and §4.2.2: an object property is [salt, name, value], an array
	// element is [salt, value]; the salt "MUST be a string".
	if len(parts) != 2 && len(parts) != 3 {
		return Disclosure{}, newError(CodeMalformed, "disclosure has %d elements, want 2 or 3", len(parts))
	}
	var ok bool
	if d.Salt, ok = parts[0].(string); !ok {
		return Disclosure{}, newError(CodeMalformed, "disclosure salt is not a string")
	}
	if len(parts) == 3 {
		// RFC 9901 §4.2.1: the claim name "MUST be a string". An empty name is refused
		// so that Name == "" always means an array element disclosure.
		if d.Name, ok = parts[1].(string); !ok || d.Name == "" {
			return Disclosure{}, newError(CodeMalformed, "disclosure claim name is not a non-empty string")
		}
	}
	d.Value = parts[len(parts)-1]
	return d, nil
}

// decodeB64 decodes unpadded base64url (RFC 7515 §2), refusing padding and other alphabets.
func decodeB64(s string) ([]byte, error) {
	if s == "" {
		return nil, errors.New("empty base64url value")
	}
	if strings.ContainsAny(s, "=+/ \r\n\t") {
		return nil, errors.New("not unpadded base64url")
	}
	out, err := b64.Strict().DecodeString(s)
	if err != nil {
		return nil, errors.New("not unpadded base64url")
	}
	return out, nil
}

// checkDepth refuses JSON nested deeper than max arrays and objects, before it is decoded.
// It scans tokens only, skipping strings; json.Unmarshal still validates the syntax.
func checkDepth(data []byte, max int) error {
	depth := 0
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case '"':
			end, ok := stringEnd(data, i+1)
			if !ok {
				return nil // unterminated: not JSON, which json.Unmarshal reports
			}
			i = end
		case '[', '{':
			depth++
			if depth > max {
				return fmt.Errorf("JSON nested deeper than %d", max)
			}
		case ']', '}':
			depth--
		}
	}
	return nil
}

// stringEnd finds the quote that closes the JSON string whose contents start at from: the
// first quote preceded by an even number of backslashes (RFC 8259 §7).
func stringEnd(data []byte, from int) (int, bool) {
	for {
		j := bytes.IndexByte(data[from:], '"')
		if j < 0 {
			return 0, false
		}
		q := from + j
		backslashes := 0
		for k := q - 1; k >= from && data[k] == '\\'; k-- {
			backslashes++
		}
		if backslashes%2 == 0 {
			return q, true
		}
		from = q + 1
	}
}

// decodeObject decodes a JSON object (a JWT payload) after a depth check.
func decodeObject(data []byte, maxDepth int) (map[string]any, error) {
	if err := checkDepth(data, maxDepth); err != nil {
		return nil, err
	}
	var obj map[string]any
	if err := json.Unmarshal(data, &obj); err != nil || obj == nil {
		return nil, errors.New("not a JSON object")
	}
	return obj, nil
}

// jwtPayload decodes the payload of a compact JWS without verifying it.
func jwtPayload(compact string, maxDepth int) (map[string]any, error) {
	parts := strings.Split(compact, ".")
	if len(parts) != 3 {
		return nil, errors.New("JWT is not three base64url parts")
	}
	return decodePayload(parts[1], maxDepth)
}

// decodePayload decodes a base64url JWT payload that must be a JSON object.
func decodePayload(encoded string, maxDepth int) (map[string]any, error) {
	raw, err := decodeB64(encoded)
	if err != nil {
		return nil, fmt.Errorf("JWT payload: %w", err)
	}
	obj, err := decodeObject(raw, maxDepth)
	if err != nil {
		return nil, fmt.Errorf("JWT payload: %w", err)
	}
	return obj, nil
}
