// Package store is the gorm implementation of orgcred.Store on PostgreSQL and SQLite.
package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/sociaaldomein/bewijs/internal/dbutil"
	"github.com/sociaaldomein/bewijs/issuer/orgcred"
)

// Store keeps organisation credentials and organisation wallets.
type Store struct{ db *gorm.DB }

var _ orgcred.Store = (*Store)(nil)

// New returns a store on db.
func New(db *gorm.DB) *Store { return &Store{db: db} }

type credRow struct {
	ID               string
	TenantID         string
	Type             string
	SubjectDID       string `gorm:"column:subject_did"`
	BeschikkingID    *string
	Toewijzingnummer *int64
	StatusList       string
	StatusIdx        int
	RevokedAt        *time.Time
	RevokeReason     *string
	ValidFrom        time.Time
	ValidUntil       *time.Time
	Credential       string
	CreatedAt        time.Time
}

func (credRow) TableName() string { return "org_credentials" }

type walletRow struct {
	ID           string
	TenantID     string
	CredentialID string
	Type         string
	Issuer       string
	Credential   string
	ReceivedAt   time.Time
}

func (walletRow) TableName() string { return "org_wallet_credentials" }

// Create stores a credential and its delivery in one transaction.
func (s *Store) Create(ctx context.Context, r orgcred.Record, delivered *orgcred.WalletEntry) error {
	row := credRow{ID: r.ID, TenantID: r.TenantID, Type: r.Type, SubjectDID: r.SubjectDID, BeschikkingID: dbutil.Opt(r.BeschikkingID),
		StatusList: r.StatusList, StatusIdx: r.StatusIndex, ValidFrom: r.ValidFrom.UTC(), ValidUntil: utc(r.ValidUntil),
		Credential: r.Credential, CreatedAt: r.CreatedAt.UTC()}
	if r.Toewijzingnummer != 0 {
		n := r.Toewijzingnummer
		row.Toewijzingnummer = &n
	}
	return mapErr("create org credential", s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var taken int64
		if err := tx.Model(&credRow{}).Where("tenant_id = ? AND status_list = ? AND status_idx = ?", r.TenantID, r.StatusList, r.StatusIndex).
			Count(&taken).Error; err != nil {
			return err
		}
		if taken > 0 {
			return orgcred.ErrConflict
		}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		if delivered == nil {
			return nil
		}
		return tx.Create(&walletRow{ID: delivered.ID, TenantID: delivered.TenantID, CredentialID: delivered.CredentialID, Type: delivered.Type,
			Issuer: delivered.Issuer, Credential: delivered.Credential, ReceivedAt: delivered.ReceivedAt.UTC()}).Error
	}))
}

// Receive puts a credential from another instance in an organisation wallet; a credential id
// already in that wallet is ErrConflict.
func (s *Store) Receive(ctx context.Context, e orgcred.WalletEntry) error {
	return mapErr("receive", s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var held int64
		if err := tx.Model(&walletRow{}).Where("tenant_id = ? AND credential_id = ?", e.TenantID, e.CredentialID).Count(&held).Error; err != nil {
			return err
		}
		if held > 0 {
			return orgcred.ErrConflict
		}
		return tx.Create(&walletRow{ID: e.ID, TenantID: e.TenantID, CredentialID: e.CredentialID, Type: e.Type, Issuer: e.Issuer,
			Credential: e.Credential, ReceivedAt: e.ReceivedAt.UTC()}).Error
	}))
}

// RevokedIndexes lists the revoked entries of a status list.
func (s *Store) RevokedIndexes(ctx context.Context, tenantID, list string) ([]int, error) {
	var idx []int
	err := s.db.WithContext(ctx).Model(&credRow{}).Where("tenant_id = ? AND status_list = ? AND revoked_at IS NOT NULL", tenantID, list).
		Pluck("status_idx", &idx).Error
	return idx, mapErr("revoked indexes", err)
}

