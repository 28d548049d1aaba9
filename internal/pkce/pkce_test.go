package pkce_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/sociaaldomein/bewijs/internal/pkce"
)

// RFC 7636 Appendix B.
const (
	rfcVerifier  = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
	rfcChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
)

func TestChallengeRFC7636AppendixB(t *testing.T) {
	if got := pkce.Challenge(rfcVerifier); got != rfcChallenge {
		t.Fatalf("Challenge = %s, want %s", got, rfcChallenge)
	}
}

func TestNewVerifier(t *testing.T) {
	a, err := pkce.NewVerifier()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := pkce.NewVerifier()
	if len(a) != 43 || a == b {
		t.Fatalf("verifiers %q %q: want 43 characters, fresh each time", a, b)
	}
	if err := pkce.Verify(pkce.Challenge(a), pkce.MethodS256, a); err != nil {
		t.Fatalf("own verifier: %v", err)
	}
}

func TestVerify(t *testing.T) {
	long := strings.Repeat("a~.-_Z9", 19)[:128]
	tests := []struct {
		name      string
		challenge string
		method    string
		verifier  string
		want      error
	}{
		{"ok - RFC 7636 Appendix B", rfcChallenge, "S256", rfcVerifier, nil},
		{"ok - 128 characters, all unreserved kinds", pkce.Challenge(long), "S256", long, nil},
		{"ok - 43 characters", pkce.Challenge(strings.Repeat("x", 43)), "S256", strings.Repeat("x", 43), nil},
		{"error - plain", rfcVerifier, "plain", rfcVerifier, pkce.ErrUnsupportedMethod},
		{"error - no method", rfcChallenge, "", rfcVerifier, pkce.ErrUnsupportedMethod},
		{"error - method in lower case", rfcChallenge, "s256", rfcVerifier, pkce.ErrUnsupportedMethod},
		{"error - other verifier", rfcChallenge, "S256", strings.Repeat("x", 43), pkce.ErrMismatch},
		{"error - verifier is the challenge", rfcChallenge, "S256", rfcChallenge, pkce.ErrMismatch},
		{"error - 42 characters", pkce.Challenge(strings.Repeat("x", 42)), "S256", strings.Repeat("x", 42), pkce.ErrInvalidVerifier},
		{"error - 129 characters", pkce.Challenge(strings.Repeat("x", 129)), "S256", strings.Repeat("x", 129), pkce.ErrInvalidVerifier},
		{"error - reserved character", pkce.Challenge(strings.Repeat("x", 42) + "+"), "S256", strings.Repeat("x", 42) + "+", pkce.ErrInvalidVerifier},
		{"error - non-ASCII", pkce.Challenge(strings.Repeat("x", 42) + "é"), "S256", strings.Repeat("x", 42) + "é", pkce.ErrInvalidVerifier},
		{"error - empty verifier", rfcChallenge, "S256", "", pkce.ErrInvalidVerifier},
		{"error - empty challenge", "", "S256", rfcVerifier, pkce.ErrMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := pkce.Verify(tt.challenge, tt.method, tt.verifier)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("Verify = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestCheckChallenge(t *testing.T) {
	tests := []struct {
		name      string
		challenge string
		method    string
		want      error
	}{
		{"ok - RFC 7636 Appendix B", rfcChallenge, "S256", nil},
		{"error - plain", rfcChallenge, "plain", pkce.ErrUnsupportedMethod},
		{"error - no method", rfcChallenge, "", pkce.ErrUnsupportedMethod},
		{"error - too short", rfcChallenge[:42], "S256", pkce.ErrInvalidChallenge},
		{"error - padded", rfcChallenge + "=", "S256", pkce.ErrInvalidChallenge},
		{"error - not base64url", strings.Repeat("+", 43), "S256", pkce.ErrInvalidChallenge},
		{"error - a verifier, not a hash", strings.Repeat("x", 64), "S256", pkce.ErrInvalidChallenge},
		{"error - empty", "", "S256", pkce.ErrInvalidChallenge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := pkce.CheckChallenge(tt.challenge, tt.method)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("CheckChallenge = %v, want %v", err, tt.want)
			}
		})
	}
}

// FuzzVerify: Verify never panics and accepts only a verifier whose challenge it was given.
func FuzzVerify(f *testing.F) {
	f.Add(rfcChallenge, "S256", rfcVerifier)
	f.Add(rfcChallenge, "plain", rfcChallenge)
	f.Add("", "", "")
	f.Fuzz(func(t *testing.T, challenge, method, verifier string) {
		if pkce.Verify(challenge, method, verifier) == nil && pkce.Challenge(verifier) != challenge {
			t.Fatalf("accepted verifier %q for challenge %q", verifier, challenge)
		}
		_ = pkce.CheckChallenge(challenge, method)
	})
}
