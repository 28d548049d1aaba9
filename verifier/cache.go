package verifier

import (
	"container/list"
	"sync"
	"time"
)

// lru is a size-bounded, least-recently-used map whose entries expire at their own time.
// It is safe for concurrent use. Values are shared, not copied: store only immutable ones.
// The clock is the caller's: each call passes the current time, so that a verification
// with a fixed Options.Now sees the cache as of that time.
type lru[K comparable, V any] struct {
	size int

	mu    sync.Mutex
	order *list.List // of *lruEntry[K, V], most recently used first
	items map[K]*list.Element
}

type lruEntry[K comparable, V any] struct {
	key     K
	val     V
	expires time.Time
}

func newLRU[K comparable, V any](size int) *lru[K, V] {
	return &lru[K, V]{size: size, order: list.New(), items: make(map[K]*list.Element)}
}

// get returns the value for key unless it is absent or expired at now.
func (c *lru[K, V]) get(key K, now time.Time) (V, bool) {
	var zero V
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		return zero, false
	}
	e := el.Value.(*lruEntry[K, V])
	if !now.Before(e.expires) {
		c.remove(el)
		return zero, false
	}
	c.order.MoveToFront(el)
	return e.val, true
}

// put stores val until expires, evicting the least recently used entries beyond size.
// An entry that is already expired at now, or a cache of size 0, stores nothing.
func (c *lru[K, V]) put(key K, val V, expires, now time.Time) {
	if c.size <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.remove(el)
	}
	if !now.Before(expires) {
		return
	}
	c.items[key] = c.order.PushFront(&lruEntry[K, V]{key: key, val: val, expires: expires})
	for c.order.Len() > c.size {
		c.remove(c.order.Back())
	}
}

func (c *lru[K, V]) remove(el *list.Element) {
	c.order.Remove(el)
	delete(c.items, el.Value.(*lruEntry[K, V]).key)
}

func (c *lru[K, V]) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
