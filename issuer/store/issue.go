package store

import (
	"context"
	"errors"
	"maps"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	auditstore "github.com/sociaaldomein/bewijs/internal/audit/store"
	"github.com/sociaaldomein/bewijs/internal/statuslist"
	"github.com/sociaaldomein/bewijs/issuer"
)

// Issue allocates status entries, lets sign build the credentials, and records them, all in
// one transaction. The credential's sealed claims are erased: personal data is kept only
// until it has been handed to the citizen.
func (s *Store) Issue(ctx context.Context, b issuer.IssueBatch, sign func([]issuer.StatusEntry) ([]string, error)) ([]issuer.IssuedCredential, error) {
	var (
		out []issuer.IssuedCredential
		err error
	)
	// Random status indexes drawn by concurrent batches can wait on each other's uncommitted
	// rows; PostgreSQL then aborts one of them as a deadlock. Nothing was committed, so the
	// whole issuance is tried again.
	for range issueAttempts {
		if out, err = s.issueOnce(ctx, b, sign); !retryable(err) {
			break
		}
	}
	if err != nil {
		return nil, mapErr("issue", err)
	}
	return out, nil
}

const issueAttempts = 4

// retryable reports PostgreSQL's deadlock_detected (40P01) and serialization_failure (40001).
func retryable(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && (pg.Code == "40P01" || pg.Code == "40001")
}

func (s *Store) issueOnce(ctx context.Context, b issuer.IssueBatch, sign func([]issuer.StatusEntry) ([]string, error)) ([]issuer.IssuedCredential, error) {
	var out []issuer.IssuedCredential
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		out = out[:0]
		// Claim the credential first: a concurrent request for the same credential waits here
		// (row lock on PostgreSQL, the write lock on SQLite) and then finds it issued.
		res := tx.Model(&credentialRow{}).Where("id = ? AND tenant_id = ? AND claims IS NOT NULL", b.CredentialID, b.TenantID).
			Updates(map[string]any{"claims": nil, "issued_at": b.At.UTC()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return issuer.ErrConflict
		}
		allocated, err := s.status.AllocateN(ctx, tx, b.TenantID, b.CredentialID, len(b.HolderJKTs))
		if err != nil {
			return err
		}
		entries := make([]issuer.StatusEntry, len(allocated))
		for k, e := range allocated {
			entries[k] = issuer.StatusEntry{ListID: e.ListID, Index: e.Index}
		}
		if _, err := sign(entries); err != nil {
			return err
		}
		rows := make([]issuedRow, len(entries))
		for k, e := range entries {
			rows[k] = issuedRow{ID: uuid.NewString(), CredentialID: b.CredentialID, StatusListID: e.ListID, StatusIdx: e.Index,
				HolderJKT: b.HolderJKTs[k], NotificationID: b.NotificationID, IssuedAt: b.At.UTC()}
			out = append(out, issuer.IssuedCredential{ID: rows[k].ID, CredentialID: b.CredentialID, StatusListID: e.ListID,
				StatusIndex: e.Index, HolderJKT: b.HolderJKTs[k], NotificationID: b.NotificationID, IssuedAt: rows[k].IssuedAt})
		}
		if err := tx.Create(&rows).Error; err != nil {
			return err
		}
		if b.Audit != nil {
			e := *b.Audit
			e.Details = maps.Clone(e.Details)
			if e.Details == nil {
				e.Details = map[string]string{}
			}
			e.Details["status_list"] = entries[0].ListID
			if err := auditstore.New(tx).Append(ctx, e); err != nil {
				return err
			}
		}
		return s.markIssued(tx, b)
	})
	return out, err
}

// markIssued moves an offered beschikking to issued.
func (s *Store) markIssued(tx *gorm.DB, b issuer.IssueBatch) error {
	var cred credentialRow
	if err := tx.Select("beschikking_id").Where("id = ?", b.CredentialID).Take(&cred).Error; err != nil {
		return err
	}
	return tx.Model(&beschikkingRow{}).Where("id = ? AND state = ?", cred.BeschikkingID, string(issuer.Offered)).
		Updates(map[string]any{"state": string(issuer.Issued), "updated_at": b.At.UTC()}).Error
}

// SetState changes a beschikking's state and the status of everything issued for it in one
// transaction. Revoking an offered beschikking also drops its offer and unused codes.
func (s *Store) SetState(ctx context.Context, tenantID, id string, from []issuer.State, to issuer.State, reason string, at time.Time, st statuslist.Status) error {
	states := make([]string, len(from))
	for k, f := range from {
		states[k] = string(f)
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		q := tx.Model(&beschikkingRow{}).Where("id = ? AND state IN ?", id, states)
		if tenantID != "" {
			q = q.Where("tenant_id = ?", tenantID)
		}
		res := q.Updates(map[string]any{"state": string(to), "state_reason": reason, "updated_at": at.UTC()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return s.conflictOrMissing(tx, tenantID, id)
		}
		if to == issuer.Revoked {
			if err := s.dropOffer(tx, id); err != nil {
				return err
			}
		}
		return s.setIssuedStatus(ctx, tx, id, st)
	})
	return mapErr("set state", err)
}

func (s *Store) conflictOrMissing(tx *gorm.DB, tenantID, id string) error {
	q := tx.Model(&beschikkingRow{}).Where("id = ?", id)
	if tenantID != "" {
		q = q.Where("tenant_id = ?", tenantID)
	}
	var n int64
	if err := q.Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return issuer.ErrNotFound
	}
	return issuer.ErrConflict
}

