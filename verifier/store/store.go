// Package store is the gorm implementation of verifier.Store on PostgreSQL and SQLite.
package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/sociaaldomein/bewijs/internal/dbutil"
	"github.com/sociaaldomein/bewijs/verifier"
)

// Store keeps presentation requests and verifier settings.
type Store struct {
	db          *gorm.DB
	completions *dbutil.Group[completion]
}

var _ verifier.Store = (*Store)(nil)

// New returns a store on db.
func New(db *gorm.DB) *Store {
	s := &Store{db: db}
	s.completions = dbutil.NewGroup(maxCompletionBatch, db.Name() != "postgres", s.completeBatch)
	return s
}

type requestRow struct {
	ID                string
	TenantID          string
	State             string
	Purpose           string
	QueryName         *string
	DCQLQuery         string `gorm:"column:dcql_query"`
	ClientID          string
	ResponseMode      string
	RequestURIMethod  string `gorm:"column:request_uri_method"`
	Nonce             string
	StateParam        string
	EncKey            *string
	EncKID            *string `gorm:"column:enc_kid"`
	ResponseCodeHash  *string
	PolicyDecision    string
	WebhookURL        *string `gorm:"column:webhook_url"`
	ReturnTo          *string
	Reason            *string
	Result            *string
	Evidence          *string
	EvidenceExpiresAt *time.Time
	ExpiresAt         time.Time
	RetrievedAt       *time.Time
	CompletedAt       *time.Time
	CreatedAt         time.Time
}

func (requestRow) TableName() string { return "presentation_requests" }

func toRow(r verifier.Request) *requestRow {
	return &requestRow{ID: r.ID, TenantID: r.TenantID, State: string(r.State), Purpose: r.Purpose, QueryName: dbutil.Opt(r.QueryName),
		DCQLQuery: string(r.Query), ClientID: r.ClientID, ResponseMode: r.ResponseMode, RequestURIMethod: r.RequestURIMethod,
		Nonce: r.Nonce, StateParam: r.StateParam, EncKey: dbutil.Opt(r.EncKey), EncKID: dbutil.Opt(r.EncKID),
		ResponseCodeHash: dbutil.Opt(r.ResponseCodeHash), PolicyDecision: string(r.PolicyDecision),
		WebhookURL: dbutil.Opt(r.WebhookURL), ReturnTo: dbutil.Opt(r.ReturnTo), ExpiresAt: r.ExpiresAt.UTC(), CreatedAt: r.CreatedAt.UTC()}
}

func (r requestRow) toRequest() verifier.Request {
	return verifier.Request{ID: r.ID, TenantID: r.TenantID, State: verifier.State(r.State), Purpose: r.Purpose,
		QueryName: dbutil.Deref(r.QueryName), Query: json.RawMessage(r.DCQLQuery), ClientID: r.ClientID, ResponseMode: r.ResponseMode,
		RequestURIMethod: r.RequestURIMethod, Nonce: r.Nonce, StateParam: r.StateParam, EncKey: dbutil.Deref(r.EncKey),
		EncKID: dbutil.Deref(r.EncKID), ResponseCodeHash: dbutil.Deref(r.ResponseCodeHash),
		PolicyDecision: json.RawMessage(r.PolicyDecision), WebhookURL: dbutil.Deref(r.WebhookURL), ReturnTo: dbutil.Deref(r.ReturnTo), Reason: dbutil.Deref(r.Reason),
		Result: dbutil.Deref(r.Result), Evidence: dbutil.Deref(r.Evidence), EvidenceExpires: utc(r.EvidenceExpiresAt),
		ExpiresAt: r.ExpiresAt.UTC(), RetrievedAt: utc(r.RetrievedAt), CompletedAt: utc(r.CompletedAt), CreatedAt: r.CreatedAt.UTC()}
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// CreateRequest stores a new request.
func (s *Store) CreateRequest(ctx context.Context, r verifier.Request) error {
	return mapErr("create presentation request", s.db.WithContext(ctx).Create(toRow(r)).Error)
}

// Request returns a request by id (and tenant, unless tenantID is "").
func (s *Store) Request(ctx context.Context, tenantID, id string) (verifier.Request, error) {
	q := s.db.WithContext(ctx).Where("id = ?", id)
	if tenantID != "" {
		q = q.Where("tenant_id = ?", tenantID)
	}
	var r requestRow
	if err := q.Take(&r).Error; err != nil {
		return verifier.Request{}, mapErr("find presentation request", err)
	}
	return r.toRequest(), nil
}

// MarkRetrieved moves a pending, unexpired request to retrieved with one conditional update:
// of two concurrent fetches exactly one succeeds.
func (s *Store) MarkRetrieved(ctx context.Context, id string, at time.Time) error {
	res := s.db.WithContext(ctx).Model(&requestRow{}).
		Where("id = ? AND state = ? AND expires_at > ?", id, string(verifier.Pending), at.UTC()).
		Updates(map[string]any{"state": string(verifier.Retrieved), "retrieved_at": at.UTC()})
	if res.Error != nil {
		return mapErr("mark retrieved", res.Error)
	}
	if res.RowsAffected != 1 {
		return verifier.ErrConflict
	}
	return nil
}

// DeleteExpired removes requests whose expiry lies before cutoff, and clears evidence whose
// retention ended.
func (s *Store) DeleteExpired(ctx context.Context, cutoff, now time.Time) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Where("expires_at < ? AND (evidence IS NULL OR evidence_expires_at < ?)", cutoff.UTC(), now.UTC()).Delete(&requestRow{})
		if res.Error != nil {
			return res.Error
		}
		n = res.RowsAffected
		return tx.Model(&requestRow{}).Where("evidence IS NOT NULL AND evidence_expires_at < ?", now.UTC()).
			Updates(map[string]any{"evidence": nil, "evidence_expires_at": nil}).Error
	})
	return n, mapErr("delete expired presentation requests", err)
}

type settingsRow struct {
	TenantID                 string `gorm:"primaryKey"`
	EvidenceRetentionSeconds int64
	UpdatedAt                time.Time
}

func (settingsRow) TableName() string { return "verifier_settings" }

// Settings returns a tenant's verifier settings; a tenant without a row has the defaults.
func (s *Store) Settings(ctx context.Context, tenantID string) (verifier.Settings, error) {
	var r settingsRow
	err := s.db.WithContext(ctx).Where("tenant_id = ?", tenantID).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return verifier.Settings{}, nil
	}
	if err != nil {
		return verifier.Settings{}, mapErr("read verifier settings", err)
	}
	return verifier.Settings{EvidenceRetention: time.Duration(r.EvidenceRetentionSeconds) * time.Second}, nil
}

// SaveSettings replaces a tenant's verifier settings.
func (s *Store) SaveSettings(ctx context.Context, tenantID string, set verifier.Settings, at time.Time) error {
	return mapErr("save verifier settings", s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("tenant_id = ?", tenantID).Delete(&settingsRow{}).Error; err != nil {
			return err
		}
		return tx.Create(&settingsRow{TenantID: tenantID, EvidenceRetentionSeconds: int64(set.EvidenceRetention / time.Second), UpdatedAt: at.UTC()}).Error
	}))
}

func mapErr(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return verifier.ErrNotFound
	case errors.Is(err, verifier.ErrConflict):
		return err
	}
	return fmt.Errorf("verifier store: %s: %w", op, err)
}
