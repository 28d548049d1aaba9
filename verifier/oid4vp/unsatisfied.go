package oid4vp

import (
	"fmt"
	"strings"
)

// UnsatisfiedError says which part of a DCQL query the credentials at hand do not satisfy:
// a Credential Query (CredentialQueryID, and the claim when one is missing), or a Credential
// Set Query (CredentialSet, an index into credential_sets; -1 when not about a set).
type UnsatisfiedError struct {
	CredentialQueryID string
	CredentialSet     int
	ClaimID           string
	ClaimPath         []any
	Reason            string
}

func (e *UnsatisfiedError) Error() string {
	var b strings.Builder
	b.WriteString("dcql: ")
	if e.CredentialSet >= 0 {
		fmt.Fprintf(&b, "credential_sets[%d]", e.CredentialSet)
	} else {
		fmt.Fprintf(&b, "credential query %q", e.CredentialQueryID)
	}
	if e.ClaimPath != nil {
		fmt.Fprintf(&b, ", claim %s", formatPath(e.ClaimPath))
		if e.ClaimID != "" {
			fmt.Fprintf(&b, " (id %q)", e.ClaimID)
		}
	}
	b.WriteString(": ")
	b.WriteString(e.Reason)
	return b.String()
}

// unsatisfiedCredential builds the error for a Credential Query without a claim.
func unsatisfiedCredential(id, format string, args ...any) *UnsatisfiedError {
	return &UnsatisfiedError{CredentialQueryID: id, CredentialSet: -1, Reason: fmt.Sprintf(format, args...)}
}

// unsatisfiedClaim builds the error for a missing claim of a Credential Query.
func unsatisfiedClaim(id string, claim ClaimsQuery, reason string) *UnsatisfiedError {
	return &UnsatisfiedError{
		CredentialQueryID: id, CredentialSet: -1,
		ClaimID: claim.ID, ClaimPath: claim.Path, Reason: reason,
	}
}

// unsatisfiedSet builds the error for a required Credential Set Query.
func unsatisfiedSet(index int, format string, args ...any) *UnsatisfiedError {
	return &UnsatisfiedError{CredentialSet: index, Reason: fmt.Sprintf(format, args...)}
}

// formatPath renders a claims path pointer as JSON-like text: ["degrees",null,"type"].
func formatPath(path []any) string {
	parts := make([]string, len(path))
	for i, el := range path {
		switch v := el.(type) {
		case nil:
			parts[i] = "null"
		case string:
			parts[i] = fmt.Sprintf("%q", v)
		default:
			parts[i] = fmt.Sprint(v)
		}
	}
	return "[" + strings.Join(parts, ",") + "]"
}
