package oid4vci

import "github.com/sociaaldomein/bewijs/internal/oauth"

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

// Error is the OAuth error response every protocol of bewijs shares (internal/oauth).
type Error = oauth.Error

// NewError returns a fresh protocol error.
func NewError(status int, code, description string, cause error) *Error {
	return oauth.NewError(status, code, description, cause)
}
