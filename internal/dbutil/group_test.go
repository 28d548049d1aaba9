package dbutil

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"
)

// TestGroupBatchesWhileBusy: calls that arrive while a batch runs go together in the next
// one, at most max at a time, and each gets its own outcome.
func TestGroupBatchesWhileBusy(t *testing.T) {
	release := make(chan struct{})
	started := make(chan struct{}, 1)
	var mu sync.Mutex
	var batches [][]int
	g := NewGroup(3, false, func(_ context.Context, items []int) []error {
		mu.Lock()
		batches = append(batches, append([]int(nil), items...))
		first := len(batches) == 1
		mu.Unlock()
		if first {
			started <- struct{}{}
			<-release
		}
		errs := make([]error, len(items))
		for i, v := range items {
			if v%2 == 1 {
				errs[i] = fmt.Errorf("odd %d", v)
			}
		}
		return errs
	})
	results := make([]error, 8)
	var wg sync.WaitGroup
	wg.Go(func() { results[0] = g.Do(t.Context(), 0) })
	<-started
	// Seven more calls queue behind the running batch.
	for i := 1; i < 8; i++ {
		wg.Go(func() { results[i] = g.Do(t.Context(), i) })
	}
	waitQueued(t, g, 7)
	close(release)
	wg.Wait()

	for i, err := range results {
		if (i%2 == 1) != (err != nil) || (err != nil && err.Error() != fmt.Sprintf("odd %d", i)) {
			t.Errorf("call %d: err = %v", i, err)
		}
	}
	if len(batches) != 4 || len(batches[0]) != 1 {
		t.Fatalf("batches = %v, want [0] then 7 items in batches of at most 3", batches)
	}
	seen := map[int]bool{}
	for _, b := range batches[1:] {
		if len(b) > 3 {
			t.Errorf("batch %v is larger than max 3", b)
		}
		for _, v := range b {
			seen[v] = true
		}
	}
	if len(seen) != 7 {
		t.Errorf("the queued calls ran as %v", batches[1:])
	}
}

func waitQueued[T any](t *testing.T, g *Group[T], n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		g.mu.Lock()
		k := len(g.queue)
		g.mu.Unlock()
		if k == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d calls queued, want %d", k, n)
		}
		runtime.Gosched()
	}
}

// TestGroupRunsAloneWhenIdle: without contention every call is its own batch, at once.
func TestGroupRunsAloneWhenIdle(t *testing.T) {
	sizes := 0
	g := NewGroup(8, false, func(_ context.Context, items []string) []error {
		sizes += len(items)
		return make([]error, len(items))
	})
	for i := range 5 {
		if err := g.Do(t.Context(), fmt.Sprint(i)); err != nil {
			t.Fatal(err)
		}
	}
	if sizes != 5 || g.busy || len(g.queue) != 0 {
		t.Fatalf("ran %d items; busy %v, queue %d", sizes, g.busy, len(g.queue))
	}
}

// TestGroupDetachesFromLeaderCancel: the batch runs even when the leading call's context is
// cancelled, because the other calls in it did not ask to stop.
func TestGroupDetachesFromLeaderCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	g := NewGroup(8, false, func(ctx context.Context, items []int) []error {
		return []error{ctx.Err()}
	})
	if err := g.Do(ctx, 1); err != nil {
		t.Fatalf("the batch saw the leader's cancellation: %v", err)
	}
}

// TestGroupPanicPassesLead: a panicking batch fails its calls and the next batch still runs.
func TestGroupPanicPassesLead(t *testing.T) {
	release := make(chan struct{})
	started := make(chan struct{})
	calls := 0
	g := NewGroup(8, false, func(_ context.Context, items []int) []error {
		calls++
		if calls == 1 {
			close(started)
			<-release
			panic("boom")
		}
		return make([]error, len(items))
	})
	panicked := make(chan any, 1)
	go func() {
		defer func() { panicked <- recover() }()
		_ = g.Do(context.Background(), 1)
	}()
	<-started
	done := make(chan error, 1)
	go func() { done <- g.Do(context.Background(), 2) }()
	waitQueued(t, g, 1)
	close(release)
	if p := <-panicked; p != "boom" {
		t.Fatalf("recovered %v, want the panic of run", p)
	}
	if err := <-done; err != nil {
		t.Fatalf("the call queued behind a panicking batch: %v", err)
	}
	// A call that was in the panicking batch itself gets an error, not a hang.
	g2 := NewGroup(8, false, func(context.Context, []int) []error { return nil })
	if err := g2.Do(t.Context(), 1); !errors.Is(err, errGroupRun) {
		t.Fatalf("run without outcomes: err = %v", err)
	}
}

// TestGroupYieldBatchesOnOneCore: on a single core, with a run that never blocks (pure-Go
// SQLite), only yield lets calls gather into batches.
func TestGroupYieldBatchesOnOneCore(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	for _, yield := range []bool{false, true} {
		batches := 0
		g := NewGroup(64, yield, func(_ context.Context, items []int) []error {
			batches++
			return make([]error, len(items))
		})
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Go(func() {
				if err := g.Do(context.Background(), i); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if yield && batches >= 8 || !yield && batches != 8 {
			t.Errorf("yield %v: 8 calls ran in %d batches", yield, batches)
		}
	}
}
