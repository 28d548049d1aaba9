package fault_test

import (
	"errors"
	"io"
	"testing"

	"github.com/sociaaldomein/bewijs/internal/fault"
)

type alpha string

func (alpha) Package() string { return "alpha" }

type beta int

func (beta) Package() string { return "beta" }

func TestError(t *testing.T) {
	err := fault.New(alpha("expired"), io.EOF, "exp %d lies in the past", 42)
	if got := err.Error(); got != "alpha: exp 42 lies in the past: EOF" {
		t.Errorf("Error() = %q", got)
	}
	cases := []struct {
		name   string
		target error
		want   bool
	}{
		{"ok - same reason", &fault.Error[alpha]{Reason: "expired"}, true},
		{"ok - the cause", io.EOF, true},
		{"error - another reason", &fault.Error[alpha]{Reason: "signature"}, false},
		{"error - another package's error type", &fault.Error[beta]{Reason: 1}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := errors.Is(err, tc.target); got != tc.want {
				t.Fatalf("errors.Is = %v, want %v", got, tc.want)
			}
		})
	}
	about := &fault.Error[alpha]{Reason: "unknown", Detail: "not found", Subject: "did:web:example.nl", Cause: io.EOF}
	if got := about.Error(); got != "alpha: not found did:web:example.nl: EOF" {
		t.Errorf("Error() with a subject = %q", got)
	}
	wrapped := errors.Join(errors.New("context"), err)
	if r, ok := fault.ReasonOf[alpha](wrapped); !ok || r != "expired" {
		t.Errorf("ReasonOf = %q %v", r, ok)
	}
	if _, ok := fault.ReasonOf[beta](wrapped); ok {
		t.Error("ReasonOf found another package's reason")
	}
}

type kind int

var kindNames = [...]string{1: "not found", 3: "refused"}

func (k kind) Package() string { return "gamma" }
func (k kind) String() string  { return fault.NameOf(kindNames[:], k, "kind") }

func TestNamedReasons(t *testing.T) {
	for k, want := range map[kind]string{1: "not found", 2: "kind 2", 3: "refused", 0: "kind 0", 9: "kind 9", -1: "kind -1"} {
		if got := k.String(); got != want {
			t.Errorf("NameOf(%d) = %q, want %q", int(k), got, want)
		}
	}
	err := fault.Of(kind(1), "did:web:example.nl", io.EOF)
	if got := err.Error(); got != "gamma: not found did:web:example.nl: EOF" {
		t.Errorf("Error() = %q", got)
	}
	if !errors.Is(err, fault.Sentinel(kind(1))) || errors.Is(err, fault.Sentinel(kind(3))) {
		t.Error("a sentinel matches errors of its reason only")
	}
	if got := fault.Sentinel(kind(3)).Error(); got != "gamma: refused" {
		t.Errorf("sentinel Error() = %q", got)
	}
}
