package policies

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a log sink that the reload goroutine and the test may share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

const gateTest = `package bewijs.gate_test

import data.bewijs.gate

test_allows_above_the_limit if gate.allow with input as {"n": 100}
`

// newReloading starts an engine on a temporary directory holding the gate policy with limit
// 10, reloading every 50ms.
func newReloading(t *testing.T) (*Engine, string, *syncBuffer) {
	t.Helper()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"gate.rego": gatePolicy(10), "gate_test.rego": gateTest})
	logs := &syncBuffer{}
	cfg := DefaultConfig()
	cfg.Dir, cfg.ReloadInterval = dir, 50*time.Millisecond
	e, err := New(t.Context(), cfg, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	startRunning(t, e)
	return e, dir, logs
}

func gateAllows(t *testing.T, e *Engine, n int) bool {
	return mustDecide(t, e, "gate", map[string]any{"n": n}).Allow
}

func TestReload(t *testing.T) {
	e, dir, logs := newReloading(t)
	first := e.Revision()
	if gateAllows(t, e, 5) {
		t.Fatal("limit 10 allows 5")
	}

	// A changed rule applies at the next poll.
	writeFiles(t, dir, map[string]string{"gate.rego": gatePolicy(1)})
	eventually(t, "the new limit applies", func() bool { return gateAllows(t, e, 5) })
	good := e.Revision()
	if good == first || e.LastError() != nil {
		t.Fatalf("revision %s (was %s), LastError %v", good, first, e.LastError())
	}

	// A file that does not parse is reported and changes nothing.
	writeFiles(t, dir, map[string]string{"gate.rego": "package bewijs.gate\n\nallow if {\n"})
	eventually(t, "LastError reports the broken file", func() bool { return e.LastError() != nil })
	if err := e.LastError(); !errors.Is(err, ErrCompileFailed) || !strings.Contains(err.Error(), "gate.rego:") {
		t.Errorf("LastError() = %v, want a compile error naming gate.rego", err)
	}
	if d := mustDecide(t, e, "gate", map[string]any{"n": 5}); !d.Allow || d.Revision != good {
		t.Errorf("with a broken file on disk: %+v, want the last good set %s", d, good)
	}

	// So does a set that fails its own Rego tests.
	writeFiles(t, dir, map[string]string{"gate.rego": gatePolicy(1000)})
	eventually(t, "LastError reports the failing Rego test", func() bool { return errors.Is(e.LastError(), ErrTestsFailed) })
	if !strings.Contains(e.LastError().Error(), "test_allows_above_the_limit") || !gateAllows(t, e, 5) || e.Revision() != good {
		t.Errorf("LastError() = %v, revision %s; want the failing test named and %s kept", e.LastError(), e.Revision(), good)
	}

	// A fixed file applies again.
	writeFiles(t, dir, map[string]string{"gate.rego": gatePolicy(7)})
	eventually(t, "the fixed policy applies", func() bool { return e.LastError() == nil && gateAllows(t, e, 8) })
	if gateAllows(t, e, 5) {
		t.Error("limit 7 allows 5")
	}
	if n := strings.Count(logs.String(), "policy files rejected"); n != 2 {
		t.Errorf("logged %d rejections, want 2 (each bad set once):\n%s", n, logs)
	}
}

// Going back to the files of the active set clears LastError without a rebuild.
func TestReloadBackToTheActiveFiles(t *testing.T) {
	e, dir, _ := newReloading(t)
	active := e.Revision()
	writeFiles(t, dir, map[string]string{"gate.rego": "not rego"})
	eventually(t, "the broken file is reported", func() bool { return e.LastError() != nil })

	writeFiles(t, dir, map[string]string{"gate.rego": gatePolicy(10)})

	eventually(t, "LastError clears", func() bool { return e.LastError() == nil })
	if e.Revision() != active {
		t.Errorf("revision %s, want %s", e.Revision(), active)
	}
}

// An emptied directory is an error, not an empty policy set.
func TestReloadEmptiedDirectory(t *testing.T) {
	e, dir, _ := newReloading(t)
	for _, name := range []string{"gate.rego", "gate_test.rego"} {
		if err := os.Remove(filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}

	eventually(t, "the empty directory is reported", func() bool { return errors.Is(e.LastError(), ErrLoadFailed) })
	if !gateAllows(t, e, 11) {
		t.Error("the last good set should still decide")
	}
}

// Decisions go on, race-free, while sets are swapped.
func TestDecideDuringReloads(t *testing.T) {
	e, dir, _ := newReloading(t)
	ctx, cancel := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for ctx.Err() == nil {
				if _, err := e.Decide(ctx, "gate", map[string]any{"n": 5}); err != nil && ctx.Err() == nil {
					t.Errorf("Decide: %v", err)
					return
				}
			}
		})
	}
	for limit := range 5 {
		writeFiles(t, dir, map[string]string{"gate.rego": gatePolicy(limit)})
		if err := e.Reload(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	cancel()
	wg.Wait()
	if !gateAllows(t, e, 5) {
		t.Error("limit 4 should allow 5")
	}
}

// With the embedded policies Run only waits for its context.
func TestRunEmbeddedReturnsWhenCancelled(t *testing.T) {
	e := newEmbedded(t)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { e.Run(ctx); close(done) }()

	cancel()

	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	if err := e.Reload(t.Context()); err != nil || e.LastError() != nil {
		t.Errorf("Reload of the embedded set = %v, LastError %v", err, e.LastError())
	}
}
