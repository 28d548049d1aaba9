// Package store keeps audit events in the SQL database.
package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/sociaaldomein/bewijs/internal/audit"
	"github.com/sociaaldomein/bewijs/internal/dbutil"
)

// Store is the gorm implementation of audit.Store.
type Store struct{ db *gorm.DB }

var _ audit.Store = (*Store)(nil)

// New returns a store on db.
func New(db *gorm.DB) *Store { return &Store{db: db} }

type eventRow struct {
	ID         string
	OccurredAt time.Time
	Action     string
	Outcome    string
	Actor      string
	TenantID   *string
	Subject    *string
	Reason     *string
	RequestID  *string
	Details    *string
}

func (eventRow) TableName() string { return "audit_events" }

// Append stores one event.
func (s *Store) Append(ctx context.Context, e audit.Event) error {
	row, err := rowOf(e)
	if err != nil {
		return err
	}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("audit: store event: %w", err)
	}
	return nil
}

func rowOf(e audit.Event) (eventRow, error) {
	row := eventRow{
		ID: uuid.NewString(), OccurredAt: e.Time.UTC(), Action: e.Action, Outcome: e.Outcome, Actor: e.Actor,
		TenantID: dbutil.Opt(e.TenantID), Subject: dbutil.Opt(e.Subject), Reason: dbutil.Opt(e.Reason), RequestID: dbutil.Opt(e.RequestID),
	}
	if len(e.Details) > 0 {
		b, err := json.Marshal(e.Details)
		if err != nil {
			return eventRow{}, err
		}
		row.Details = dbutil.Opt(string(b))
	}
	return row, nil
}

// InsertColumns and InsertSelect let a store write an event in the same SQL statement as the
// change it records (on PostgreSQL, a data-modifying CTE): `INSERT INTO audit_events
// (InsertColumns) SELECT InsertSelect FROM …` with the arguments of InsertArgs. Append is
// the way for everything else.
const (
	InsertColumns = "id, occurred_at, action, outcome, actor, tenant_id, subject, reason, request_id, details"
	InsertSelect  = "CAST(? AS TEXT), CAST(? AS TIMESTAMP), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), " +
		"CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT)"
)

// InsertArgs are the arguments of InsertSelect for e, the same row Append would write.
func InsertArgs(e audit.Event) ([]any, error) {
	r, err := rowOf(e)
	if err != nil {
		return nil, err
	}
	return []any{r.ID, r.OccurredAt, r.Action, r.Outcome, r.Actor, r.TenantID, r.Subject, r.Reason, r.RequestID, r.Details}, nil
}

// Filter selects events for List.
type Filter struct {
	TenantID string
	Action   string
	Limit    int
}

// List returns events, newest first.
func (s *Store) List(ctx context.Context, f Filter) ([]audit.Event, error) {
	q := s.db.WithContext(ctx).Order("occurred_at DESC, id")
	if f.TenantID != "" {
		q = q.Where("tenant_id = ?", f.TenantID)
	}
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 100
	}
	var rows []eventRow
	if err := q.Limit(f.Limit).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("audit: list events: %w", err)
	}
	out := make([]audit.Event, 0, len(rows))
	for _, r := range rows {
		e := audit.Event{Time: r.OccurredAt, Action: r.Action, Outcome: r.Outcome, Actor: r.Actor,
			TenantID: dbutil.Deref(r.TenantID), Subject: dbutil.Deref(r.Subject), Reason: dbutil.Deref(r.Reason), RequestID: dbutil.Deref(r.RequestID)}
		if r.Details != nil {
			_ = json.Unmarshal([]byte(*r.Details), &e.Details)
		}
		out = append(out, e)
	}
	return out, nil
}
