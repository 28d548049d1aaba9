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
