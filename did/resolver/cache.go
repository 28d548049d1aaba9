package resolver

import (
	"container/list"
	"sync"
	"time"

	"github.com/sociaaldomein/bewijs/did"
)

// cache is a size-bounded LRU of resolved documents with a time to live. It hands out
// and stores deep copies, so callers cannot change cached documents.
type cache struct {
	ttl  time.Duration
	size int
	now  func() time.Time

	mu    sync.Mutex
	order *list.List // of *entry, most recently used first
	items map[string]*list.Element
}

type entry struct {
	did     string
	doc     did.Document
	expires time.Time
}

func newCache(ttl time.Duration, size int, now func() time.Time) *cache {
	return &cache{ttl: ttl, size: size, now: now, order: list.New(), items: make(map[string]*list.Element)}
}

func (c *cache) enabled() bool { return c.ttl > 0 && c.size > 0 }

func (c *cache) get(id string) (did.Document, bool) {
	if !c.enabled() {
		return did.Document{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[id]
	if !ok {
		return did.Document{}, false
	}
	e := el.Value.(*entry)
	if !c.now().Before(e.expires) {
		c.remove(el)
		return did.Document{}, false
	}
	c.order.MoveToFront(el)
	return e.doc.Clone(), true
}

func (c *cache) put(id string, doc did.Document) {
	if !c.enabled() {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[id]; ok {
		c.remove(el)
	}
	c.items[id] = c.order.PushFront(&entry{did: id, doc: doc.Clone(), expires: c.now().Add(c.ttl)})
	for c.order.Len() > c.size {
		c.remove(c.order.Back())
	}
}

func (c *cache) remove(el *list.Element) {
	c.order.Remove(el)
	delete(c.items, el.Value.(*entry).did)
}

func (c *cache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