// Revoke revokes one credential.
func (s *Store) Revoke(ctx context.Context, tenantID, id, reason string, at time.Time) error {
	res := s.db.WithContext(ctx).Model(&credRow{}).Where("tenant_id = ? AND id = ? AND revoked_at IS NULL", tenantID, id).
		Updates(map[string]any{"revoked_at": at.UTC(), "revoke_reason": reason})
	if res.Error != nil {
		return mapErr("revoke", res.Error)
	}
	if res.RowsAffected == 0 {
		return orgcred.ErrNotFound
	}
	return nil
}

// RevokeBeschikking revokes the unrevoked zorgtoewijzingen of a beschikking.
func (s *Store) RevokeBeschikking(ctx context.Context, tenantID, beschikkingID, reason string, at time.Time) (int64, error) {
	res := s.db.WithContext(ctx).Model(&credRow{}).Where("tenant_id = ? AND beschikking_id = ? AND revoked_at IS NULL", tenantID, beschikkingID).
		Updates(map[string]any{"revoked_at": at.UTC(), "revoke_reason": reason})
	return res.RowsAffected, mapErr("revoke beschikking", res.Error)
}

// List returns the credentials an organisation issued, newest first.
func (s *Store) List(ctx context.Context, tenantID string) ([]orgcred.Record, error) {
	var rows []credRow
	if err := s.db.WithContext(ctx).Where("tenant_id = ?", tenantID).Order("created_at DESC").Find(&rows).Error; err != nil {
		return nil, mapErr("list org credentials", err)
	}
	out := make([]orgcred.Record, len(rows))
	for i, r := range rows {
		out[i] = orgcred.Record{ID: r.ID, TenantID: r.TenantID, Type: r.Type, SubjectDID: r.SubjectDID, BeschikkingID: dbutil.Deref(r.BeschikkingID),
			StatusList: r.StatusList, StatusIndex: r.StatusIdx, RevokedAt: utc(r.RevokedAt), RevokeReason: dbutil.Deref(r.RevokeReason),
			ValidFrom: r.ValidFrom.UTC(), ValidUntil: utc(r.ValidUntil), Credential: r.Credential, CreatedAt: r.CreatedAt.UTC()}
		if r.Toewijzingnummer != nil {
			out[i].Toewijzingnummer = *r.Toewijzingnummer
		}
	}
	return out, nil
}

// Wallet returns an organisation wallet, newest first.
func (s *Store) Wallet(ctx context.Context, holderTenantID string) ([]orgcred.WalletEntry, error) {
	var rows []walletRow
	if err := s.db.WithContext(ctx).Where("tenant_id = ?", holderTenantID).Order("received_at DESC").Find(&rows).Error; err != nil {
		return nil, mapErr("wallet", err)
	}
	out := make([]orgcred.WalletEntry, len(rows))
	for i, r := range rows {
		out[i] = orgcred.WalletEntry{ID: r.ID, TenantID: r.TenantID, CredentialID: r.CredentialID, Type: r.Type, Issuer: r.Issuer,
			Credential: r.Credential, ReceivedAt: r.ReceivedAt.UTC()}
	}
	return out, nil
}

// RolesOf lists the OrganisatieRol credentials issued on this instance about a subject.
func (s *Store) RolesOf(ctx context.Context, subjectDID string) ([]orgcred.Record, error) {
	var rows []credRow
	if err := s.db.WithContext(ctx).Where("type = ? AND subject_did = ?", orgcred.TypeRole, subjectDID).Find(&rows).Error; err != nil {
		return nil, mapErr("roles of", err)
	}
	out := make([]orgcred.Record, len(rows))
	for i, r := range rows {
		out[i] = orgcred.Record{ID: r.ID, TenantID: r.TenantID, Type: r.Type, SubjectDID: r.SubjectDID, RevokedAt: utc(r.RevokedAt),
			ValidFrom: r.ValidFrom.UTC(), ValidUntil: utc(r.ValidUntil), Credential: r.Credential}
	}
	return out, nil
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func mapErr(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return orgcred.ErrNotFound
	case errors.Is(err, orgcred.ErrConflict), errors.Is(err, orgcred.ErrNotFound):
		return err
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return fmt.Errorf("%s: %w", op, orgcred.ErrConflict)
	}
	return fmt.Errorf("orgcred store: %s: %w", op, err)
}
