// Package store is the gorm implementation of issuer.Store on PostgreSQL and SQLite.
package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/sociaaldomein/bewijs/internal/dbutil"
	"github.com/sociaaldomein/bewijs/issuer"
	slstore "github.com/sociaaldomein/bewijs/issuer/statuslist/store"
)

// Store keeps beschikkingen, their credentials and the OpenID4VCI protocol state.
type Store struct {
	db     *gorm.DB
	status *slstore.Store
}

var _ issuer.Store = (*Store)(nil)

// New returns a store on db; status allocates and changes status list entries.
func New(db *gorm.DB, status *slstore.Store) *Store { return &Store{db: db, status: status} }

type beschikkingRow struct {
	ID                string
	TenantID          string
	Beschikkingnummer string
	Wet               string
	State             string
	StateReason       *string
	ClientRef         *string
	OfferExpiresAt    time.Time
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

func (beschikkingRow) TableName() string { return "beschikkingen" }

type credentialRow struct {
	ID               string
	BeschikkingID    string
	TenantID         string
	ConfigurationID  string
	Toewijzingnummer int64
	AanbiederAGB     string `gorm:"column:aanbieder_agb"`
	Claims           *string
	NotBefore        time.Time
	ExpiresAt        time.Time
	IssuedAt         *time.Time
}

func (credentialRow) TableName() string { return "beschikking_credentials" }

type issuedRow struct {
	ID             string
	CredentialID   string
	StatusListID   string
	StatusIdx      int
	HolderJKT      string `gorm:"column:holder_jkt"`
	NotificationID string
	NotifiedEvent  *string
	IssuedAt       time.Time
}

func (issuedRow) TableName() string { return "issued_credentials" }

type offerRow struct {
	ID               string
	TenantID         string
	BeschikkingID    string
	Body             string
	ExpiresAt        time.Time
	DeliverTo        *string
	DeliveryAttempts int
	NextDeliveryAt   *time.Time
	DeliveredAt      *time.Time
	DeliveryError    *string
}

func (offerRow) TableName() string { return "oid4vci_offers" }

// CreateBeschikking stores the beschikking, its credentials, offer and code in one transaction.
func (s *Store) CreateBeschikking(ctx context.Context, b issuer.Beschikking, creds []issuer.Credential, o issuer.Offer, codes []issuer.Code) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(toBeschikkingRow(b)).Error; err != nil {
			return err
		}
		for _, cr := range creds {
			if err := tx.Create(toCredentialRow(cr)).Error; err != nil {
				return err
			}
		}
		row := &offerRow{ID: o.ID, TenantID: o.TenantID, BeschikkingID: o.BeschikkingID, Body: string(o.Body), ExpiresAt: o.ExpiresAt.UTC()}
		if o.DeliverTo != "" {
			due := b.CreatedAt.UTC()
			row.DeliverTo, row.NextDeliveryAt = &o.DeliverTo, &due
		}
		if err := tx.Create(row).Error; err != nil {
			return err
		}
		for _, c := range codes {
			if err := tx.Create(toCodeRow(c)).Error; err != nil {
				return err
			}
		}
		return nil
	})
	return mapErr("create beschikking", err)
}

// Beschikking loads a beschikking and its credentials; tenantID "" matches any tenant.
func (s *Store) Beschikking(ctx context.Context, tenantID, id string) (issuer.Beschikking, []issuer.Credential, error) {
	q := s.db.WithContext(ctx).Where("id = ?", id)
	if tenantID != "" {
		q = q.Where("tenant_id = ?", tenantID)
	}
	var b beschikkingRow
	if err := q.Take(&b).Error; err != nil {
		return issuer.Beschikking{}, nil, mapErr("find beschikking", err)
	}
	var rows []credentialRow
	if err := s.db.WithContext(ctx).Where("beschikking_id = ?", id).Order("toewijzingnummer, id").Find(&rows).Error; err != nil {
		return issuer.Beschikking{}, nil, mapErr("list credentials", err)
	}
	creds := make([]issuer.Credential, 0, len(rows))
	for _, r := range rows {
		creds = append(creds, r.toCredential())
	}
	return b.toBeschikking(), creds, nil
}

// Offer loads an offer by id.
func (s *Store) Offer(ctx context.Context, tenantID, id string) (issuer.Offer, error) {
	var r offerRow
	if err := s.db.WithContext(ctx).Where("id = ? AND tenant_id = ?", id, tenantID).Take(&r).Error; err != nil {
		return issuer.Offer{}, mapErr("find offer", err)
	}
	return issuer.Offer{ID: r.ID, TenantID: r.TenantID, BeschikkingID: r.BeschikkingID, Body: []byte(r.Body), ExpiresAt: r.ExpiresAt,
		DeliverTo: dbutil.Deref(r.DeliverTo)}, nil
}

