package sdjwt

import (
	"fmt"

	"github.com/sociaaldomein/bewijs/internal/fault"
)

// ErrorCode says why an SD-JWT was refused. Callers map codes to protocol errors
// (for example OpenID4VP invalid_presentation) and keep Err as the internal cause.
type ErrorCode int

const (
	// CodeMalformed means the input is not an SD-JWT (RFC 9901 §4): bad serialization,
	// base64url, JSON, disclosure shape, or a size or depth limit was exceeded. Issue
	// also uses it for claims it refuses to issue.
	CodeMalformed ErrorCode = iota + 1
	// CodeSignature means the Issuer-signed JWT did not verify with the given key, or its
	// algorithm is not allowed (RFC 9901 §7.1 step 2).
	CodeSignature
	// CodeExpired means exp lies in the past (beyond the allowed skew).
	CodeExpired
	// CodeNotYetValid means nbf, or iat, lies in the future (beyond the allowed skew).
	CodeNotYetValid
	// CodeDigest means a disclosure is unreferenced, presented twice, or a digest appears
	// more than once (RFC 9901 §7.1 steps 4 and 5).
	CodeDigest
	// CodeKeyBinding means the Key Binding JWT is missing, or invalid (RFC 9901 §7.3).
	CodeKeyBinding
	// CodeUnsupported means a feature this package does not implement, such as an _sd_alg
	// other than sha-256.
	CodeUnsupported
)

var codeNames = [...]string{
	CodeMalformed:   "malformed",
	CodeSignature:   "invalid signature",
	CodeExpired:     "expired",
	CodeNotYetValid: "not yet valid",
	CodeDigest:      "invalid disclosure digest",
	CodeKeyBinding:  "invalid key binding",
	CodeUnsupported: "unsupported",
}

// String returns a short, human readable name of the code.
func (c ErrorCode) String() string {
	return fault.NameOf(codeNames[:], c, "error code")
}

// Package names this package in error texts (fault.Reason).
func (ErrorCode) Package() string { return "sdjwt" }

// Sentinel errors for errors.Is; each matches any *Error with the same code.
var (
	ErrMalformed   = fault.Sentinel(CodeMalformed)
	ErrSignature   = fault.Sentinel(CodeSignature)
	ErrExpired     = fault.Sentinel(CodeExpired)
	ErrNotYetValid = fault.Sentinel(CodeNotYetValid)
	ErrDigest      = fault.Sentinel(CodeDigest)
	ErrKeyBinding  = fault.Sentinel(CodeKeyBinding)
	ErrUnsupported = fault.Sentinel(CodeUnsupported)
)

// Error is the error type of this package: Reason is its code, Cause the internal cause,
// which never holds disclosure contents, only names and digests.
type Error = fault.Error[ErrorCode]

// newError returns a fresh *Error with a cause built by fmt.Errorf.
func newError(code ErrorCode, format string, args ...any) *Error {
	return fault.Of(code, "", fmt.Errorf(format, args...))
}

// wrapError returns a fresh *Error around err.
func wrapError(code ErrorCode, msg string, err error) *Error {
	return fault.Of(code, "", fmt.Errorf("%s: %w", msg, err))
}

// CodeOf returns the code of the first *Error in err's chain, or 0 if there is none.
func CodeOf(err error) ErrorCode {
	c, _ := fault.ReasonOf[ErrorCode](err)
	return c
}
