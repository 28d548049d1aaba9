// Package dpop implements OAuth 2.0 Demonstrating Proof of Possession (DPoP, RFC 9449) for
// both sides: New makes a proof (the wallet), Verify checks one (the issuer's token and
// credential endpoints). It knows nothing of HTTP frameworks or storage: the caller takes the
// single DPoP header value from the request, and keeps the jti replay cache.
package dpop

import (
	"crypto"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/sociaaldomein/bewijs/internal/jose"
)

const (
	// HeaderName is the request header that carries the proof (RFC 9449 §4.1).
	HeaderName = "DPoP"
	// NonceHeader is the response header by which a server supplies a nonce (RFC 9449 §8, §9).
	NonceHeader = "DPoP-Nonce"
	// ProofType is the typ JOSE header of a DPoP proof JWT (RFC 9449 §4.2).
	ProofType = "dpop+jwt"
)

// Proof is a verified DPoP proof.
type Proof struct {
	JWK      crypto.PublicKey
	JKT      string // RFC 7638 thumbprint (base64url SHA-256) of JWK: the value for cnf.jkt
	JTI      string
	IssuedAt time.Time
	Method   string
	URL      string // htu as sent
	Nonce    string
	ATH      string
}

// Thumbprint is the JWK SHA-256 Thumbprint (RFC 7638) of pub, base64url without padding:
// the value of cnf.jkt and of dpop_jkt (RFC 9449 §6.1, §10).
func Thumbprint(pub crypto.PublicKey) (string, error) {
	return jose.Thumbprint(pub)
}

// AccessTokenHash is the ath claim for an access token: "the result of a base64url encoding
// ... the SHA-256 hash of the ASCII encoding of the associated access token's value"
// (RFC 9449 §4.2).
func AccessTokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// Error codes of RFC 9449 §12.2.
const (
	// CodeInvalidProof: the DPoP proof was deemed invalid per §4.3 (§5, §7.1).
	CodeInvalidProof = "invalid_dpop_proof"
	// CodeUseNonce: the server requires a nonce it supplied in the DPoP-Nonce header (§8, §9).
	CodeUseNonce = "use_dpop_nonce"
)

// Sentinels for errors.Is: every *Error matches the one of its Code.
var (
	ErrInvalidProof = errors.New(CodeInvalidProof)
	ErrUseNonce     = errors.New(CodeUseNonce)
)

// Error is a DPoP protocol error. Code and Description may go on the wire (error and
// error_description); Err is the internal cause and stays in the server log.
type Error struct {
	Code        string
	Description string
	Err         error
}

// NewInvalidProof returns a fresh invalid_dpop_proof error.
func NewInvalidProof(description string, cause error) *Error {
	return &Error{Code: CodeInvalidProof, Description: description, Err: cause}
}

// NewUseNonce returns a fresh use_dpop_nonce error. The caller answers it with a DPoP-Nonce
// header carrying the nonce to use (RFC 9449 §8).
func NewUseNonce(description string) *Error {
	return &Error{Code: CodeUseNonce, Description: description}
}

func (e *Error) Error() string {
	msg := "dpop: " + e.Code
	if e.Description != "" {
		msg += ": " + e.Description
	}
	if e.Err != nil {
		msg = fmt.Sprintf("%s: %v", msg, e.Err)
	}
	return msg
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is the sentinel of e's code.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrInvalidProof:
		return e.Code == CodeInvalidProof
	case ErrUseNonce:
		return e.Code == CodeUseNonce
	}
	return false
}
