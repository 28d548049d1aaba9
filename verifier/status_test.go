package verifier

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/internal/statuslist"
)

// presentAt presents a default credential with a KB-JWT made at now.
func presentAt(t *testing.T, e *env, issuer testIssuer, c credential, now time.Time) string {
	t.Helper()
	kb := goodKB()
	kb.IssuedAt = now.Unix()
	return withKB(t, sdPart(present(t, issuer.issue(t, e.holder, c), e.holder, all)), e.holder, kb)
}

func optionsAt(now time.Time) Options {
	o := testOptions()
	o.Now = func() time.Time { return now }
	return o
}

// The verified status list is cached, yet never hides a new token nor outlives exp, and a
// list verified for one issuer is never accepted for another.
func TestVerifyPresentation_StatusCache(t *testing.T) {
	tests := []struct {
		name   string
		second func(t *testing.T, e *env) (string, Options)
		want   Reason
		detail string
	}{
		{"ok - same token again", func(t *testing.T, e *env) (string, Options) {
			return presentAt(t, e, e.issuer, credential{}, testNow), testOptions()
		}, "", ""},
		{"error - revoked in a new token", func(t *testing.T, e *env) (string, Options) {
			e.status.set(testStatusURI, statusToken(t, e.issuer.signer(), testStatusURI, map[int]statuslist.Status{idxValid: statuslist.Invalid}, nil))
			return presentAt(t, e, e.issuer, credential{}, testNow), testOptions()
		}, ReasonRevoked, ""},
		{"error - cached token expired", func(t *testing.T, e *env) (string, Options) {
			later := testNow.Add(2 * time.Hour)
			return presentAt(t, e, e.issuer, credential{}, later), optionsAt(later)
		}, ReasonStatusUnavailable, "has expired"},
		{"error - cached list of another issuer", func(t *testing.T, e *env) (string, Options) {
			e.verifier.trust = trustList{dids: map[string]bool{e.issuer.did: true, e.other.did: true}}
			return presentAt(t, e, e.other, credential{}, testNow), testOptions()
		}, ReasonStatusUnavailable, "not signed by the issuer"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			if _, err := e.verifier.VerifyPresentation(context.Background(), presentAt(t, e, e.issuer, credential{}, testNow), testOptions()); err != nil {
				t.Fatalf("first verification: %v", err)
			}
			if e.verifier.lists.len() != 1 {
				t.Fatalf("verified lists cached = %d, want 1", e.verifier.lists.len())
			}
			p, opts := tc.second(t, e)

			_, err := e.verifier.VerifyPresentation(context.Background(), p, opts)

			if got := ReasonOf(err); got != tc.want {
				t.Fatalf("reason = %q, want %q (%v)", got, tc.want, err)
			}
			if err != nil && !strings.Contains(failureOf(t, err).Detail, tc.detail) {
				t.Errorf("detail %q, want %q", failureOf(t, err).Detail, tc.detail)
			}
		})
	}
}

func TestStatusReference(t *testing.T) {
	ref := func(idx any, uri any) map[string]any {
		return map[string]any{"status": map[string]any{"status_list": map[string]any{"idx": idx, "uri": uri}}}
	}
	tests := []struct {
		name    string
		claims  map[string]any
		wantIdx int
		wantErr bool
	}{
		{"ok", ref(float64(7), testStatusURI), 7, false},
		{"error - no status", map[string]any{}, 0, true},
		{"error - status_list is not an object", map[string]any{"status": map[string]any{"status_list": "x"}}, 0, true},
		{"error - negative idx", ref(float64(-1), testStatusURI), 0, true},
		{"error - fractional idx", ref(1.5, testStatusURI), 0, true},
		{"error - idx is a string", ref("1", testStatusURI), 0, true},
		{"error - relative uri", ref(float64(1), "/status/1"), 0, true},
		{"error - uri missing", ref(float64(1), nil), 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			idx, uri, err := statusReference(tc.claims)
			if tc.wantErr {
				if ReasonOf(err) != ReasonStatusUnavailable {
					t.Fatalf("err = %v, want status_unavailable", err)
				}
				return
			}
			if err != nil || idx != tc.wantIdx || uri != testStatusURI {
				t.Fatalf("= %d %q %v", idx, uri, err)
			}
		})
	}
}

func TestStatusOf(t *testing.T) {
	tests := []struct {
		name string
		s    statuslist.Status
		want Reason
	}{
		{"ok - valid", statuslist.Valid, ""},
		{"error - invalid", statuslist.Invalid, ReasonRevoked},
		{"error - suspended", statuslist.Suspended, ReasonSuspended},
		{"error - application specific", 3, ReasonStatusUnavailable},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := statusOf(tc.s)
			if ReasonOf(err) != tc.want || (err == nil && got != StatusValid) {
				t.Fatalf("= %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}
