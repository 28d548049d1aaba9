package did

import (
	"errors"
	"fmt"

	"github.com/sociaaldomein/bewijs/internal/fault"
)

// ErrorKind classifies why a DID operation failed. Callers map kinds to responses
// (for example NotFound and InvalidDocument to a 4xx, Unavailable to a 502/503).
type ErrorKind int

const (
	// NotFound means the DID does not exist (did:web: HTTP 404 or 410).
	NotFound ErrorKind = iota + 1
	// InvalidDocument means a DID document was obtained but is malformed, too large,
	// or does not belong to the DID that was resolved.
	InvalidDocument
	// UnsupportedMethod means the DID method (or a key type inside a did:key) is not supported.
	UnsupportedMethod
	// RefusedTarget means resolution would have contacted a refused network address
	// (loopback, private, link-local, ...). No connection was made.
	RefusedTarget
	// InvalidDID means the DID or DID URL is not syntactically valid for its method.
	InvalidDID
	// KeyNotFound means the DID document has no usable key for the requested
	// DID URL and verification relationship.
	KeyNotFound
	// Unavailable means a transient failure: network error, timeout or unexpected HTTP status.
	Unavailable
)

var kindNames = [...]string{
	NotFound:          "not found",
	InvalidDocument:   "invalid document",
	UnsupportedMethod: "unsupported method",
	RefusedTarget:     "refused target",
	InvalidDID:        "invalid DID",
	KeyNotFound:       "key not found",
	Unavailable:       "unavailable",
}

// String returns a short, human readable name of the kind.
func (k ErrorKind) String() string {
	return fault.NameOf(kindNames[:], k, "error kind")
}

// Package names this package in error texts (fault.Reason).
func (ErrorKind) Package() string { return "did" }

// Sentinel errors for errors.Is; they match any *Error of the same kind.
var (
	ErrNotFound          = fault.Sentinel(NotFound)
	ErrInvalidDocument   = fault.Sentinel(InvalidDocument)
	ErrUnsupportedMethod = fault.Sentinel(UnsupportedMethod)
	ErrRefusedTarget     = fault.Sentinel(RefusedTarget)
	ErrInvalidDID        = fault.Sentinel(InvalidDID)
	ErrKeyNotFound       = fault.Sentinel(KeyNotFound)
	ErrUnavailable       = fault.Sentinel(Unavailable)
)

// maxDIDInMessage bounds how much of an (attacker supplied) DID ends up in a message.
const maxDIDInMessage = 200

// Error is the error type of this package and of the method packages below it: Reason is its
// kind, Subject the DID concerned (truncated), Cause the internal cause, which never contains
// DID document bodies.
type Error = fault.Error[ErrorKind]

// NewError returns a fresh *Error.
func NewError(kind ErrorKind, did string, err error) *Error {
	return fault.Of(kind, truncate(did, maxDIDInMessage), err)
}

// Errorf returns a fresh *Error whose cause is built with fmt.Errorf.
func Errorf(kind ErrorKind, did string, format string, args ...any) *Error {
	return NewError(kind, did, fmt.Errorf(format, args...))
}

// KindOf returns the kind of the first *Error in err's chain, or 0 if there is none.
func KindOf(err error) ErrorKind {
	k, _ := fault.ReasonOf[ErrorKind](err)
	return k
}

// WithDID returns err with its DID set to did when err is an *Error without a DID.
// Other errors, and *Errors that already name a DID, are returned unchanged.
func WithDID(err error, did string) error {
	var e *Error
	if !errors.As(err, &e) || e.Subject != "" {
		return err
	}
	return NewError(e.Reason, did, e.Cause)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
