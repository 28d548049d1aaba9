package policies

import (
	"errors"
	"fmt"
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
	if k <= 0 || int(k) >= len(kindNames) {
		return fmt.Sprintf("error kind %d", int(k))
	}
	return kindNames[k]
}

// Sentinel errors for errors.Is; each matches any *Error of its kind.
var (
	ErrLoadFailed      = &Error{Kind: LoadFailed}
	ErrCompileFailed   = &Error{Kind: CompileFailed}
	ErrTestsFailed     = &Error{Kind: TestsFailed}
	ErrUnknownPolicy   = &Error{Kind: UnknownPolicy}
	ErrUnknownQuery    = &Error{Kind: UnknownQuery}
	ErrInvalidInput    = &Error{Kind: InvalidInput}
	ErrEvalFailed      = &Error{Kind: EvalFailed}
	ErrInvalidDecision = &Error{Kind: InvalidDecision}
)

// Error is the error type of this package. Name is the policy or named query concerned, if any;
// Err the cause (OPA's errors name the file and line).
type Error struct {
	Kind ErrorKind
	Name string
	Err  error
}

// newError returns a fresh *Error.
func newError(kind ErrorKind, name string, err error) *Error {
	return &Error{Kind: kind, Name: name, Err: err}
}

// errorf returns a fresh *Error whose cause is built with fmt.Errorf.
func errorf(kind ErrorKind, name, format string, args ...any) *Error {
	return &Error{Kind: kind, Name: name, Err: fmt.Errorf(format, args...)}
}

// Error implements error.
func (e *Error) Error() string {
	msg := "policies: " + e.Kind.String()
	if e.Name != "" {
		msg += " " + fmt.Sprintf("%q", e.Name)
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is a sentinel (an *Error with only a Kind) of the same kind.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok || t.Name != "" || t.Err != nil {
		return false
	}
	return t.Kind == e.Kind
}

// KindOf returns the kind of the first *Error in err's chain, or 0 if there is none.
func KindOf(err error) ErrorKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return 0
}
