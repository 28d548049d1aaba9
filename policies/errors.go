package policies

import (
	"fmt"

	"github.com/sociaaldomein/bewijs/internal/fault"
)

// ErrorKind classifies why loading or evaluating policies failed.
type ErrorKind int

const (
	// LoadFailed means the policy files could not be read, or there were none.
	LoadFailed ErrorKind = iota + 1
	// CompileFailed means a policy file does not parse or the set does not compile.
	CompileFailed
	// TestsFailed means the set compiles but one of its own Rego tests fails.
	TestsFailed
	// UnknownPolicy means the active set has no package bewijs.<name> with a decision rule, or
	// that policy has no decision rule of the name DecideRule was asked for.
	UnknownPolicy
	// UnknownQuery means the active set has no named query of that name.
	UnknownQuery
	// InvalidInput means the input is not a JSON value.
	InvalidInput
	// EvalFailed means evaluation stopped with an error (a conflict, a cancelled context, ...).
	EvalFailed
	// InvalidDecision means the policy gave no decision, or one not shaped
	// {"allow": bool, "reasons": [string]}. Callers treat it, like every error, as a deny.
	InvalidDecision
)

var kindNames = [...]string{
	LoadFailed:      "load failed",
	CompileFailed:   "compile failed",
	TestsFailed:     "rego tests failed",
	UnknownPolicy:   "unknown policy",
	UnknownQuery:    "unknown named query",
	InvalidInput:    "invalid input",
	EvalFailed:      "evaluation failed",
	InvalidDecision: "invalid decision",
}

// String returns a short name of the kind.
func (k ErrorKind) String() string {
	return fault.NameOf(kindNames[:], k, "error kind")
}

// Package names this package in error texts (fault.Reason).
func (ErrorKind) Package() string { return "policies" }

// Sentinel errors for errors.Is; each matches any *Error of its kind.
var (
	ErrLoadFailed      = fault.Sentinel(LoadFailed)
	ErrCompileFailed   = fault.Sentinel(CompileFailed)
	ErrTestsFailed     = fault.Sentinel(TestsFailed)
	ErrUnknownPolicy   = fault.Sentinel(UnknownPolicy)
	ErrUnknownQuery    = fault.Sentinel(UnknownQuery)
	ErrInvalidInput    = fault.Sentinel(InvalidInput)
	ErrEvalFailed      = fault.Sentinel(EvalFailed)
	ErrInvalidDecision = fault.Sentinel(InvalidDecision)
)

// Error is the error type of this package: Reason is its kind, Subject the quoted policy or
// named query concerned, if any, Cause the cause (OPA's errors name the file and line).
type Error = fault.Error[ErrorKind]

// newError returns a fresh *Error about the policy or named query name ("" for none).
func newError(kind ErrorKind, name string, err error) *Error {
	if name == "" {
		return fault.Of(kind, "", err)
	}
	return fault.Of(kind, fmt.Sprintf("%q", name), err)
}

// errorf returns a fresh *Error whose cause is built with fmt.Errorf.
func errorf(kind ErrorKind, name, format string, args ...any) *Error {
	return newError(kind, name, fmt.Errorf(format, args...))
}

// KindOf returns the kind of the first *Error in err's chain, or 0 if there is none.
func KindOf(err error) ErrorKind {
	k, _ := fault.ReasonOf[ErrorKind](err)
	return k
}