// dropOffer kills the offer of a revoked beschikking: the offer, unused codes and unissued
// claims go.
func (s *Store) dropOffer(tx *gorm.DB, id string) error {
	if err := tx.Where("beschikking_id = ?", id).Delete(&offerRow{}).Error; err != nil {
		return err
	}
	if err := tx.Where("beschikking_id = ? AND used_at IS NULL", id).Delete(&codeRow{}).Error; err != nil {
		return err
	}
	return tx.Model(&credentialRow{}).Where("beschikking_id = ? AND claims IS NOT NULL", id).Update("claims", nil).Error
}

func (s *Store) setIssuedStatus(ctx context.Context, tx *gorm.DB, id string, st statuslist.Status) error {
	var rows []issuedRow
	err := tx.Table("issued_credentials").Select("issued_credentials.status_list_id, issued_credentials.status_idx").
		Joins("JOIN beschikking_credentials c ON c.id = issued_credentials.credential_id").
		Where("c.beschikking_id = ?", id).Find(&rows).Error
	if err != nil {
		return err
	}
	for _, r := range rows {
		if err := s.status.SetStatus(ctx, tx, r.StatusListID, r.StatusIdx, st); err != nil {
			return err
		}
	}
	return nil
}

// Notify records the event a wallet reports for a batch (§11). A batch is one credential's:
// the statement names it, so the tenant check is a primary-key lookup whatever the planner
// thinks of the tables (a join on the tenant alone scanned every credential of a fresh,
// unanalysed database once per notification).
func (s *Store) Notify(ctx context.Context, tenantID, notificationID, event string) error {
	db := s.db.WithContext(ctx)
	var batch []issuedRow
	if err := db.Select("credential_id").Where("notification_id = ?", notificationID).Limit(1).Find(&batch).Error; err != nil {
		return mapErr("notify", err)
	}
	if len(batch) == 0 {
		return issuer.ErrNotFound
	}
	res := db.Model(&issuedRow{}).
		Where("notification_id = ? AND credential_id = ? AND credential_id IN (?)", notificationID, batch[0].CredentialID,
			s.db.Model(&credentialRow{}).Select("id").Where("id = ? AND tenant_id = ?", batch[0].CredentialID, tenantID)).
		Update("notified_event", event)
	if res.Error != nil {
		return mapErr("notify", res.Error)
	}
	if res.RowsAffected == 0 {
		return issuer.ErrNotFound
	}
	return nil
}

type parRow struct {
	RequestURI string `gorm:"column:request_uri;primaryKey"`
	TenantID   string
	Params     string
	Failures   int
	ExpiresAt  time.Time
	UsedAt     *time.Time
}

func (parRow) TableName() string { return "oid4vci_par" }

// SavePAR stores a pushed authorization request.
func (s *Store) SavePAR(ctx context.Context, tenantID, requestURI string, params []byte, expires time.Time) error {
	return mapErr("save PAR", s.db.WithContext(ctx).Create(&parRow{RequestURI: requestURI, TenantID: tenantID, Params: string(params), ExpiresAt: expires.UTC()}).Error)
}

// PAR loads an unused, unexpired pushed request and its failed logins.
func (s *Store) PAR(ctx context.Context, tenantID, requestURI string, now time.Time) ([]byte, int, error) {
	var r parRow
	err := s.db.WithContext(ctx).Where("request_uri = ? AND tenant_id = ? AND used_at IS NULL AND expires_at > ?", requestURI, tenantID, now.UTC()).Take(&r).Error
	if err != nil {
		return nil, 0, mapErr("find PAR", err)
	}
	return []byte(r.Params), r.Failures, nil
}

// CountPARFailure counts a failed login against a pushed request.
func (s *Store) CountPARFailure(ctx context.Context, requestURI string) (int, error) {
	db := s.db.WithContext(ctx)
	if err := db.Model(&parRow{}).Where("request_uri = ?", requestURI).Update("failures", gorm.Expr("failures + 1")).Error; err != nil {
		return 0, mapErr("count login failure", err)
	}
	var r parRow
	if err := db.Select("failures").Where("request_uri = ?", requestURI).Take(&r).Error; err != nil {
		return 0, mapErr("count login failure", err)
	}
	return r.Failures, nil
}

// RedeemPAR uses a pushed authorization request once (RFC 9126 §4: one-time use is
// recommended).
func (s *Store) RedeemPAR(ctx context.Context, tenantID, requestURI string, now time.Time) ([]byte, error) {
	var r parRow
	if err := s.db.WithContext(ctx).Where("request_uri = ? AND tenant_id = ?", requestURI, tenantID).Take(&r).Error; err != nil {
		return nil, mapErr("find PAR", err)
	}
	if now.After(r.ExpiresAt) {
		return nil, issuer.ErrExpired
	}
	res := s.db.WithContext(ctx).Model(&parRow{}).Where("request_uri = ? AND used_at IS NULL", requestURI).Update("used_at", now.UTC())
	if res.Error != nil {
		return nil, mapErr("use PAR", res.Error)
	}
	if res.RowsAffected != 1 {
		return nil, issuer.ErrReplay
	}
	return []byte(r.Params), nil
}

// Sweep deletes protocol state that has expired: replay keys (spent nonces, DPoP proofs),
// access tokens, codes, offers and PARs. Run it periodically.
func (s *Store) Sweep(ctx context.Context, now time.Time) error {
	now = now.UTC()
	db := s.db.WithContext(ctx)
	for _, q := range []struct {
		model any
		where string
	}{
		{&replayRow{}, "expires_at < ?"},
		{&tokenRow{}, "expires_at < ?"},
		{&codeRow{}, "expires_at < ?"},
		{&offerRow{}, "expires_at < ?"},
		{&parRow{}, "expires_at < ?"},
	} {
		if err := db.Where(q.where, now).Delete(q.model).Error; err != nil {
			return mapErr("sweep", err)
		}
	}
	return nil
}
