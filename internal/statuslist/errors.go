package statuslist

import "github.com/sociaaldomein/bewijs/internal/fault"

// Reason says why a status list operation failed.
type Reason int

const (
	// ReasonBits: bits is not 1, 2, 4 or 8.
	ReasonBits Reason = iota + 1
	// ReasonSize: a list size or byte cap that is not positive.
	ReasonSize
	// ReasonIndex: an index outside the list.
	ReasonIndex
	// ReasonStatus: a status value that does not fit in the list's bits.
	ReasonStatus
	// ReasonMalformed: an lst that is not base64url or not a ZLIB stream.
	ReasonMalformed
	// ReasonTooLarge: an lst that decompresses to more than the caller's cap.
	ReasonTooLarge
	// ReasonClaims: a token payload that cannot be built (bad uri, times or ttl).
	ReasonClaims
)

// Sentinels for errors.Is: every *Error matches the sentinel of its Reason.
var (
	ErrBits      = &Error{Reason: ReasonBits, Detail: "bits must be 1, 2, 4 or 8"}
	ErrSize      = &Error{Reason: ReasonSize, Detail: "size must be positive"}
	ErrIndex     = &Error{Reason: ReasonIndex, Detail: "index out of range"}
	ErrStatus    = &Error{Reason: ReasonStatus, Detail: "status does not fit in bits"}
	ErrMalformed = &Error{Reason: ReasonMalformed, Detail: "malformed status list"}
	ErrTooLarge  = &Error{Reason: ReasonTooLarge, Detail: "status list too large"}
	ErrClaims    = &Error{Reason: ReasonClaims, Detail: "invalid status list token claims"}
)

// Error is a status list failure: its reason, a description safe to show, and the cause.
type Error = fault.Error[Reason]

// Package names this package in error texts (fault.Reason).
func (Reason) Package() string { return "statuslist" }

func newError(r Reason, cause error, format string, args ...any) *Error {
	return fault.New(r, cause, format, args...)
}

func bitsError(bits int) *Error {
	return newError(ReasonBits, nil, "bits must be 1, 2, 4 or 8 (got %d)", bits)
}

func indexError(idx, size int) *Error {
	return newError(ReasonIndex, nil, "index %d outside the list [0, %d)", idx, size)
}

func statusError(s Status, bits int) *Error {
	return newError(ReasonStatus, nil, "status %d does not fit in %d bits", s, bits)
}

func malformed(cause error, what string) *Error {
	return newError(ReasonMalformed, cause, "malformed lst: %s", what)
}

func claimsError(what string) *Error {
	return newError(ReasonClaims, nil, "status list token: %s", what)
}
