// Package store is the gorm implementation of verifier.Store on PostgreSQL and SQLite.
package store

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"

	auditstore "github.com/sociaaldomein/bewijs/internal/audit/store"
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

// Complete stores the outcome of a response and its audit record atomically; the conditional
// update lets exactly one response complete a request. Concurrent completions are written
// together (dbutil.Group): on PostgreSQL one statement, on SQLite one transaction, for a
// whole batch. Each keeps its own outcome: a batch that fails is retried one by one.
func (s *Store) Complete(ctx context.Context, id string, c verifier.Completion) error {
	return s.completions.Do(ctx, completion{id: id, c: c})
}

// completion is one call of Complete.
type completion struct {
	id string
	c  verifier.Completion
}

// maxCompletionBatch bounds a batch: 18 parameters a row stays far below PostgreSQL's
// 65,535.
const maxCompletionBatch = 64

// completeBatch is the run of the completions Group.
func (s *Store) completeBatch(ctx context.Context, batch []completion) []error {
	errs := make([]error, len(batch))
	// Two responses to one request in one batch: at most one can complete it, and the
	// statement would count one updated row for both. The later ones conflict.
	first := make(map[string]bool, len(batch))
	todo := make([]int, 0, len(batch))
	for i, b := range batch {
		if first[b.id] {
			errs[i] = verifier.ErrConflict
			continue
		}
		first[b.id] = true
		todo = append(todo, i)
	}
	if len(todo) > 1 {
		var done map[string]bool
		var err error
		if s.db.Name() == "postgres" {
			done, err = s.completeStatement(ctx, batch, todo)
		} else {
			done, err = s.completeTransaction(ctx, batch, todo)
		}
		if err == nil {
			for _, i := range todo {
				if !done[batch[i].id] {
					errs[i] = verifier.ErrConflict
				}
			}
			return errs
		}
		// One bad item must not fail the others: retry each alone.
	}
	for _, i := range todo {
		errs[i] = s.completeOne(ctx, batch[i].id, batch[i].c)
	}
	return errs
}

// completeOne is a batch of one.
func (s *Store) completeOne(ctx context.Context, id string, c verifier.Completion) error {
	if s.db.Name() == "postgres" {
		return s.completeOneStatement(ctx, id, c)
	}
	return mapErr("complete presentation request", s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ok, err := completeIn(ctx, tx, id, c)
		if err == nil && !ok {
			err = verifier.ErrConflict
		}
		return err
	}))
}

// completeIn completes one request in tx, with its audit record; false: the request was not
// there to complete (answered, expired or gone).
func completeIn(ctx context.Context, tx *gorm.DB, id string, c verifier.Completion) (bool, error) {
	res := tx.Model(&requestRow{}).
		Where("id = ? AND state = ? AND expires_at > ?", id, string(verifier.Retrieved), c.At.UTC()).
		Updates(map[string]any{
			"state": string(c.State), "reason": dbutil.Opt(string(c.Reason)), "result": dbutil.Opt(c.Result),
			"response_code_hash": dbutil.Opt(c.ResponseCodeHash), "evidence": dbutil.Opt(c.Evidence),
			"evidence_expires_at": utc(c.EvidenceExpires), "completed_at": c.At.UTC(),
		})
	if res.Error != nil || res.RowsAffected != 1 {
		return false, res.Error
	}
	return true, auditstore.New(tx).Append(ctx, c.Audit)
}

// completeTransaction completes the batch items todo in one transaction (SQLite): one
// commit for all of them.
func (s *Store) completeTransaction(ctx context.Context, batch []completion, todo []int) (map[string]bool, error) {
	done := make(map[string]bool, len(todo))
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, i := range todo {
			ok, err := completeIn(ctx, tx, batch[i].id, batch[i].c)
			if err != nil {
				return err
			}
			done[batch[i].id] = ok
		}
		return nil
	})
	if err != nil {
		return nil, mapErr("complete presentation requests", err)
	}
	return done, nil
}

// completeSQL is Complete in one statement for PostgreSQL: the conditional update and its
// audit record, atomic as one statement is, in one round trip instead of four (BEGIN, UPDATE,
// INSERT, COMMIT). The audit row is written only when the update matched.
const completeSQL = `WITH done AS (
  UPDATE presentation_requests SET state = ?, reason = ?, result = ?, response_code_hash = ?, evidence = ?,
    evidence_expires_at = ?, completed_at = ?
  WHERE id = ? AND state = ? AND expires_at > ? RETURNING id)
INSERT INTO audit_events (` + auditstore.InsertColumns + `) SELECT ` + auditstore.InsertSelect + ` FROM done`

