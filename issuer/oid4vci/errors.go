package oid4vci

import "fmt"

// Error codes: RFC 6749 §5.2 (token endpoint), OpenID4VCI §6.3 (token), §8.3.1.2 (credential),
// §11.3 (notification), RFC 9449 §12.2 (DPoP) and RFC 9126 (PAR).
const (
	ErrInvalidRequest                 = "invalid_request"
	ErrInvalidClient                  = "invalid_client"
	ErrInvalidGrant                   = "invalid_grant"
	ErrUnauthorizedClient             = "unauthorized_client"
	ErrUnsupportedGrantType           = "unsupported_grant_type"
	ErrInvalidScope                   = "invalid_scope"
	ErrAccessDenied                   = "access_denied"
	ErrInvalidToken                   = "invalid_token"
	ErrInvalidCredentialRequest       = "invalid_credential_request"
	ErrUnknownCredentialConfiguration = "unknown_credential_configuration"
	ErrUnknownCredentialIdentifier    = "unknown_credential_identifier"
	ErrInvalidProof                   = "invalid_proof"
	ErrInvalidNonce                   = "invalid_nonce"
	ErrInvalidEncryptionParameters    = "invalid_encryption_parameters"
	ErrCredentialRequestDenied        = "credential_request_denied"
	ErrInvalidNotificationID          = "invalid_notification_id"
	ErrInvalidNotificationRequest     = "invalid_notification_request"
	ErrInvalidDPoPProof               = "invalid_dpop_proof"
	ErrUseDPoPNonce                   = "use_dpop_nonce"
	ErrInvalidAuthorizationDetails    = "invalid_authorization_details"
	ErrServerError                    = "server_error"
)

// Error is an OAuth-style protocol error: the code and a description safe to show go on the
// wire; Cause stays in the server log. Status is the HTTP status the code maps to.
type Error struct {
	Code        string `json:"error"`
	Description string `json:"error_description,omitempty"`
	Status      int    `json:"-"`
	Cause       error  `json:"-"`
}

func (e *Error) Error() string {
	if e.Cause != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Description, e.Cause)
	}
	return e.Code + ": " + e.Description
}

func (e *Error) Unwrap() error { return e.Cause }

// NewError returns a fresh protocol error.
func NewError(status int, code, description string, cause error) *Error {
	return &Error{Code: code, Description: description, Status: status, Cause: cause}
}
