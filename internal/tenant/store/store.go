// Package store is the gorm implementation of tenant.Store, on PostgreSQL and SQLite alike.
package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/sociaaldomein/bewijs/internal/dbutil"
	"github.com/sociaaldomein/bewijs/internal/tenant"
)

// Store keeps organisations, their keys and API keys.
type Store struct{ db *gorm.DB }

var _ tenant.Store = (*Store)(nil)

// New returns a store on db (opened by package migrations).
func New(db *gorm.DB) *Store { return &Store{db: db} }

type tenantRow struct {
	ID           string
	Slug         string
	Name         string
	Kind         string
	Gemeentecode *string
	AGB          *string `gorm:"column:agb"`
	KvK          *string `gorm:"column:kvk"`
	OIN          *string `gorm:"column:oin"`
	CreatedAt    time.Time
}

func (tenantRow) TableName() string { return "tenants" }

type keyRow struct {
	KID       string `gorm:"column:kid;primaryKey"`
	TenantID  string
	Alg       string
	PublicJWK string `gorm:"column:public_jwk"`
	KeyRef    string
	CreatedAt time.Time
	RemovedAt *time.Time
}

func (keyRow) TableName() string { return "tenant_keys" }

type apiKeyRow struct {
	ID        string
	TenantID  *string
	Hash      string
	CreatedAt time.Time
	RevokedAt *time.Time
}

func (apiKeyRow) TableName() string { return "api_keys" }

// Create stores the tenant, its first key and its first API key in one transaction.
func (s *Store) Create(ctx context.Context, t tenant.Tenant, k tenant.Key, a tenant.APIKey) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(toTenantRow(t)).Error; err != nil {
			return err
		}
		if err := tx.Create(toKeyRow(k)).Error; err != nil {
			return err
		}
		return tx.Create(toAPIKeyRow(a)).Error
	})
	return mapErr("create tenant", err)
}

// List returns all tenants ordered by slug.
func (s *Store) List(ctx context.Context) ([]tenant.Tenant, error) {
	var rows []tenantRow
	if err := s.db.WithContext(ctx).Order("slug").Find(&rows).Error; err != nil {
		return nil, mapErr("list tenants", err)
	}
	out := make([]tenant.Tenant, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.toTenant())
	}
	return out, nil
}

// BySlug finds a tenant by slug.
func (s *Store) BySlug(ctx context.Context, slug string) (tenant.Tenant, error) {
	return s.first(ctx, "slug = ?", slug)
}

// ByID finds a tenant by id.
func (s *Store) ByID(ctx context.Context, id string) (tenant.Tenant, error) {
	return s.first(ctx, "id = ?", id)
}

func (s *Store) first(ctx context.Context, where string, arg string) (tenant.Tenant, error) {
	var r tenantRow
	if err := s.db.WithContext(ctx).Where(where, arg).Take(&r).Error; err != nil {
		return tenant.Tenant{}, mapErr("find tenant", err)
	}
	return r.toTenant(), nil
}

// AddKey stores a new key.
func (s *Store) AddKey(ctx context.Context, k tenant.Key) error {
	return mapErr("add key", s.db.WithContext(ctx).Create(toKeyRow(k)).Error)
}

// Keys returns the tenant's keys that have not been removed, oldest first.
func (s *Store) Keys(ctx context.Context, tenantID string) ([]tenant.Key, error) {
	var rows []keyRow
	err := s.db.WithContext(ctx).Where("tenant_id = ? AND removed_at IS NULL", tenantID).
		Order("created_at, kid").Find(&rows).Error
	if err != nil {
		return nil, mapErr("list keys", err)
	}
	out := make([]tenant.Key, 0, len(rows))
	for _, r := range rows {
		out = append(out, tenant.Key{KID: r.KID, TenantID: r.TenantID, Alg: r.Alg, PublicJWK: []byte(r.PublicJWK), Ref: r.KeyRef, CreatedAt: r.CreatedAt})
	}
	return out, nil
}

// RemoveKey marks a key removed. An unknown or already removed key gives ErrNotFound.
func (s *Store) RemoveKey(ctx context.Context, tenantID, kid string, at time.Time) error {
	res := s.db.WithContext(ctx).Model(&keyRow{}).
		Where("tenant_id = ? AND kid = ? AND removed_at IS NULL", tenantID, kid).
		Update("removed_at", at.UTC())
	if res.Error != nil {
		return mapErr("remove key", res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("key %s: %w", kid, tenant.ErrNotFound)
	}
	return nil
}

// AddAPIKey stores an API key, revoking the owner's other keys first when asked.
func (s *Store) AddAPIKey(ctx context.Context, a tenant.APIKey, revokeOthers bool, at time.Time) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if revokeOthers {
			q := tx.Model(&apiKeyRow{}).Where("revoked_at IS NULL")
			if a.TenantID == "" {
				q = q.Where("tenant_id IS NULL")
			} else {
				q = q.Where("tenant_id = ?", a.TenantID)
			}
			if err := q.Update("revoked_at", at.UTC()).Error; err != nil {
				return err
			}
		}
		return tx.Create(toAPIKeyRow(a)).Error
	})
	return mapErr("add API key", err)
}

// APIKeyByHash finds an unrevoked API key by its hash.
func (s *Store) APIKeyByHash(ctx context.Context, hash string) (tenant.APIKey, error) {
	var r apiKeyRow
	if err := s.db.WithContext(ctx).Where("hash = ? AND revoked_at IS NULL", hash).Take(&r).Error; err != nil {
		return tenant.APIKey{}, mapErr("find API key", err)
	}
	return tenant.APIKey{ID: r.ID, TenantID: dbutil.Deref(r.TenantID), Hash: r.Hash, CreatedAt: r.CreatedAt, RevokedAt: r.RevokedAt}, nil
}

// mapErr turns storage errors into domain errors at the store boundary.
func mapErr(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return tenant.ErrNotFound
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return tenant.ErrConflict
	}
	return fmt.Errorf("tenant store: %s: %w", op, err)
}

func toTenantRow(t tenant.Tenant) *tenantRow {
	return &tenantRow{ID: t.ID, Slug: t.Slug, Name: t.Name, Kind: string(t.Kind),
		Gemeentecode: dbutil.Opt(t.Ids.Gemeentecode), AGB: dbutil.Opt(t.Ids.AGB), KvK: dbutil.Opt(t.Ids.KvK), OIN: dbutil.Opt(t.Ids.OIN),
		CreatedAt: t.CreatedAt.UTC()}
}

func (r tenantRow) toTenant() tenant.Tenant {
	return tenant.Tenant{ID: r.ID, Slug: r.Slug, Name: r.Name, Kind: tenant.Kind(r.Kind), CreatedAt: r.CreatedAt.UTC(),
		Ids: tenant.Identifiers{Gemeentecode: dbutil.Deref(r.Gemeentecode), AGB: dbutil.Deref(r.AGB), KvK: dbutil.Deref(r.KvK), OIN: dbutil.Deref(r.OIN)}}
}

func toKeyRow(k tenant.Key) *keyRow {
	return &keyRow{KID: k.KID, TenantID: k.TenantID, Alg: k.Alg, PublicJWK: string(k.PublicJWK), KeyRef: k.Ref, CreatedAt: k.CreatedAt.UTC()}
}

func toAPIKeyRow(a tenant.APIKey) *apiKeyRow {
	return &apiKeyRow{ID: a.ID, TenantID: dbutil.Opt(a.TenantID), Hash: a.Hash, CreatedAt: a.CreatedAt.UTC()}
}
