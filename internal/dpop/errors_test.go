package dpop_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/sociaaldomein/bewijs/internal/dpop"
)

func TestErrors(t *testing.T) {
	cause := errors.New("internal cause")
	tests := []struct {
		name     string
		err      *dpop.Error
		code     string
		is, isnt error
	}{
		{"ok - invalid proof", dpop.NewInvalidProof("bad htu", cause), "invalid_dpop_proof", dpop.ErrInvalidProof, dpop.ErrUseNonce},
		{"ok - use nonce", dpop.NewUseNonce("nonce required"), "use_dpop_nonce", dpop.ErrUseNonce, dpop.ErrInvalidProof},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wrapped := fmt.Errorf("token endpoint: %w", tt.err)
			if tt.err.Code != tt.code || !errors.Is(wrapped, tt.is) || errors.Is(wrapped, tt.isnt) {
				t.Fatalf("%v: code %q, Is(%v) %v, Is(%v) %v", tt.err, tt.err.Code,
					tt.is, errors.Is(wrapped, tt.is), tt.isnt, errors.Is(wrapped, tt.isnt))
			}
			if tt.err.Err != nil && !errors.Is(wrapped, cause) {
				t.Fatal("cause is not unwrapped")
			}
		})
	}
	if a, b := dpop.NewUseNonce("x"), dpop.NewUseNonce("x"); a == b {
		t.Fatal("constructors must return fresh values")
	}
}
