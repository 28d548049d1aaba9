package policies

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// newEmbedded returns an engine on the embedded policies.
func newEmbedded(t testing.TB) *Engine {
	t.Helper()
	e, err := New(t.Context(), DefaultConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// writeFiles writes name → content into dir, replacing what is there.
func writeFiles(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// startRunning starts e.Run until the test ends.
func startRunning(t *testing.T, e *Engine) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { e.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
}

// eventually polls cond until it holds or five seconds have passed.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// mustDecide decides or fails the test.
func mustDecide(t testing.TB, e *Engine, policy string, input any) Decision {
	t.Helper()
	d, err := e.Decide(t.Context(), policy, input)
	if err != nil {
		t.Fatalf("Decide(%s): %v", policy, err)
	}
	return d
}

func hasReasonContaining(d Decision, part string) bool {
	for _, r := range d.Reasons {
		if strings.Contains(r, part) {
			return true
		}
	}
	return false
}
