package wallet

import (
	"errors"
	"fmt"
)

// RefusalReason says why the wallet refused an OpenID4VP Authorization Request.
type RefusalReason int

const (
	// ReasonMalformed: the link or the Request Object cannot be read (not a link with
	// client_id and request_uri, not a compact JWS, not JSON).
	ReasonMalformed RefusalReason = iota + 1
	// ReasonType: the Request Object's typ header is not oauth-authz-req+jwt (§5).
	ReasonType
	// ReasonClientID: the client_id of the link and of the Request Object differ (§5.10.1,
	// RFC 9101 §6.3).
	ReasonClientID
	// ReasonWalletNonce: the wallet_nonce the wallet POSTed did not come back (§5.10.1).
	ReasonWalletNonce
	// ReasonExpired: the Request Object's exp lies in the past.
	ReasonExpired
	// ReasonSignature: the Request Object's signature does not verify, or its alg is not
	// allowed.
	ReasonSignature
	// ReasonClientKey: the signing key is not the client's: a kid of another DID, an
	// x509_hash that is not the leaf certificate's, a leaf without the client's DNS name,
	// or no key at all (§5.9.3).
	ReasonClientKey
	// ReasonTrust: the certificate chain does not verify to the trusted roots, or none are
	// configured where they are required (§5.9.3 x509_san_dns).
	ReasonTrust
	// ReasonResponseURI: the response_uri is not on the client's DNS name (§5.9.3).
	ReasonResponseURI
	// ReasonUnsupported: something this wallet does not do: another Client Identifier
	// Prefix, another response mode, transaction_data, scope instead of dcql_query, no
	// usable encryption key.
	ReasonUnsupported
	// ReasonInvalid: the Authorization Request parameters are invalid (§5, §8.2, §8.3).
	ReasonInvalid
	// ReasonInsecureURI: a request_uri or response_uri that is not https.
	ReasonInsecureURI
)

var reasonNames = [...]string{
	ReasonMalformed:   "malformed request",
	ReasonType:        "wrong request object type",
	ReasonClientID:    "client_id mismatch",
	ReasonWalletNonce: "wallet_nonce not echoed",
	ReasonExpired:     "request object expired",
	ReasonSignature:   "invalid request object signature",
	ReasonClientKey:   "signing key is not the client's",
	ReasonTrust:       "verifier certificate not trusted",
	ReasonResponseURI: "response_uri not allowed for this client",
	ReasonUnsupported: "unsupported request",
	ReasonInvalid:     "invalid request",
	ReasonInsecureURI: "verifier URI is not https",
}

// String returns a short, human readable name of the reason.
func (r RefusalReason) String() string {
	if r <= 0 || int(r) >= len(reasonNames) {
		return fmt.Sprintf("refusal reason %d", int(r))
	}
	return reasonNames[r]
}

// Sentinel errors for errors.Is; each matches any *RequestError with the same reason.
var (
	ErrRequestMalformed   = &RequestError{Reason: ReasonMalformed}
	ErrRequestType        = &RequestError{Reason: ReasonType}
	ErrRequestClientID    = &RequestError{Reason: ReasonClientID}
	ErrRequestWalletNonce = &RequestError{Reason: ReasonWalletNonce}
	ErrRequestExpired     = &RequestError{Reason: ReasonExpired}
	ErrRequestSignature   = &RequestError{Reason: ReasonSignature}
	ErrRequestClientKey   = &RequestError{Reason: ReasonClientKey}
	ErrRequestTrust       = &RequestError{Reason: ReasonTrust}
	ErrRequestResponseURI = &RequestError{Reason: ReasonResponseURI}
	ErrRequestUnsupported = &RequestError{Reason: ReasonUnsupported}
	ErrRequestInvalid     = &RequestError{Reason: ReasonInvalid}
	ErrRequestInsecureURI = &RequestError{Reason: ReasonInsecureURI}
)

// RequestError is why ResolveRequest refused an Authorization Request. Err is the cause; it
// never holds credential data.
type RequestError struct {
	Reason RefusalReason
	Err    error
}

func refuse(reason RefusalReason, format string, args ...any) *RequestError {
	return &RequestError{Reason: reason, Err: fmt.Errorf(format, args...)}
}

func (e *RequestError) Error() string {
	msg := "openid4vp request refused: " + e.Reason.String()
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the cause.
func (e *RequestError) Unwrap() error { return e.Err }

// Is reports whether target is a sentinel (a *RequestError without a cause) of the same reason.
func (e *RequestError) Is(target error) bool {
	t, ok := target.(*RequestError)
	return ok && t.Err == nil && t.Reason == e.Reason
}

// VerifierError is an HTTP error answer of a verifier's Request URI or Response URI
// ({error, error_description}, §5.10.2, §8.2), or a redirect the wallet does not follow
// (§14.8: "it SHOULD NOT follow the redirect and SHOULD treat the response as an error").
type VerifierError struct {
	Status      int
	Code        string `json:"error"`
	Description string `json:"error_description"`
}

func (e *VerifierError) Error() string {
	return fmt.Sprintf("verifier answered %d %s: %s", e.Status, e.Code, e.Description)
}

// ErrConsentRefused is returned by Wallet.Present when the holder does not agree to share.
var ErrConsentRefused = errors.New("the holder did not consent: nothing was shared")

// ErrUnknownKey is returned when a credential's holder key is not in the wallet.
var ErrUnknownKey = errors.New("the holder key of this credential is not in this wallet")
