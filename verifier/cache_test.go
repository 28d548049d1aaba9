package verifier

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/did"
)

func TestLRU(t *testing.T) {
	tests := []struct {
		name  string
		size  int
		run   func(c *lru[string, int])
		after time.Duration
		want  map[string]bool // key -> present
	}{
		{"ok - hit before expiry", 2, func(c *lru[string, int]) { c.put("a", 1, testNow.Add(time.Minute), testNow) }, 59 * time.Second, map[string]bool{"a": true}},
		{"ok - miss at expiry", 2, func(c *lru[string, int]) { c.put("a", 1, testNow.Add(time.Minute), testNow) }, time.Minute, map[string]bool{"a": false}},
		{"ok - already expired is not stored", 2, func(c *lru[string, int]) { c.put("a", 1, testNow, testNow) }, 0, map[string]bool{"a": false}},
		{"ok - size 0 stores nothing", 0, func(c *lru[string, int]) { c.put("a", 1, testNow.Add(time.Hour), testNow) }, 0, map[string]bool{"a": false}},
		{"ok - least recently used is evicted", 2, func(c *lru[string, int]) {
			exp := testNow.Add(time.Hour)
			c.put("a", 1, exp, testNow)
			c.put("b", 2, exp, testNow)
			c.get("a", testNow) // b is now the least recently used
			c.put("c", 3, exp, testNow)
		}, 0, map[string]bool{"a": true, "b": false, "c": true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newLRU[string, int](tc.size)
			tc.run(c)
			for k, want := range tc.want {
				if _, got := c.get(k, testNow.Add(tc.after)); got != want {
					t.Errorf("%s present = %v, want %v", k, got, want)
				}
			}
		})
	}
}

// countingResolver counts resolutions.
type countingResolver struct {
	next  did.Resolver
	calls atomic.Int32
}

func (r *countingResolver) Resolve(ctx context.Context, id string) (did.Document, error) {
	r.calls.Add(1)
	return r.next.Resolve(ctx, id)
}

// The issuer key is resolved once per issuerKeyTTL, for credentials and status lists alike.
func TestIssuerKeyCache(t *testing.T) {
	e := newEnv(t)
	r := &countingResolver{next: newResolver(t)}
	v := New(r, e.status, e.trust)
	p := standard(t, e, credential{})
	for _, at := range []time.Time{testNow, testNow.Add(30 * time.Second), testNow.Add(issuerKeyTTL + time.Second)} {
		opts := optionsAt(at)
		if _, err := v.VerifyPresentation(context.Background(), withKB(t, sdPart(p), e.holder, kbPayload{IssuedAt: at.Unix(), Audience: testAud, Nonce: testNonce}), opts); err != nil {
			t.Fatal(err)
		}
	}
	if got := r.calls.Load(); got != 2 {
		t.Errorf("resolutions = %d, want 2 (one, then one after the TTL)", got)
	}
}
