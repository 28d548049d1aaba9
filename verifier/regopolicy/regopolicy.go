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
	"github.com/sociaaldomein/bewijs/verifier/declareren"
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
	roles  RoleSource
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

// RoleSource gives the role credentials known about an organisation's DID, in the shape of
// trust.rego's input.roles.
type RoleSource func(ctx context.Context, subjectDID string) ([]map[string]any, error)

// New returns an Adapter on engine.
func New(engine *policies.Engine) *Adapter {
	return &Adapter{engine: engine, now: time.Now, trust: map[trustKey]trustEntry{}}
}

// WithRoles makes trust decisions take the issuer's role credentials into account (trust.rego:
// a gemeente's credentials only with a valid gemeente role from a trust anchor). A role change
// takes effect within the cache time of trust decisions.
func (a *Adapter) WithRoles(roles RoleSource) *Adapter {
	a.roles = roles
	return a
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
	input := map[string]any{"issuer": issuer, "vct": vct}
	if a.roles != nil {
		roles, err := a.roles(ctx, issuer)
		if err != nil {
			return false, nil, err
		}
		input["roles"], input["now"] = roles, now.UTC().Format(time.RFC3339)
	}
	d, err := a.engine.Decide(ctx, "trust", input)
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

// Declareren implements declareren.Policy on the same engine.
type Declareren struct{ Engine *policies.Engine }

var _ declareren.Policy = Declareren{}

// DecideRule evaluates a decision rule of a policy; "covered" becomes Decision.Covered.
func (d Declareren) DecideRule(ctx context.Context, policy, rule string, input any) (declareren.Decision, error) {
	r, err := d.Engine.DecideRule(ctx, policy, rule, input)
	if err != nil {
		return declareren.Decision{}, err
	}
	out := declareren.Decision{Allow: r.Allow, Reasons: r.Reasons}
	if raw, ok := r.Details["covered"]; ok {
		if err := json.Unmarshal(raw, &out.Covered); err != nil {
			return declareren.Decision{}, err
		}
	}
	return out, nil
}
