package store

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"github.com/sociaaldomein/bewijs/internal/statuslist"
)

// SetStatus changes an entry's status, in tx when it is non-nil and otherwise in a short
// transaction of its own. An unknown list or an index that was never allocated gives
// ErrNotFound; a status that does not fit the list's bits gives statuslist.ErrStatus.
// The change shows in the next list Build renders.
func (s *Store) SetStatus(ctx context.Context, tx *gorm.DB, listID string, idx int, st statuslist.Status) error {
	if tx == nil {
		return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			return s.setStatus(tx, listID, idx, st)
		})
	}
	return s.setStatus(tx.WithContext(ctx), listID, idx, st)
}

func (s *Store) setStatus(db *gorm.DB, listID string, idx int, st statuslist.Status) error {
	list, err := s.list(db, listID)
	if err != nil {
		return err
	}
	// §7: "The issuer of the Status List MUST choose an adequate bits value (bit size) to be
	// able to describe the required Status Types for its application."
	if int(st) >= 1<<list.Bits {
		return fmt.Errorf("%w: status %s in a %d-bit list", statuslist.ErrStatus, st, list.Bits)
	}
	res := db.Model(&entryRow{}).
		Where("list_id = ? AND idx = ?", listID, idx).
		Updates(map[string]any{"status": int(st), "updated_at": s.now()})
	if res.Error != nil {
		return fmt.Errorf("status list: set status: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("%w: entry %d of list %s", ErrNotFound, idx, listID)
	}
	return nil
}

// Build returns the list's current bit array (every entry that is not VALID set) and the
// tenant it belongs to, for rendering the Status List Token. An unknown list gives ErrNotFound.
//
// §13.3: the list starts all VALID ("a default value that represents the most common value"),
// so unallocated and untouched indexes look alike and the array hides how many were issued.
func (s *Store) Build(ctx context.Context, listID string) (string, *statuslist.List, error) {
	db := s.db.WithContext(ctx)
	list, err := s.list(db, listID)
	if err != nil {
		return "", nil, err
	}
	l, err := statuslist.New(list.Bits, list.Size)
	if err != nil {
		return "", nil, fmt.Errorf("status list %s: %w", listID, err)
	}
	var set []entryRow
	err = db.Select("idx", "status").Where("list_id = ? AND status <> 0", listID).Find(&set).Error
	if err != nil {
		return "", nil, fmt.Errorf("status list: read entries: %w", err)
	}
	for _, e := range set {
		if err := l.Set(e.Idx, statuslist.Status(e.Status)); err != nil {
			return "", nil, fmt.Errorf("status list %s: entry %d: %w", listID, e.Idx, err)
		}
	}
	return list.TenantID, l, nil
}

func (s *Store) list(db *gorm.DB, listID string) (listRow, error) {
	var row listRow
	err := db.Where("id = ?", listID).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return listRow{}, fmt.Errorf("%w: list %s", ErrNotFound, listID)
	}
	if err != nil {
		return listRow{}, fmt.Errorf("status list: read list: %w", err)
	}
	return row, nil
}
