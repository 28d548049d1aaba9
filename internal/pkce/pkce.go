// Package pkce implements Proof Key for Code Exchange (RFC 7636) with the S256 method only:
// the wallet makes a verifier and its challenge, the issuer's authorization endpoint checks
// the challenge (CheckChallenge) and its token endpoint the verifier (Verify). "plain" is
// refused: RFC 7636 §7.2 lets it exist only for clients that cannot do SHA-256, and HAIP
// requires S256.
package pkce

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
)

// MethodS256 is the only code_challenge_method accepted (RFC 7636 §4.2).
const MethodS256 = "S256"

// verifierBytes: RFC 7636 §4.1 recommends "a 32-octet sequence ... base64url-encoded to
// produce a 43-octet URL-safe string".
const verifierBytes = 32

// Causes. Callers answer all of them with invalid_grant at the token endpoint (RFC 7636
// §4.6) and with invalid_request at the authorization endpoint (§4.4.1).
var (
	// ErrUnsupportedMethod: the code_challenge_method is absent, "plain" or unknown.
	ErrUnsupportedMethod = errors.New("pkce: code_challenge_method must be S256")
	// ErrInvalidVerifier: the code_verifier is not 43 to 128 unreserved characters.
	ErrInvalidVerifier = errors.New("pkce: malformed code_verifier")
	// ErrInvalidChallenge: the code_challenge is not a base64url SHA-256 value.
	ErrInvalidChallenge = errors.New("pkce: malformed code_challenge")
	// ErrMismatch: the code_verifier does not hash to the code_challenge.
	ErrMismatch = errors.New("pkce: code_verifier does not match code_challenge")
)

// NewVerifier returns a fresh code_verifier: 32 random bytes, base64url without padding
// (43 characters, all of them unreserved).
func NewVerifier() (string, error) {
	b := make([]byte, verifierBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("pkce: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// Challenge is the S256 code_challenge of a verifier (RFC 7636 §4.2):
// BASE64URL-ENCODE(SHA256(ASCII(code_verifier))).
func Challenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// CheckChallenge validates the code_challenge and code_challenge_method of an authorization
// request, before the challenge is stored with the code.
func CheckChallenge(challenge, method string) error {
	// §4.3: without code_challenge_method the method is "plain", which we refuse.
	if method != MethodS256 {
		return ErrUnsupportedMethod
	}
	// §4.2: an S256 challenge is the base64url encoding of a 32-byte SHA-256 hash.
	if b, err := base64.RawURLEncoding.Strict().DecodeString(challenge); err != nil || len(b) != sha256.Size {
		return ErrInvalidChallenge
	}
	return nil
}

// Verify checks the code_verifier of a token request against the stored code_challenge and
// method (RFC 7636 §4.6).
func Verify(challenge, method, verifier string) error {
	if method != MethodS256 {
		return ErrUnsupportedMethod
	}
	// §4.1: code-verifier = 43*128unreserved; unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~".
	if !validVerifier(verifier) {
		return ErrInvalidVerifier
	}
	// §4.6: "If the values are not equal, an error response indicating "invalid_grant" ...
	// MUST be returned." Compared in constant time.
	if subtle.ConstantTimeCompare([]byte(Challenge(verifier)), []byte(challenge)) != 1 {
		return ErrMismatch
	}
	return nil
}

func validVerifier(v string) bool {
	if len(v) < 43 || len(v) > 128 {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			c == '-' || c == '.' || c == '_' || c == '~') {
			return false
		}
	}
	return true
}