// mapErr turns storage errors into issuer errors at the store boundary.
func mapErr(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return issuer.ErrNotFound
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return fmt.Errorf("%s: %w", op, issuer.ErrConflict)
	case errors.Is(err, issuer.ErrNotFound), errors.Is(err, issuer.ErrConflict), errors.Is(err, issuer.ErrReplay),
		errors.Is(err, issuer.ErrExpired), errors.Is(err, issuer.ErrTxCode), errors.Is(err, issuer.ErrCodeDead),
		errors.Is(err, issuer.ErrTxCodeRequired), errors.Is(err, issuer.ErrTxCodeUnexpected):
		return err
	}
	return fmt.Errorf("issuer store: %s: %w", op, err)
}

func toBeschikkingRow(b issuer.Beschikking) *beschikkingRow {
	return &beschikkingRow{ID: b.ID, TenantID: b.TenantID, Beschikkingnummer: b.Beschikkingnummer, Wet: b.Wet, State: string(b.State),
		StateReason: dbutil.Opt(b.StateReason), ClientRef: dbutil.Opt(b.ClientRef), OfferExpiresAt: b.OfferExpiresAt.UTC(), CreatedAt: b.CreatedAt.UTC(), UpdatedAt: b.UpdatedAt.UTC()}
}

func (r beschikkingRow) toBeschikking() issuer.Beschikking {
	return issuer.Beschikking{ID: r.ID, TenantID: r.TenantID, Beschikkingnummer: r.Beschikkingnummer, Wet: r.Wet, State: issuer.State(r.State),
		StateReason: dbutil.Deref(r.StateReason), ClientRef: dbutil.Deref(r.ClientRef), OfferExpiresAt: r.OfferExpiresAt.UTC(), CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

func toCredentialRow(c issuer.Credential) *credentialRow {
	return &credentialRow{ID: c.ID, BeschikkingID: c.BeschikkingID, TenantID: c.TenantID, ConfigurationID: c.ConfigurationID,
		Toewijzingnummer: c.Toewijzingnummer, AanbiederAGB: c.AanbiederAGB, Claims: dbutil.Opt(c.SealedClaims),
		NotBefore: c.NotBefore.UTC(), ExpiresAt: c.ExpiresAt.UTC(), IssuedAt: c.IssuedAt}
}

func (r credentialRow) toCredential() issuer.Credential {
	c := issuer.Credential{ID: r.ID, BeschikkingID: r.BeschikkingID, TenantID: r.TenantID, ConfigurationID: r.ConfigurationID,
		Toewijzingnummer: r.Toewijzingnummer, AanbiederAGB: r.AanbiederAGB, SealedClaims: dbutil.Deref(r.Claims),
		NotBefore: r.NotBefore.UTC(), ExpiresAt: r.ExpiresAt.UTC()}
	if r.IssuedAt != nil {
		t := r.IssuedAt.UTC()
		c.IssuedAt = &t
	}
	return c
}

// OfferedForClient lists the ids of a tenant's offered beschikkingen with this client_ref.
func (s *Store) OfferedForClient(ctx context.Context, tenantID, clientRef string) ([]string, error) {
	var ids []string
	err := s.db.WithContext(ctx).Model(&beschikkingRow{}).
		Where("tenant_id = ? AND client_ref = ? AND state = ?", tenantID, clientRef, string(issuer.Offered)).
		Order("created_at").Pluck("id", &ids).Error
	return ids, mapErr("find beschikkingen of a client", err)
}

// joinIDs stores a list of ids in one column; nil for none.
func joinIDs(ids []string) *string {
	if len(ids) == 0 {
		return nil
	}
	return dbutil.Opt(strings.Join(ids, " "))
}

func splitIDs(s *string) []string {
	if s == nil || *s == "" {
		return nil
	}
	return strings.Fields(*s)
}

// MarkCredentialIssued erases a credential's claims and moves its beschikking to issued, once.
func (s *Store) MarkCredentialIssued(ctx context.Context, credentialID string, at time.Time) error {
	return mapErr("mark credential issued", s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&credentialRow{}).Where("id = ? AND claims IS NOT NULL", credentialID).
			Updates(map[string]any{"claims": nil, "issued_at": at.UTC()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return issuer.ErrConflict
		}
		return s.markIssued(tx, issuer.IssueBatch{CredentialID: credentialID, At: at})
	}))
}
