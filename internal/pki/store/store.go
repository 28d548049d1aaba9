// Package store is the gorm implementation of pki.CAStore and tenant.CertStore, on PostgreSQL
// and SQLite alike. Certificates are stored as PEM text.
package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/sociaaldomein/bewijs/internal/pki"
	"github.com/sociaaldomein/bewijs/internal/tenant"
)

// Store keeps the pilot CA and the certificates of tenant keys.
type Store struct{ db *gorm.DB }

var (
	_ pki.CAStore      = (*Store)(nil)
	_ tenant.CertStore = (*Store)(nil)
)

// New returns a store on db (opened by package migrations).
func New(db *gorm.DB) *Store { return &Store{db: db} }

type caRow struct {
	ID          string
	Certificate string // PEM
	KeyRef      string
	CreatedAt   time.Time
}

func (caRow) TableName() string { return "pki_cas" }

type certRow struct {
	ID        string
	TenantID  string
	KID       string `gorm:"column:kid"`
	Source    string
	Chain     string // PEM, leaf first
	NotBefore time.Time
	NotAfter  time.Time
	CreatedAt time.Time
}

func (certRow) TableName() string { return "tenant_certificates" }

// CreateCA stores a CA; an existing id gives pki.ErrConflict.
func (s *Store) CreateCA(ctx context.Context, ca pki.StoredCA) error {
	row := caRow{ID: ca.ID, Certificate: string(pki.EncodePEM([][]byte{ca.CertDER})), KeyRef: ca.KeyRef, CreatedAt: ca.CreatedAt.UTC()}
	return mapCAErr("create CA", s.db.WithContext(ctx).Create(&row).Error)
}

// CA returns a CA by id, or pki.ErrNotFound.
func (s *Store) CA(ctx context.Context, id string) (pki.StoredCA, error) {
	var r caRow
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return pki.StoredCA{}, mapCAErr("find CA", err)
	}
	chain, err := pki.ParseChain([]byte(r.Certificate))
	if err != nil || len(chain) != 1 {
		return pki.StoredCA{}, fmt.Errorf("pki store: CA %s: stored certificate is damaged: %v", id, err)
	}
	return pki.StoredCA{ID: r.ID, CertDER: chain[0], KeyRef: r.KeyRef, CreatedAt: r.CreatedAt.UTC()}, nil
}

// AddCert stores a tenant certificate. An unknown tenant or key gives tenant.ErrNotFound.
func (s *Store) AddCert(ctx context.Context, c tenant.Cert) error {
	row := certRow{ID: c.ID, TenantID: c.TenantID, KID: c.KID, Source: string(c.Source), Chain: string(pki.EncodePEM(c.Chain)),
		NotBefore: c.NotBefore.UTC(), NotAfter: c.NotAfter.UTC(), CreatedAt: c.CreatedAt.UTC()}
	return mapCertErr("add certificate", s.db.WithContext(ctx).Create(&row).Error)
}

// Certs returns the certificates stored for one key of a tenant, newest first.
func (s *Store) Certs(ctx context.Context, tenantID, kid string) ([]tenant.Cert, error) {
	var rows []certRow
	err := s.db.WithContext(ctx).Where("tenant_id = ? AND kid = ?", tenantID, kid).
		Order("created_at DESC, id DESC").Find(&rows).Error
	if err != nil {
		return nil, mapCertErr("list certificates", err)
	}
	out := make([]tenant.Cert, 0, len(rows))
	for _, r := range rows {
		chain, err := pki.ParseChain([]byte(r.Chain))
		if err != nil {
			return nil, fmt.Errorf("pki store: certificate %s: stored chain is damaged: %w", r.ID, err)
		}
		out = append(out, tenant.Cert{ID: r.ID, TenantID: r.TenantID, KID: r.KID, Source: tenant.CertSource(r.Source), Chain: chain,
			NotBefore: r.NotBefore.UTC(), NotAfter: r.NotAfter.UTC(), CreatedAt: r.CreatedAt.UTC()})
	}
	return out, nil
}

// mapCAErr turns storage errors into pki's domain errors at the store boundary.
func mapCAErr(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return pki.ErrNotFound
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return pki.ErrConflict
	}
	return fmt.Errorf("pki store: %s: %w", op, err)
}

// mapCertErr turns storage errors into tenant's domain errors at the store boundary.
func mapCertErr(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrForeignKeyViolated):
		return fmt.Errorf("%s: unknown tenant or key: %w", op, tenant.ErrNotFound)
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return tenant.ErrConflict
	}
	return fmt.Errorf("pki store: %s: %w", op, err)
}
