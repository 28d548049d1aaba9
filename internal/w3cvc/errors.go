package w3cvc

import "github.com/sociaaldomein/bewijs/internal/fault"

// Reason says why a credential, presentation or status list was refused. Callers map it to
// their protocol's error (OpenID4VP invalid_presentation, a problem type) and keep Cause
// as the internal detail.
type Reason string

const (
	// ReasonMalformed: not a compact JWS, a header or claim of the wrong type, a vc or vp
	// object that fails the VC Data Model 1.1 schema, claims that contradict the vc object,
	// or a credentialStatus this package does not support. SignJWT and
	// SignPresentationJWT use it for input they refuse to sign.
	ReasonMalformed Reason = "malformed"
	// ReasonSignature: the alg is not on the allow-list (ES256, ES384, EdDSA; never "none"
	// or HMAC) or the JWS does not verify with the key of its kid.
	ReasonSignature Reason = "signature"
	// ReasonIssuerMismatch: the kid is not a DID URL of the iss DID (the issuer of a VC, the
	// holder of a VP), or the vc/vp object names another issuer or holder than iss.
	ReasonIssuerMismatch Reason = "issuer_mismatch"
	// ReasonExpired: exp lies in the past, beyond the allowed skew.
	ReasonExpired Reason = "expired"
	// ReasonNotYetValid: nbf or iat lies in the future, beyond the allowed skew.
	ReasonNotYetValid Reason = "not_yet_valid"
	// ReasonKey: VerifyOptions.Key returned no key for the kid (unknown key, unresolvable
	// DID, or no Key function). The cause is wrapped: a did.Error tells whether retrying
	// can help.
	ReasonKey Reason = "key"
	// ReasonTooLarge: an encodedList inflates to more than the caller's cap (a zip bomb).
	ReasonTooLarge Reason = "too_large"
	// ReasonLength: a bitstring shorter than the 16 KB minimum (Bitstring Status List 1.0
	// STATUS_LIST_LENGTH_ERROR).
	ReasonLength Reason = "length"
	// ReasonRange: a status list index outside the bitstring (RANGE_ERROR).
	ReasonRange Reason = "range"
)

// Sentinels for errors.Is: every *Error matches the sentinel of its Reason.
var (
	ErrMalformed      = &Error{Reason: ReasonMalformed, Detail: "malformed"}
	ErrSignature      = &Error{Reason: ReasonSignature, Detail: "invalid signature"}
	ErrIssuerMismatch = &Error{Reason: ReasonIssuerMismatch, Detail: "issuer mismatch"}
	ErrExpired        = &Error{Reason: ReasonExpired, Detail: "expired"}
	ErrNotYetValid    = &Error{Reason: ReasonNotYetValid, Detail: "not yet valid"}
	ErrKey            = &Error{Reason: ReasonKey, Detail: "no key for kid"}
	ErrTooLarge       = &Error{Reason: ReasonTooLarge, Detail: "status list too large"}
	ErrLength         = &Error{Reason: ReasonLength, Detail: "status list too short"}
	ErrRange          = &Error{Reason: ReasonRange, Detail: "index out of range"}
)

// Error is the error type of this package: a reason, a description safe to show (it never
// holds claim values), and the internal cause.
type Error = fault.Error[Reason]

// Package names this package in error texts (fault.Reason).
func (Reason) Package() string { return "w3cvc" }

// ReasonOf returns the Reason of the first *Error in err's chain, or "" if there is none.
func ReasonOf(err error) Reason {
	r, _ := fault.ReasonOf[Reason](err)
	return r
}

func newError(r Reason, cause error, format string, args ...any) *Error {
	return fault.New(r, cause, format, args...)
}

func malformed(cause error, format string, args ...any) *Error {
	return newError(ReasonMalformed, cause, format, args...)
}
