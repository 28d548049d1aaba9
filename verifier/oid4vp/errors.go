package oid4vp

import (
	"fmt"
	"net/http"

	"github.com/sociaaldomein/bewijs/internal/oauth"
)

// Error codes: RFC 6749 §4.1.2.1 (authorization errors), RFC 9101 §6.2 (JAR) and
// OpenID4VP §8.5, which adds vp_formats_not_supported, invalid_request_uri_method,
// invalid_transaction_data and wallet_unavailable.
const (
	ErrInvalidRequest          = "invalid_request"
	ErrUnauthorizedClient      = "unauthorized_client"
	ErrAccessDenied            = "access_denied"
	ErrUnsupportedResponseType = "unsupported_response_type"
	ErrInvalidScope            = "invalid_scope"
	ErrServerError             = "server_error"
	ErrTemporarilyUnavailable  = "temporarily_unavailable"
	ErrInvalidClient           = "invalid_client"
	ErrInvalidRequestURI       = "invalid_request_uri"
	ErrInvalidRequestObject    = "invalid_request_object"
	ErrRequestNotSupported     = "request_not_supported"
	ErrRequestURINotSupported  = "request_uri_not_supported"
	ErrVPFormatsNotSupported   = "vp_formats_not_supported"
	ErrInvalidRequestURIMethod = "invalid_request_uri_method"
	ErrInvalidTransactionData  = "invalid_transaction_data"
	ErrWalletUnavailable       = "wallet_unavailable"
)

// Error is the OAuth error response every protocol of bewijs shares (internal/oauth).
type Error = oauth.Error

// NewError returns a fresh protocol error.
func NewError(status int, code, description string, cause error) *Error {
	return oauth.NewError(status, code, description, cause)
}

// invalidRequest is the error most request checks return.
func invalidRequest(format string, args ...any) *Error {
	return NewError(http.StatusBadRequest, ErrInvalidRequest, fmt.Sprintf(format, args...), nil)
}
