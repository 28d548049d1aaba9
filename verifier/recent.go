package verifier

import (
	"context"
	"sync"
	"time"

	"github.com/sociaaldomein/bewijs/verifier/oid4vp"
)

// retrievedCache keeps the requests whose request object this replica just handed out, for
// the response that usually follows within seconds: HandleResponse then needs no read. It
// holds only requests in the retrieved state and hands each out once; the conditional update
// of Complete in the database stays the arbiter of single use, so a replica that holds an
// entry another replica has since answered still refuses the second response as replayed.
// A miss (another replica served the request object, a restart, a full cache) reads the
// database as before.
type retrievedCache struct {
	mu  sync.Mutex
	m   map[string]Request
	max int
}

// maxRetrievedCached bounds the cache: a request is a few KiB at most.
const maxRetrievedCached = 4096

func newRetrievedCache(max int) *retrievedCache {
	return &retrievedCache{m: map[string]Request{}, max: max}
}

// put keeps r until it is taken or expires. When the cache is full it first drops what has
// expired, and then gives up rather than evict: a miss costs only a read.
func (c *retrievedCache) put(r Request, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= c.max {
		for id, old := range c.m {
			if old.expired(now) {
				delete(c.m, id)
			}
		}
		if len(c.m) >= c.max {
			return
		}
	}
	c.m[r.ID] = r
}

// take hands out and forgets the request id of tenantID, if it is here.
func (c *retrievedCache) take(tenantID, id string) (Request, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.m[id]
	if !ok || r.TenantID != tenantID {
		return Request{}, false
	}
	delete(c.m, id)
	return r, true
}

// settingsCache keeps verifier settings for a short while: every verified response asks for
// them (evidence retention). A change on this replica shows at once; on another replica
// within settingsTTL.
type settingsCache struct {
	mu sync.Mutex
	m  map[string]cachedSettings
}

type cachedSettings struct {
	set   Settings
	until time.Time
}

const settingsTTL = 10 * time.Second

func (c *settingsCache) get(ctx context.Context, tenantID string, now time.Time, load func(context.Context, string) (Settings, error)) (Settings, error) {
	c.mu.Lock()
	e, ok := c.m[tenantID]
	c.mu.Unlock()
	if ok && now.Before(e.until) {
		return e.set, nil
	}
	set, err := load(ctx, tenantID)
	if err != nil {
		return Settings{}, err
	}
	c.mu.Lock()
	if c.m == nil {
		c.m = map[string]cachedSettings{}
	}
	c.m[tenantID] = cachedSettings{set: set, until: now.Add(settingsTTL)}
	c.mu.Unlock()
	return set, nil
}

func (c *settingsCache) forget(tenantID string) {
	c.mu.Lock()
	delete(c.m, tenantID)
	c.mu.Unlock()
}

// queryCache keeps parsed DCQL queries by their stored text: every request object and every
// response needs its request's query parsed, and most requests carry one of a few named
// queries. A Query handed out is shared: callers only read it.
type queryCache struct {
	mu sync.RWMutex
	m  map[string]oid4vp.Query
}

// maxQueriesCached bounds the cache; explicit queries from the API may all differ, so a full
// cache is emptied and refilled by what is asked next.
const maxQueriesCached = 256

// parse is oid4vp.ParseQuery, remembered. Only valid queries are kept.
func (c *queryCache) parse(raw []byte) (oid4vp.Query, error) {
	c.mu.RLock()
	q, ok := c.m[string(raw)]
	c.mu.RUnlock()
	if ok {
		return q, nil
	}
	q, err := oid4vp.ParseQuery(raw)
	if err != nil {
		return q, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxQueriesCached {
		c.m = make(map[string]oid4vp.Query)
	}
	c.m[string(raw)] = q
	return q, nil
}
