package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/sociaaldomein/bewijs/internal/dbutil"
	"github.com/sociaaldomein/bewijs/issuer"
)

// DueDeliveries lists undelivered, unexpired offers whose next delivery is due.
func (s *Store) DueDeliveries(ctx context.Context, now time.Time, limit int) ([]issuer.Delivery, error) {
	now = now.UTC()
	return s.deliveries(s.db.WithContext(ctx).Where("o.next_delivery_at <= ? AND o.delivered_at IS NULL AND o.expires_at > ?", now, now).
		Order("o.next_delivery_at, o.id").Limit(limit))
}

// deliveries reads the deliveries q selects, with their tenant's slug.
func (s *Store) deliveries(q *gorm.DB) ([]issuer.Delivery, error) {
	var rows []struct {
		ID, TenantID, Slug string
		DeliverTo          *string
		DeliveryAttempts   int
		ExpiresAt          time.Time
	}
	err := q.Table("oid4vci_offers o").Joins("JOIN tenants t ON t.id = o.tenant_id").
		Select("o.id, o.tenant_id, t.slug, o.deliver_to, o.delivery_attempts, o.expires_at").Scan(&rows).Error
	if err != nil {
		return nil, mapErr("list deliveries", err)
	}
	out := make([]issuer.Delivery, 0, len(rows))
	for _, r := range rows {
		out = append(out, issuer.Delivery{OfferID: r.ID, TenantID: r.TenantID, Slug: r.Slug, HolderDID: dbutil.Deref(r.DeliverTo),
			Attempts: r.DeliveryAttempts, ExpiresAt: r.ExpiresAt.UTC()})
	}
	return out, nil
}

// ResumeDelivery makes an undelivered, unexpired delivery due at now, with one conditional
// update, and reads it back.
func (s *Store) ResumeDelivery(ctx context.Context, tenantID, beschikkingID string, now time.Time) (issuer.Delivery, error) {
	now = now.UTC()
	db := s.db.WithContext(ctx)
	res := db.Model(&offerRow{}).Where("tenant_id = ? AND beschikking_id = ? AND deliver_to IS NOT NULL AND delivered_at IS NULL AND expires_at > ?",
		tenantID, beschikkingID, now).Update("next_delivery_at", now)
	if res.Error != nil {
		return issuer.Delivery{}, mapErr("resume delivery", res.Error)
	}
	if res.RowsAffected != 1 {
		if _, err := s.OfferDelivery(ctx, tenantID, beschikkingID); err != nil {
			return issuer.Delivery{}, err // ErrNotFound: no delivery at all
		}
		return issuer.Delivery{}, issuer.ErrConflict
	}
	ds, err := s.deliveries(db.Where("o.tenant_id = ? AND o.beschikking_id = ? AND o.deliver_to IS NOT NULL", tenantID, beschikkingID))
	if err != nil {
		return issuer.Delivery{}, err
	}
	if len(ds) != 1 {
		return issuer.Delivery{}, issuer.ErrNotFound
	}
	return ds[0], nil
}

// ClaimDelivery counts an attempt at d and holds the next one back until until, with one
// conditional update on the attempt count d was read with: of two replicas, one wins.
func (s *Store) ClaimDelivery(ctx context.Context, d issuer.Delivery, until time.Time) error {
	res := s.db.WithContext(ctx).Model(&offerRow{}).
		Where("id = ? AND delivery_attempts = ? AND delivered_at IS NULL AND next_delivery_at IS NOT NULL", d.OfferID, d.Attempts).
		Updates(map[string]any{"delivery_attempts": d.Attempts + 1, "next_delivery_at": until.UTC()})
	if res.Error != nil {
		return mapErr("claim delivery", res.Error)
	}
	if res.RowsAffected != 1 {
		return issuer.ErrConflict
	}
	return nil
}

// FinishDelivery records the outcome of an attempt.
func (s *Store) FinishDelivery(ctx context.Context, offerID string, at time.Time, failure string, next *time.Time) error {
	set := map[string]any{"delivered_at": at.UTC(), "next_delivery_at": nil, "delivery_error": nil}
	if failure != "" {
		set = map[string]any{"delivered_at": nil, "next_delivery_at": utcPtr(next), "delivery_error": failure}
	}
	return mapErr("finish delivery", s.db.WithContext(ctx).Model(&offerRow{}).Where("id = ?", offerID).Updates(set).Error)
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// OfferDelivery is the delivery state of the offer of beschikking record beschikkingID.
func (s *Store) OfferDelivery(ctx context.Context, tenantID, beschikkingID string) (issuer.DeliveryStatus, error) {
	var r offerRow
	err := s.db.WithContext(ctx).Where("tenant_id = ? AND beschikking_id = ? AND deliver_to IS NOT NULL", tenantID, beschikkingID).
		Take(&r).Error
	if err != nil {
		return issuer.DeliveryStatus{}, mapErr("find offer delivery", err)
	}
	return issuer.DeliveryStatus{HolderDID: dbutil.Deref(r.DeliverTo), Attempts: r.DeliveryAttempts, NextAttempt: utcPtr(r.NextDeliveryAt),
		DeliveredAt: utcPtr(r.DeliveredAt), LastError: dbutil.Deref(r.DeliveryError)}, nil
}
