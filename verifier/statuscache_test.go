package verifier

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/internal/statuslist"
)

// countingFetcher serves tokens by uri and counts the fetches; fail makes it fail.
type countingFetcher struct {
	tokens map[string][]byte
	calls  atomic.Int32
	fail   bool
	gate   chan struct{} // if set, each fetch waits for it
}

func (f *countingFetcher) Fetch(_ context.Context, uri string) ([]byte, error) {
	f.calls.Add(1)
	if f.gate != nil {
		<-f.gate
	}
	if f.fail {
		return nil, errors.New("unavailable")
	}
	return f.tokens[uri], nil
}

// clock is a settable test clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestCachingStatusFetcher(t *testing.T) {
	is := newTestIssuer(t)
	withClaims := func(mod func(map[string]any)) []byte {
		return statusToken(t, is.signer(), testStatusURI, nil, mod)
	}
	tests := []struct {
		name      string
		token     []byte
		fail      bool
		after     time.Duration // the clock moves this far before the second fetch
		wantCalls int32
	}{
		// statusToken has iat now-1m, exp now+1h and ttl 5m.
		{"ok - within ttl", withClaims(nil), false, 4 * time.Minute, 1},
		{"ok - ttl passed", withClaims(nil), false, 6 * time.Minute, 2},
		{"ok - exp before ttl", withClaims(func(c map[string]any) { c["exp"] = testNow.Add(2 * time.Minute).Unix() }), false, 3 * time.Minute, 2},
		{"ok - default ttl without ttl and exp", withClaims(func(c map[string]any) { delete(c, "ttl"); delete(c, "exp") }), false, 59 * time.Second, 1},
		{"ok - default ttl passed", withClaims(func(c map[string]any) { delete(c, "ttl"); delete(c, "exp") }), false, 61 * time.Second, 2},
		{"ok - huge ttl is capped", withClaims(func(c map[string]any) { c["ttl"] = 1e300; delete(c, "exp") }), false, MaxStatusTTL + time.Second, 2},
		{"ok - not a JWT is not cached", []byte("garbage"), false, 0, 2},
		{"error - failures are not cached", nil, true, 0, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			next := &countingFetcher{tokens: map[string][]byte{testStatusURI: tc.token}, fail: tc.fail}
			clk := &clock{now: testNow}
			f := NewCachingStatusFetcher(next, clk.Now, 10)

			first, err1 := f.Fetch(context.Background(), testStatusURI)
			clk.advance(tc.after)
			second, err2 := f.Fetch(context.Background(), testStatusURI)

			if got := next.calls.Load(); got != tc.wantCalls {
				t.Errorf("fetches = %d, want %d", got, tc.wantCalls)
			}
			if tc.fail {
				if err1 == nil || err2 == nil {
					t.Fatal("a failing fetch succeeded")
				}
				return
			}
			if err1 != nil || err2 != nil || string(first) != string(tc.token) || string(second) != string(tc.token) {
				t.Fatalf("= %q %v, %q %v", first, err1, second, err2)
			}
		})
	}
}

func TestCachingStatusFetcher_Capacity(t *testing.T) {
	is := newTestIssuer(t)
	uris := []string{"https://a.example/s/1", "https://a.example/s/2", "https://a.example/s/3"}
	next := &countingFetcher{tokens: map[string][]byte{}}
	for _, u := range uris {
		next.tokens[u] = statusToken(t, is.signer(), u, nil, nil)
	}
	f := NewCachingStatusFetcher(next, func() time.Time { return testNow }, 2)

	for _, u := range uris { // 3 misses; the first is evicted
		_, _ = f.Fetch(context.Background(), u)
	}
	_, _ = f.Fetch(context.Background(), uris[2]) // hit
	_, _ = f.Fetch(context.Background(), uris[0]) // miss again

	if got := next.calls.Load(); got != 4 {
		t.Errorf("fetches = %d, want 4", got)
	}
}

// Concurrent misses for one uri share one fetch.
func TestCachingStatusFetcher_SharedFetch(t *testing.T) {
	is := newTestIssuer(t)
	next := &countingFetcher{tokens: map[string][]byte{testStatusURI: statusToken(t, is.signer(), testStatusURI, map[int]statuslist.Status{}, nil)}, gate: make(chan struct{})}
	f := NewCachingStatusFetcher(next, func() time.Time { return testNow }, 10)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			_, err := f.Fetch(context.Background(), testStatusURI)
			errs <- err
		})
	}
	for next.calls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond) // let the others queue behind the first fetch
	close(next.gate)
	wg.Wait()
	close(errs)

	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := next.calls.Load(); got != 1 {
		t.Errorf("fetches = %d, want 1", got)
	}
}
