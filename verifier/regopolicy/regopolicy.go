// Package regopolicy connects the Rego policy engine (package policies) to the verifier: the
// requests policy and named queries (verifier.Policy) and the trust policy (verifier.Trust).
// It is its own package so that package verifier does not compile OPA.
package regopolicy

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/sociaaldomein/bewijs/policies"
	"github.com/sociaaldomein/bewijs/verifier"
)

// Bounds of the trust decision cache.
const (
	trustTTL     = 30 * time.Second
	trustEntries = 4096
)

// Adapter implements verifier.Policy and verifier.Trust on a policies.Engine. Trust decisions
// are cached per policy revision for trustTTL: the same issuer and type are asked for every
// presentation, and a reload (a new revision) is never answered from the cache.
type Adapter struct {
	engine *policies.Engine
	now    func() time.Time
	mu     sync.Mutex
	trust  map[trustKey]trustEntry
}

type trustKey struct{ revision, issuer, vct string }

type trustEntry struct {
	allow   bool
	reasons []string
	until   time.Time
}

// New returns an Adapter on engine.
func New(engine *policies.Engine) *Adapter {
	return &Adapter{engine: engine, now: time.Now, trust: map[trustKey]trustEntry{}}
}

var (
	_ verifier.Policy = (*Adapter)(nil)
	_ verifier.Trust  = (*Adapter)(nil)
)

// Decide evaluates a policy's decision rule.
func (a *Adapter) Decide(ctx context.Context, name string, input any) (verifier.Decision, error) {
	d, err := a.engine.Decide(ctx, name, input)
	return verifier.Decision{Allow: d.Allow, Reasons: d.Reasons, Policy: d.Policy, Revision: d.Revision}, err
}

// NamedQuery returns a named DCQL query of the requests policy.
func (a *Adapter) NamedQuery(ctx context.Context, name string) (json.RawMessage, error) {
	return a.engine.NamedQuery(ctx, name)
}

// Trusted asks the trust policy whether issuer may issue vct.
func (a *Adapter) Trusted(ctx context.Context, issuer, vct string) (bool, []string, error) {
	key := trustKey{revision: a.engine.Revision(), issuer: issuer, vct: vct}
	now := a.now()
	a.mu.Lock()
	e, ok := a.trust[key]
	a.mu.Unlock()
	if ok && now.Before(e.until) {
		return e.allow, e.reasons, nil
	}
	d, err := a.engine.Decide(ctx, "trust", map[string]any{"issuer": issuer, "vct": vct})
	if err != nil {
		return false, nil, err
	}
	// Cache only what the revision that decided says; a reload in between is a miss next time.
	key.revision = d.Revision
	a.mu.Lock()
	if len(a.trust) >= trustEntries {
		clear(a.trust)
	}
	a.trust[key] = trustEntry{allow: d.Allow, reasons: d.Reasons, until: now.Add(trustTTL)}
	a.mu.Unlock()
	return d.Allow, d.Reasons, nil
}
