package verifier

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"math"
	"strings"
	"sync"
	"time"
)

// Cache times of NewCachingStatusFetcher.
const (
	// DefaultStatusTTL is used when a token has neither ttl nor exp.
	DefaultStatusTTL = 60 * time.Second
	// MaxStatusTTL caps the ttl claim: however long the issuer allows caching, a revocation
	// is seen within this time.
	MaxStatusTTL = time.Hour
	// DefaultStatusCacheEntries is used when maxEntries <= 0.
	DefaultStatusCacheEntries = 1000
)

// cachingStatusFetcher keeps fetched tokens per uri for as long as the token allows.
type cachingStatusFetcher struct {
	next  StatusFetcher
	now   func() time.Time
	cache *lru[string, []byte]

	mu       sync.Mutex
	inflight map[string]*fetchCall
}

// fetchCall is one fetch in progress; concurrent callers for the same uri wait for it.
type fetchCall struct {
	done  chan struct{}
	token []byte
	err   error
}

// NewCachingStatusFetcher decorates next with a cache keyed by uri, bounded to maxEntries
// (<= 0: DefaultStatusCacheEntries). A token is kept for min(ttl, exp - now), read from its
// payload without verifying it (the Verifier verifies every token it uses); without either
// claim for DefaultStatusTTL, and never longer than MaxStatusTTL. Failures are not cached.
// Concurrent misses for one uri share a single fetch.
//
// Token Status List draft -20 §8.3 step 4.4: "If the Relying Party is using a system for
// caching the Status List Token, it SHOULD check the ttl claim of the Status List Token and
// retrieve a fresh copy if (time status was resolved + ttl < current time)".
func NewCachingStatusFetcher(next StatusFetcher, now func() time.Time, maxEntries int) StatusFetcher {
	if now == nil {
		now = time.Now
	}
	if maxEntries <= 0 {
		maxEntries = DefaultStatusCacheEntries
	}
	return &cachingStatusFetcher{next: next, now: now, cache: newLRU[string, []byte](maxEntries), inflight: map[string]*fetchCall{}}
}

// Fetch implements StatusFetcher.
func (f *cachingStatusFetcher) Fetch(ctx context.Context, uri string) ([]byte, error) {
	if token, ok := f.cache.get(uri, f.now()); ok {
		return token, nil
	}
	f.mu.Lock()
	if c, ok := f.inflight[uri]; ok {
		f.mu.Unlock()
		select {
		case <-c.done:
			return c.token, c.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	c := &fetchCall{done: make(chan struct{})}
	f.inflight[uri] = c
	f.mu.Unlock()

	c.token, c.err = f.next.Fetch(ctx, uri)
	if c.err == nil {
		now := f.now()
		f.cache.put(uri, c.token, now.Add(cacheTime(c.token, now)), now)
	}
	f.mu.Lock()
	delete(f.inflight, uri)
	f.mu.Unlock()
	close(c.done)
	return c.token, c.err
}

// cacheTime is how long token may be cached from now: min(ttl, exp - now), capped.
func cacheTime(token []byte, now time.Time) time.Duration {
	ttl, exp, ok := unverifiedTimes(token)
	if !ok {
		return 0 // not even a JWT: do not keep it
	}
	d := DefaultStatusTTL
	if ttl > 0 {
		d = ttl
	}
	// §5.1 ttl: "the maximum amount of time, in seconds, that the Status List Token can be
	// cached by a consumer before a fresh copy SHOULD be retrieved"; past exp it is useless.
	if !exp.IsZero() {
		d = min(d, exp.Sub(now))
	}
	return min(d, MaxStatusTTL)
}

// unverifiedTimes reads ttl and exp from the payload of a compact JWS without verifying it.
func unverifiedTimes(token []byte) (ttl time.Duration, exp time.Time, ok bool) {
	parts := strings.Split(string(token), ".")
	if len(parts) != 3 {
		return 0, time.Time{}, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return 0, time.Time{}, false
	}
	var c struct {
		TTL *float64 `json:"ttl"`
		Exp *float64 `json:"exp"`
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return 0, time.Time{}, false
	}
	if c.TTL != nil && *c.TTL > 0 {
		// Compare in seconds first: a huge ttl would overflow a Duration.
		ttl = MaxStatusTTL
		if *c.TTL < MaxStatusTTL.Seconds() {
			ttl = time.Duration(*c.TTL * float64(time.Second))
		}
	}
	if c.Exp != nil && !math.IsNaN(*c.Exp) && math.Abs(*c.Exp) < 1<<53 {
		exp = time.Unix(int64(*c.Exp), 0)
	}
	return ttl, exp, true
}
