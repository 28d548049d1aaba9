package oid4vp

import (
	"fmt"
	"net/http"
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

// invalidRequest is the error most request checks return.
func invalidRequest(format string, args ...any) *Error {
	return NewError(http.StatusBadRequest, ErrInvalidRequest, fmt.Sprintf(format, args...), nil)
}
