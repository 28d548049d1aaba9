// Package oauth holds the error type every OAuth-based protocol of bewijs answers with
// (RFC 6749 §5.2 and §4.1.2.1: {"error", "error_description"}): OpenID4VCI (issuer/oid4vci)
// and OpenID4VP (verifier/oid4vp) alias it, so package api maps both in one place. A leaf:
// standard library only.
package oauth

import "fmt"

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
