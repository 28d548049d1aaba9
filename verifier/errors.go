package verifier

import (
	"errors"
	"fmt"
)

// Reason is the machine-readable code of a failed verification: one per failure, so a
// caller (the api layer, the audit log, a dashboard) can count and map them without
// parsing text. Every Reason maps to OpenID4VP invalid_presentation-style errors except
// ReasonStatusUnavailable and ReasonTrustUnavailable, which are the verifier's own trouble.
type Reason string

const (
	// ReasonMalformed: the presentation or vp_token is not what OpenID4VP and SD-JWT VC
	// prescribe (serialization, base64url, JSON, shape of vp_token).
	ReasonMalformed Reason = "malformed"
	// ReasonTooLarge: a presentation or the whole vp_token exceeds its size limit.
	ReasonTooLarge Reason = "too_large"
	// ReasonTyp: the issuer-signed JWT's typ is not dc+sd-jwt.
	ReasonTyp Reason = "wrong_typ"
	// ReasonUnknownVCT: the vct is not one this verifier knows.
	ReasonUnknownVCT Reason = "unknown_vct"
	// ReasonIssuerUnresolvable: the kid is not a DID URL, or its DID does not resolve to a
	// document with that key in assertionMethod.
	ReasonIssuerUnresolvable Reason = "issuer_unresolvable"
	// ReasonIssuerMismatch: the iss claim is not the DID of the key that signed the credential.
	ReasonIssuerMismatch Reason = "issuer_mismatch"
	// ReasonSignature: the issuer-signed JWT does not verify with the issuer's key.
	ReasonSignature Reason = "invalid_signature"
	// ReasonExpired: exp lies in the past.
	ReasonExpired Reason = "expired"
	// ReasonNotYetValid: nbf or iat lies in the future.
	ReasonNotYetValid Reason = "not_yet_valid"
	// ReasonDisclosure: a disclosure is not referenced by the credential, is presented twice,
	// or a digest repeats.
	ReasonDisclosure Reason = "invalid_disclosure"
	// ReasonKeyBindingMissing: no KB-JWT was presented.
	ReasonKeyBindingMissing Reason = "key_binding_missing"
	// ReasonKeyBinding: the KB-JWT is invalid for another reason than those below
	// (signature, typ, no cnf.jwk, missing iat).
	ReasonKeyBinding Reason = "invalid_key_binding"
	// ReasonNonce: the KB-JWT nonce is not the nonce of the request.
	ReasonNonce Reason = "wrong_nonce"
	// ReasonAudience: the KB-JWT aud is not this verifier's client identifier.
	ReasonAudience Reason = "wrong_audience"
	// ReasonStale: the KB-JWT iat lies outside the acceptable window (too old, or in the future).
	ReasonStale Reason = "stale_key_binding"
	// ReasonSDHash: the KB-JWT sd_hash does not match the presented SD-JWT.
	ReasonSDHash Reason = "wrong_sd_hash"
	// ReasonStatusUnavailable: the status could not be established: no reference, the list
	// could not be fetched, or it does not verify (wrong typ, signer, sub, expired, index).
	ReasonStatusUnavailable Reason = "status_unavailable"
	// ReasonRevoked: the status list says INVALID (0x01).
	ReasonRevoked Reason = "revoked"
	// ReasonSuspended: the status list says SUSPENDED (0x02).
	ReasonSuspended Reason = "suspended"
	// ReasonUntrustedIssuer: the trust policy does not allow this issuer to issue this vct.
	ReasonUntrustedIssuer Reason = "untrusted_issuer"
	// ReasonTrustUnavailable: the trust policy could not be evaluated.
	ReasonTrustUnavailable Reason = "trust_unavailable"
	// ReasonQueryNotSatisfied: the presentations do not answer the DCQL query.
	ReasonQueryNotSatisfied Reason = "query_not_satisfied"
	// ReasonInvalidRequest: the Options do not describe a valid request: no Audience or
	// Nonce, or a Query that is not valid DCQL. The caller's mistake, not the wallet's.
	ReasonInvalidRequest Reason = "invalid_request"
	// ReasonUnsupportedFormat: a credential query asks for a format other than dc+sd-jwt.
	ReasonUnsupportedFormat Reason = "unsupported_format"
)

// Failure is the error type of this package: the Reason, a Detail safe to show to the
// wallet or the aanbieder (never claim values, never personal data), the Credential Query
// the failing presentation answered ("" for VerifyPresentation and for failures about the
// whole vp_token) and the internal cause for the log.
type Failure struct {
	Reason            Reason
	Detail            string
	CredentialQueryID string
	Err               error
}

// newFailure returns a fresh *Failure with a Detail built by fmt.Sprintf.
func newFailure(r Reason, cause error, format string, args ...any) *Failure {
	return &Failure{Reason: r, Detail: fmt.Sprintf(format, args...), Err: cause}
}

// Error implements error.
func (f *Failure) Error() string {
	msg := "verifier: " + string(f.Reason)
	if f.CredentialQueryID != "" {
		msg += " (credential query " + f.CredentialQueryID + ")"
	}
	if f.Detail != "" {
		msg += ": " + f.Detail
	}
	if f.Err != nil && f.Err.Error() != f.Detail {
		msg += ": " + f.Err.Error()
	}
	return msg
}

// Unwrap returns the internal cause.
func (f *Failure) Unwrap() error { return f.Err }

// Is matches a *Failure with the same Reason and no Detail, cause or query id, so that
// errors.Is(err, &verifier.Failure{Reason: verifier.ReasonRevoked}) works.
func (f *Failure) Is(target error) bool {
	t, ok := target.(*Failure)
	if !ok || t.Detail != "" || t.Err != nil || t.CredentialQueryID != "" {
		return false
	}
	return t.Reason == f.Reason
}

// ReasonOf returns the Reason of the first *Failure in err's chain, or "" if there is none.
func ReasonOf(err error) Reason {
	var f *Failure
	if errors.As(err, &f) {
		return f.Reason
	}
	return ""
}

// forQuery sets the Credential Query id on a *Failure; other errors are returned as they are.
func forQuery(err error, id string) error {
	var f *Failure
	if errors.As(err, &f) && f.CredentialQueryID == "" {
		c := *f
		c.CredentialQueryID = id
		return &c
	}
	return err
}
