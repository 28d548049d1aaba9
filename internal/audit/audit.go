// Package audit records security decisions: issued, revoked, verified, denied, policy
// decisions, keys created and rotated, API keys refused. Events never carry personal data
// (no BSN, no citizen names): subjects are identifiers of organisations, keys and records.
package audit

import (
	"context"
	"log/slog"
	"time"
)

// Outcomes of a decision.
const (
	Success = "success"
	Denied  = "denied"
	Failure = "failure"
)

// Event is one security decision.
type Event struct {
	Time      time.Time
	Action    string // e.g. "tenant.create", "tenant.key.rotate", "api-key.authenticate"
	Outcome   string // Success, Denied or Failure
	Actor     string // "cli", "operator:<api key id>", "tenant:<slug>:<api key id>", "anonymous"
	TenantID  string
	Subject   string // what the decision is about: a slug, a kid, a record id
	Reason    string
	RequestID string
	Details   map[string]string
}

// Store persists events.
type Store interface {
	Append(ctx context.Context, e Event) error
}

// Log writes events to the store and, as a structured line, to the process log.
type Log struct {
	store Store
	log   *slog.Logger
	now   func() time.Time
}

// New returns an audit log. now may be nil (time.Now).
func New(store Store, log *slog.Logger, now func() time.Time) *Log {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Log{store: store, log: log, now: now}
}

// Record stores the event. A failure to store is returned: a caller that cannot audit a
// decision must not carry it out silently.
func (l *Log) Record(ctx context.Context, e Event) error {
	if e.Time.IsZero() {
		e.Time = l.now().UTC()
	}
	if e.RequestID == "" {
		e.RequestID = RequestID(ctx)
	}
	l.Announce(ctx, e)
	if err := l.store.Append(ctx, e); err != nil {
		l.log.LogAttrs(ctx, slog.LevelError, "audit record could not be stored",
			slog.String("action", e.Action), slog.String("outcome", e.Outcome), slog.String("error", err.Error()))
		return err
	}
	return nil
}

// Announce writes the event to the process log only: for events a store has already written
// inside the transaction of the decision itself.
func (l *Log) Announce(ctx context.Context, e Event) {
	l.log.LogAttrs(ctx, slog.LevelInfo, "audit",
		slog.String("action", e.Action), slog.String("outcome", e.Outcome),
		slog.String("actor", e.Actor), slog.String("tenant_id", e.TenantID),
		slog.String("subject", e.Subject), slog.String("reason", e.Reason),
		slog.String("request_id", e.RequestID))
}

type requestIDKey struct{}

// WithRequestID returns a context carrying the request id, so events can be correlated.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestID returns the request id of the context, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}
