// Package regopolicy connects the Rego policy engine (package policies) to the verifier: the
// requests policy and named queries (verifier.Policy) and the trust policy (verifier.Trust).
// It is its own package so that package verifier does not compile OPA.
package regopolicy

import (
	"context"
	"encoding/json"

	"github.com/sociaaldomein/bewijs/policies"
	"github.com/sociaaldomein/bewijs/verifier"
)

// Adapter implements verifier.Policy and verifier.Trust on a policies.Engine.
type Adapter struct{ Engine *policies.Engine }

var (
	_ verifier.Policy = Adapter{}
	_ verifier.Trust  = Adapter{}
)

// Decide evaluates a policy's decision rule.
func (a Adapter) Decide(ctx context.Context, name string, input any) (verifier.Decision, error) {
	d, err := a.Engine.Decide(ctx, name, input)
	return verifier.Decision{Allow: d.Allow, Reasons: d.Reasons, Policy: d.Policy, Revision: d.Revision}, err
}

// NamedQuery returns a named DCQL query of the requests policy.
func (a Adapter) NamedQuery(ctx context.Context, name string) (json.RawMessage, error) {
	return a.Engine.NamedQuery(ctx, name)
}

// Trusted asks the trust policy whether issuer may issue vct.
func (a Adapter) Trusted(ctx context.Context, issuer, vct string) (bool, []string, error) {
	d, err := a.Engine.Decide(ctx, "trust", map[string]any{"issuer": issuer, "vct": vct})
	return d.Allow, d.Reasons, err
}
