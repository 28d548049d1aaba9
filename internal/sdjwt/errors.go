package sdjwt

import (
	"errors"
	"fmt"
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
	if c <= 0 || int(c) >= len(codeNames) {
		return fmt.Sprintf("error code %d", int(c))
	}
	return codeNames[c]
}

// Sentinel errors for errors.Is; each matches any *Error with the same code.
var (
	ErrMalformed   = &Error{Code: CodeMalformed}
	ErrSignature   = &Error{Code: CodeSignature}
	ErrExpired     = &Error{Code: CodeExpired}
	ErrNotYetValid = &Error{Code: CodeNotYetValid}
	ErrDigest      = &Error{Code: CodeDigest}
	ErrKeyBinding  = &Error{Code: CodeKeyBinding}
	ErrUnsupported = &Error{Code: CodeUnsupported}
)

// Error is the error type of this package. Err is the internal cause; it never holds
// disclosure contents, only names and digests.
type Error struct {
	Code ErrorCode
	Err  error
}

// newError returns a fresh *Error with a cause built by fmt.Errorf.
func newError(code ErrorCode, format string, args ...any) *Error {
	return &Error{Code: code, Err: fmt.Errorf(format, args...)}
}

// wrapError returns a fresh *Error around err.
func wrapError(code ErrorCode, msg string, err error) *Error {
	return &Error{Code: code, Err: fmt.Errorf("%s: %w", msg, err)}
}

// Error implements error.
func (e *Error) Error() string {
	msg := "sdjwt: " + e.Code.String()
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is a sentinel (an *Error without a cause) of the same code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok || t.Err != nil {
		return false
	}
	return t.Code == e.Code
}

// CodeOf returns the code of the first *Error in err's chain, or 0 if there is none.
func CodeOf(err error) ErrorCode {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return 0
}
