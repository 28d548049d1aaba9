package did

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestError_Is(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		target error
		want   bool
	}{
		{"ok - same kind", NewError(NotFound, "did:web:example.com", nil), ErrNotFound, true},
		{"ok - wrapped", fmt.Errorf("resolving: %w", Errorf(Unavailable, "did:web:a", "timeout")), ErrUnavailable, true},
		{"ok - cause still reachable", NewError(InvalidDocument, "", ErrPrivateKeyMaterial), ErrPrivateKeyMaterial, true},
		{"error - other kind", NewError(NotFound, "did:web:a", nil), ErrUnavailable, false},
		{"ok - any error of the same kind", NewError(NotFound, "did:web:a", nil), NewError(NotFound, "did:web:b", nil), true},
		{"error - plain error", errors.New("x"), ErrNotFound, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := errors.Is(tt.err, tt.target); got != tt.want {
				t.Fatalf("errors.Is = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestKindOf(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want ErrorKind
	}{
		{"ok - direct", NewError(RefusedTarget, "", nil), RefusedTarget},
		{"ok - wrapped", fmt.Errorf("x: %w", NewError(KeyNotFound, "", nil)), KeyNotFound},
		{"error - nil", nil, 0},
		{"error - foreign", errors.New("x"), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := KindOf(tt.err); got != tt.want {
				t.Fatalf("KindOf = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestWithDID(t *testing.T) {
	tests := []struct {
		name    string
		err     error
		wantDID string
	}{
		{"ok - sets missing DID", NewError(InvalidDocument, "", errors.New("bad")), "did:web:a"},
		{"ok - keeps existing DID", NewError(InvalidDocument, "did:web:b", nil), "did:web:b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e *Error
			if !errors.As(WithDID(tt.err, "did:web:a"), &e) {
				t.Fatal("not an *Error")
			}
			if e.Subject != tt.wantDID {
				t.Fatalf("DID = %q, want %q", e.Subject, tt.wantDID)
			}
		})
	}
	t.Run("ok - foreign error unchanged", func(t *testing.T) {
		plain := errors.New("x")
		if got := WithDID(plain, "did:web:a"); got != plain {
			t.Fatalf("got %v", got)
		}
	})
}

func TestError_Error(t *testing.T) {
	tests := []struct {
		name string
		err  *Error
		want string
	}{
		{"ok - full", Errorf(NotFound, "did:web:a", "HTTP %d", 404), "did: not found did:web:a: HTTP 404"},
		{"ok - kind only", ErrKeyNotFound, "did: key not found"},
		{"ok - long DID truncated", NewError(InvalidDID, "did:x:"+strings.Repeat("a", 500), nil),
			"did: invalid DID did:x:" + strings.Repeat("a", maxDIDInMessage-6) + "..."},
		{"ok - unknown kind", NewError(99, "", nil), "did: error kind 99"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Fatalf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}
