package policies

import (
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
)

// Decision is a policy's answer. Reasons say why, in the policy's words: what was granted when
// Allow is true, what was refused when it is false.
type Decision struct {
	Allow   bool     `json:"allow"`
	Reasons []string `json:"reasons"`
	// Policy is the policy that decided, e.g. "trust".
	Policy string `json:"policy"`
	// Revision identifies the policy set that decided (a hash of its files), for audit logs.
	Revision string `json:"revision"`
	// Details holds the decision's members other than allow and reasons, as JSON: for example
	// "covered", the toewijzingnummers of declareren.token_decision. Nil when there are none.
	Details map[string]json.RawMessage `json:"details,omitempty"`
}

// Engine evaluates the active policy set and swaps in a new one when its files change and the
// new set is good. Its methods are safe for concurrent use.
type Engine struct {
	cfg    Config
	log    *slog.Logger
	active atomic.Pointer[policySet]

	reloadMu sync.Mutex // serialises Reload

	mu      sync.Mutex // guards lastErr and tried
	lastErr error
	tried   string // revision of the files last built, good or bad
}

// New reads, compiles and tests the policies cfg names, and fails when that initial set is bad.
// A nil log discards.
func New(ctx context.Context, cfg Config, log *slog.Logger) (*Engine, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	files, err := readFiles(cfg.Dir)
	if err != nil {
		return nil, err
	}
	set, err := build(ctx, files)
	if err != nil {
		return nil, err
	}
	e := &Engine{cfg: cfg, log: log.With("component", "policies"), tried: set.revision}
	e.active.Store(set)
	e.log.Info("policies loaded", "source", sourceName(cfg.Dir), "revision", set.revision, "policies", set.names)
	return e, nil
}

// Decide evaluates policy (e.g. "trust", "requests", "pid", "declareren") for input, which must encode as a
// JSON value (a map[string]any, a struct with json tags, ...). An error means no decision:
// callers deny.
func (e *Engine) Decide(ctx context.Context, policy string, input any) (Decision, error) {
	return e.active.Load().decide(ctx, policy, input, e.cfg.Now())
}

// DecideRule evaluates one decision rule of a policy: decision (as Decide does) or another rule
// of the policy whose name ends in _decision, e.g. DecideRule(ctx, "declareren",
// "token_decision", input). Such a rule has the shape of decision, and may have more members,
// which the Decision returns in Details. An error means no decision: callers deny.
func (e *Engine) DecideRule(ctx context.Context, policy, rule string, input any) (Decision, error) {
	return e.active.Load().decideRule(ctx, policy, rule, input, e.cfg.Now())
}

// NamedQuery returns the named DCQL query (OpenID4VP 1.0 §6) of the active set, e.g.
// "zorgstart", as JSON for the verifier to send.
func (e *Engine) NamedQuery(_ context.Context, name string) (json.RawMessage, error) {
	set := e.active.Load()
	q, ok := set.named[name]
	if !ok {
		return nil, errorf(UnknownQuery, name, "revision %s has no such named query", set.revision)
	}
	return slices.Clone(q), nil
}

// LastError is the error of the last reload, or nil when the files on disk are the active set.
// While it is not nil the engine keeps deciding with the last good set.
func (e *Engine) LastError() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.lastErr
}

// Revision identifies the active policy set (the Revision of its decisions).
func (e *Engine) Revision() string { return e.active.Load().revision }

// Policies lists the policies of the active set.
func (e *Engine) Policies() []string { return slices.Clone(e.active.Load().names) }
