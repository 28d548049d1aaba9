package tenant

import (
	"sync"
	"time"

	"github.com/sociaaldomein/bewijs/internal/jose"
)

// Bounds of the lookup cache. Every protocol request looks its tenant up by slug, and signing
// needs the active key opened; both change rarely. A tenant's slug, kind and identifiers never
// change once created; a key rotated or removed on another replica is seen here within
// cacheTTL (on this replica at once). An old key signs for at most that long, and keeps
// verifying, since rotation leaves it in the DID document.
const (
	cacheTTL     = 30 * time.Second
	cacheEntries = 1024
)

type cached[T any] struct {
	v     T
	until time.Time
}

// ttlCache is a small map with expiry, cleared when full.
type ttlCache[T any] struct {
	mu sync.Mutex
	m  map[string]cached[T]
}

func newTTLCache[T any]() *ttlCache[T] { return &ttlCache[T]{m: map[string]cached[T]{}} }

func (c *ttlCache[T]) get(key string, now time.Time) (T, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok || !now.Before(e.until) {
		var zero T
		return zero, false
	}
	return e.v, true
}

func (c *ttlCache[T]) put(key string, v T, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= cacheEntries {
		clear(c.m)
	}
	c.m[key] = cached[T]{v: v, until: now.Add(cacheTTL)}
}

func (c *ttlCache[T]) drop(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, key)
}

// caches are the Service's lookup caches.
type caches struct {
	tenants *ttlCache[Tenant]
	signers *ttlCache[jose.Signer]
}

func newCaches() caches {
	return caches{tenants: newTTLCache[Tenant](), signers: newTTLCache[jose.Signer]()}
}