func (s *Store) completeOneStatement(ctx context.Context, id string, c verifier.Completion) error {
	auditArgs, err := auditstore.InsertArgs(c.Audit)
	if err != nil {
		return err
	}
	args := append([]any{string(c.State), dbutil.Opt(string(c.Reason)), dbutil.Opt(c.Result), dbutil.Opt(c.ResponseCodeHash),
		dbutil.Opt(c.Evidence), utc(c.EvidenceExpires), c.At.UTC(), id, string(verifier.Retrieved), c.At.UTC()}, auditArgs...)
	res, err := s.db.ConnPool.ExecContext(ctx, completeOneSQL, args...)
	if err != nil {
		return mapErr("complete presentation request", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return cmp.Or(mapErr("complete presentation request", err), verifier.ErrConflict)
	}
	return nil
}

// completeOneSQL is completeSQL as the driver takes it (see completeStatement).
var completeOneSQL = numberPlaceholders(completeSQL)

// completeStatement completes the batch items todo in one statement (PostgreSQL): the
// completions as a VALUES list, one conditional UPDATE … FROM it, the audit records of the
// rows it updated, and those rows' ids back.
func (s *Store) completeStatement(ctx context.Context, batch []completion, todo []int) (map[string]bool, error) {
	args := make([]any, 0, len(todo)*18)
	for _, i := range todo {
		c := batch[i].c
		auditArgs, err := auditstore.InsertArgs(c.Audit)
		if err != nil {
			return nil, err
		}
		args = append(args, batch[i].id, string(c.State), dbutil.Opt(string(c.Reason)), dbutil.Opt(c.Result),
			dbutil.Opt(c.ResponseCodeHash), dbutil.Opt(c.Evidence), utc(c.EvidenceExpires), c.At.UTC())
		args = append(args, auditArgs...)
	}
	// The statement goes to the driver as it is, with PostgreSQL's own placeholders: gorm
	// would rebuild it character by character for every call.
	rows, err := s.db.ConnPool.QueryContext(ctx, completeBatchSQL(len(todo)), args...)
	if err != nil {
		return nil, mapErr("complete presentation requests", err)
	}
	defer rows.Close()
	done := make(map[string]bool, len(todo))
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, mapErr("complete presentation requests", err)
		}
		done[id] = true
	}
	if err := rows.Err(); err != nil {
		return nil, mapErr("complete presentation requests", err)
	}
	return done, nil
}

// completeBatchSQLs holds the statement for each batch size, built when first used.
var completeBatchSQLs [maxCompletionBatch + 1]struct {
	once sync.Once
	sql  string
}

// completeBatchSQL is the statement of completeStatement for n completions.
func completeBatchSQL(n int) string {
	c := &completeBatchSQLs[n]
	c.once.Do(func() { c.sql = numberPlaceholders(buildCompleteBatchSQL(n)) })
	return c.sql
}

// numberPlaceholders turns each ? into PostgreSQL's $1, $2, … in order.
func numberPlaceholders(q string) string {
	var b strings.Builder
	k := 0
	for _, r := range q {
		if r != '?' {
			b.WriteRune(r)
			continue
		}
		k++
		b.WriteString("$" + strconv.Itoa(k))
	}
	return b.String()
}

func buildCompleteBatchSQL(n int) string {
	auditCols := strings.Split(auditstore.InsertColumns, ", ")
	var b strings.Builder
	b.WriteString("WITH v (id, state, reason, result, response_code_hash, evidence, evidence_expires_at, completed_at")
	for _, col := range auditCols {
		b.WriteString(", a_" + col)
	}
	b.WriteString(") AS (VALUES ")
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), " +
			"CAST(? AS TIMESTAMP), CAST(? AS TIMESTAMP), " + auditstore.InsertSelect + ")")
	}
	b.WriteString(`),
done AS (
  UPDATE presentation_requests p SET state = v.state, reason = v.reason, result = v.result,
    response_code_hash = v.response_code_hash, evidence = v.evidence, evidence_expires_at = v.evidence_expires_at,
    completed_at = v.completed_at
  FROM v WHERE p.id = v.id AND p.state = '` + string(verifier.Retrieved) + `' AND p.expires_at > v.completed_at
  RETURNING p.id),
audited AS (
  INSERT INTO audit_events (` + auditstore.InsertColumns + `) SELECT `)
	for i, col := range auditCols {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("v.a_" + col)
	}
	b.WriteString(` FROM v JOIN done ON done.id = v.id)
SELECT id FROM done`)
	return b.String()
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
