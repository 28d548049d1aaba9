// Package pki anchors tenant signing keys in X.509, which the NL public wallet and HAIP require
// of issuers: HAIP 1.0 §6.1.1 ("Issuer identification and key resolution") mandates an `x5c`
// chain on every SD-JWT VC. It runs a pilot CA whose private key lives in a keys.Backend, issues
// leaf certificates for tenant keys, parses and checks chains imported from real CAs, and
// verifies `x5c` chains for verifiers. It knows nothing of HTTP or storage engines; the store it
// needs is declared here and implemented in pki/store.
package pki

import (
	"context"
	"errors"

	"github.com/sociaaldomein/bewijs/internal/audit"
)

// Reason says why a certificate operation was refused.
type Reason string

// The reasons a certificate operation is refused.
const (
	ReasonCAExists     Reason = "ca_exists"       // a pilot CA exists already
	ReasonNoCA         Reason = "no_ca"           // no pilot CA yet, or it has expired
	ReasonMalformed    Reason = "malformed_chain" // not a PEM chain of X.509 certificates
	ReasonKeyMismatch  Reason = "key_mismatch"    // the leaf certifies another key
	ReasonExpired      Reason = "expired"         // a certificate's notAfter has passed
	ReasonNotYetValid  Reason = "not_yet_valid"   // a certificate's notBefore lies ahead
	ReasonUntrusted    Reason = "untrusted_chain" // signatures or constraints do not verify
	ReasonUnsuitable   Reason = "unsuitable_leaf" // the leaf cannot sign credentials
	ReasonInvalidInput Reason = "invalid_request" // the caller's request is incomplete
)

// Error is a refused certificate operation. Description is safe to show to the operator; Cause
// (when set) is the underlying library error.
type Error struct {
	Reason      Reason
	Description string
	Cause       error
}

func (e *Error) Error() string {
	if e.Cause != nil {
		return e.Description + ": " + e.Cause.Error()
	}
	return e.Description
}

func (e *Error) Unwrap() error { return e.Cause }

// IsReason reports whether err is (or wraps) a *Error with the given reason.
func IsReason(err error, r Reason) bool {
	var pe *Error
	return errors.As(err, &pe) && pe.Reason == r
}

func newError(r Reason, description string, cause error) *Error {
	return &Error{Reason: r, Description: description, Cause: cause}
}

func errCAExists() *Error {
	return newError(ReasonCAExists, "a pilot CA exists already; pilot CAs are not replaced, use `bewijs pki ca` to print its certificate", nil)
}

func errNoCA() *Error {
	return newError(ReasonNoCA, "there is no pilot CA; create one with `bewijs pki init`", nil)
}

func errCAExpired() *Error {
	return newError(ReasonNoCA, "the pilot CA has expired; it cannot issue certificates any more", nil)
}

// Errors the store returns at its boundary; Authority turns them into *Error values.
var (
	ErrNotFound = errors.New("pki: not found")
	ErrConflict = errors.New("pki: already exists")
)

// Auditor records security decisions.
type Auditor interface {
	Record(ctx context.Context, e audit.Event) error
}
