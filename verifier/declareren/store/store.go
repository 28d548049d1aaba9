// Package store is the gorm implementation of declareren.Store on PostgreSQL and SQLite.
package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/sociaaldomein/bewijs/verifier/declareren"
)

// Store keeps declaraties and single-use keys.
type Store struct{ db *gorm.DB }

var _ declareren.Store = (*Store)(nil)

// New returns a store on db.
func New(db *gorm.DB) *Store { return &Store{db: db} }

// replayRow shares the replay_guard table of the issuer's protocol state (migration 00003).
type replayRow struct {
	Key       string `gorm:"primaryKey"`
	ExpiresAt time.Time
}

func (replayRow) TableName() string { return "replay_guard" }

type declaratieRow struct {
	ID               string
	TenantID         string
	AanbiederDID     string `gorm:"column:aanbieder_did"`
	Toewijzingnummer int64
	Productcategorie string
	Productcode      string
	Begindatum       string
	Einddatum        string
	GeleverdVolume   int64
	Eenheid          string
	Bedrag           int64
	CreatedAt        time.Time
}

func (declaratieRow) TableName() string { return "declaraties" }

// Remember stores a key once.
func (s *Store) Remember(ctx context.Context, key string, expires time.Time) error {
	err := s.db.WithContext(ctx).Create(&replayRow{Key: key, ExpiresAt: expires.UTC()}).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return declareren.ErrReplay
	}
	return mapErr("remember", err)
}

// Declared sums the volume of accepted declaraties of a toewijzing whose begindatum lies in
// [from, to] ("" : no bound).
func (s *Store) Declared(ctx context.Context, tenantID string, toewijzingnummer int64, from, to string) (int64, error) {
	q := s.db.WithContext(ctx).Model(&declaratieRow{}).Where("tenant_id = ? AND toewijzingnummer = ?", tenantID, toewijzingnummer)
	if from != "" {
		q = q.Where("begindatum >= ?", from)
	}
	if to != "" {
		q = q.Where("begindatum <= ?", to)
	}
	var sum struct{ Total int64 }
	if err := q.Select("COALESCE(SUM(geleverd_volume), 0) AS total").Scan(&sum).Error; err != nil {
		return 0, mapErr("sum declaraties", err)
	}
	return sum.Total, nil
}

// Save stores an accepted declaratie.
func (s *Store) Save(ctx context.Context, d declareren.Declaratie) error {
	return mapErr("save declaratie", s.db.WithContext(ctx).Create(&declaratieRow{ID: d.ID, TenantID: d.TenantID, AanbiederDID: d.AanbiederDID,
		Toewijzingnummer: d.Toewijzingnummer, Productcategorie: d.Productcategorie, Productcode: d.Productcode, Begindatum: d.Begindatum,
		Einddatum: d.Einddatum, GeleverdVolume: d.GeleverdVolume, Eenheid: d.Eenheid, Bedrag: d.Bedrag, CreatedAt: d.CreatedAt.UTC()}).Error)
}

// List returns a gemeente's declaraties, newest first.
func (s *Store) List(ctx context.Context, tenantID string) ([]declareren.Declaratie, error) {
	var rows []declaratieRow
	if err := s.db.WithContext(ctx).Where("tenant_id = ?", tenantID).Order("created_at DESC").Find(&rows).Error; err != nil {
		return nil, mapErr("list declaraties", err)
	}
	out := make([]declareren.Declaratie, len(rows))
	for i, r := range rows {
		out[i] = declareren.Declaratie{ID: r.ID, TenantID: r.TenantID, AanbiederDID: r.AanbiederDID, CreatedAt: r.CreatedAt.UTC(),
			Line: declareren.Line{Toewijzingnummer: r.Toewijzingnummer, Productcategorie: r.Productcategorie, Productcode: r.Productcode,
				Begindatum: r.Begindatum, Einddatum: r.Einddatum, GeleverdVolume: r.GeleverdVolume, Eenheid: r.Eenheid, Bedrag: r.Bedrag}}
	}
	return out, nil
}

func mapErr(op string, err error) error {
	if err == nil || errors.Is(err, declareren.ErrReplay) {
		return err
	}
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return declareren.ErrReplay
	}
	return fmt.Errorf("declareren store: %s: %w", op, err)
}
