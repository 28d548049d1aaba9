// Package fault is the one shape of the typed errors of bewijs' leaf packages: a reason the
// caller can switch on, a detail safe to show (never claim values or personal data), what the
// error concerns (a DID, a policy name; optional), and the internal cause. Each package keeps its own Reason type, so its errors stay its own type
// (fault.Error[statuslist.Reason] is not fault.Error[w3cvc.Reason]). It imports only the
// standard library.
package fault

import (
	"errors"
	"fmt"
)

// Reason is a package's reason type; Package names the package in error texts.
type Reason interface {
	comparable
	Package() string
}

// Error is a failure for a reason, with a safe detail and the cause.
type Error[R Reason] struct {
	Reason R
	Detail string
	// Subject is what the error concerns, shown after the detail; "" for none.
	Subject string
	Cause   error
}

// New returns a fresh *Error with a Detail built by fmt.Sprintf.
func New[R Reason](r R, cause error, format string, args ...any) *Error[R] {
	return &Error[R]{Reason: r, Detail: fmt.Sprintf(format, args...), Cause: cause}
}

func (e *Error[R]) Error() string {
	msg := e.Reason.Package() + ": " + e.Detail
	if e.Subject != "" {
		msg += " " + e.Subject
	}
	if e.Cause != nil {
		msg += ": " + e.Cause.Error()
	}
	return msg
}

// Unwrap returns the cause.
func (e *Error[R]) Unwrap() error { return e.Cause }

// Is matches any *Error of the same package with the same Reason, so that errors.Is(err,
// sentinel) works.
func (e *Error[R]) Is(target error) bool {
	t, ok := target.(*Error[R])
	return ok && t.Reason == e.Reason
}

// ReasonOf returns the Reason of the first *Error[R] in err's chain, and whether there is one.
func ReasonOf[R Reason](err error) (R, bool) {
	var e *Error[R]
	if errors.As(err, &e) {
		return e.Reason, true
	}
	var zero R
	return zero, false
}

// Named is a Reason that names itself (did, policies and sdjwt number their kinds and keep a
// table of names).
type Named interface {
	Reason
	String() string
}

// Of returns a fresh *Error of reason r about subject ("" for none); its detail is the
// reason's name.
func Of[R Named](r R, subject string, cause error) *Error[R] {
	return &Error[R]{Reason: r, Detail: r.String(), Subject: subject, Cause: cause}
}

// Sentinel is the *Error that errors.Is matches for every error of reason r.
func Sentinel[R Named](r R) *Error[R] { return Of(r, "", nil) }

// NameOf returns names[k], or prefix and the number for a value the table does not name.
func NameOf[K ~int](names []string, k K, prefix string) string {
	if k <= 0 || int(k) >= len(names) || names[k] == "" {
		return fmt.Sprintf("%s %d", prefix, int(k))
	}
	return names[k]
}
