package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/sociaaldomein/bewijs/internal/dbutil"
)

const (
	// maxDraws is how many random indexes one list gets before it counts as full. At the
	// default 75% fill all 32 collide with probability 0.75^32 ≈ 10^-4.
	maxDraws = 32
	// maxLists is how many lists one allocation may move through (a full list, and a list a
	// concurrent transaction opened but has not committed yet).
	maxLists = 4
	// fillChecksPerList: a collision triggers an exact count with probability
	// fillChecksPerList/size, so a large list is counted rarely and a small one every time.
	fillChecksPerList = 1024
)

// errExhausted is returned when no list had a free index within the attempts.
var errExhausted = errors.New("status list: no free index found")

// Allocate draws a random free index in the tenant's current list (opening a new list when
// needed) and inserts the entry, inside tx (the caller's transaction), so the entry exists
// exactly when the issuance commits. A nil tx runs in a transaction of its own.
// credentialID links the entry to what was issued. An unknown tenant gives ErrNotFound.
func (s *Store) Allocate(ctx context.Context, tx *gorm.DB, tenantID, credentialID string) (Entry, error) {
	if tenantID == "" || credentialID == "" {
		return Entry{}, errors.New("status list: tenant and credential id are required")
	}
	if tx == nil {
		var e Entry
		err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			var err error
			e, err = s.allocate(tx, tenantID, credentialID)
			return err
		})
		return e, err
	}
	return s.allocate(tx.WithContext(ctx), tenantID, credentialID)
}

func (s *Store) allocate(db *gorm.DB, tenantID, credentialID string) (Entry, error) {
	if e, ok, err := s.fastDraw(db, tenantID, credentialID); err != nil || ok {
		return e, err
	}
	// The first draw collided, or the tenant has no list yet.
	list, err := s.currentList(db, tenantID)
	if err != nil {
		return Entry{}, err
	}
	for range maxLists {
		e, err := s.draw(db, list, credentialID)
		if err != nil {
			return Entry{}, err
		}
		if e != nil {
			return *e, s.maybeOpenNext(db, list)
		}
		if list, err = s.openAfter(db, list); err != nil {
			return Entry{}, err
		}
	}
	return Entry{}, errExhausted
}

// currentList is the tenant's list with the highest seq, opening the first when there is none.
func (s *Store) currentList(db *gorm.DB, tenantID string) (listRow, error) {
	var rows []listRow
	err := db.Where("tenant_id = ?", tenantID).Order("seq DESC").Limit(1).Find(&rows).Error
	if err != nil {
		return listRow{}, fmt.Errorf("status list: read current list: %w", err)
	}
	if len(rows) == 0 {
		return s.openAfter(db, listRow{TenantID: tenantID, Seq: 0})
	}
	return rows[0], nil
}

// openAfter opens list seq+1 unless another transaction already did, and returns the current
// list. Two openers meet on the unique (tenant_id, seq): on PostgreSQL the second waits for the
// first to commit and then does nothing; on SQLite writers are serialised anyway.
func (s *Store) openAfter(db *gorm.DB, prev listRow) (listRow, error) {
	row := listRow{
		ID:        uuid.NewString(),
		TenantID:  prev.TenantID,
		Seq:       prev.Seq + 1,
		Bits:      s.cfg.Bits,
		Size:      s.cfg.ListSize,
		CreatedAt: s.now(),
	}
	res := db.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "tenant_id"}, {Name: "seq"}},
		DoNothing: true,
	}).Create(&row)
	if errors.Is(res.Error, gorm.ErrForeignKeyViolated) {
		return listRow{}, fmt.Errorf("%w: tenant %q", ErrNotFound, prev.TenantID)
	}
	if res.Error != nil {
		return listRow{}, fmt.Errorf("status list: open list: %w", res.Error)
	}
	if res.RowsAffected == 1 {
		return row, nil
	}
	cur, err := s.currentList(db, prev.TenantID)
	if err != nil {
		return listRow{}, err
	}
	if cur.Seq <= prev.Seq {
		return listRow{}, fmt.Errorf("status list: list %d of tenant %q is not visible (is the transaction READ COMMITTED?)", prev.Seq+1, prev.TenantID)
	}
	return cur, nil
}

// fastInsert is the common case in one statement: one random index of the current list.
// The random number is reduced modulo the list's size in SQL (an unbiased draw when the size is
// a power of two, and off by less than size/2^62 otherwise).
const fastInsert = `INSERT INTO status_list_entries (list_id, idx, status, credential_id, created_at, updated_at)
SELECT id, CAST(? AS BIGINT) % size, 0, ?, ?, ? FROM status_lists
WHERE tenant_id = ? ORDER BY seq DESC LIMIT 1
ON CONFLICT (list_id, idx) DO NOTHING
RETURNING list_id, idx`

// fastDraw tries one random index of the tenant's current list without reading the list
// first. ok is false when the index was taken or the tenant has no list yet.
func (s *Store) fastDraw(db *gorm.DB, tenantID, credentialID string) (Entry, bool, error) {
	r, err := s.randIndex(math.MaxInt64)
	if err != nil {
		return Entry{}, false, err
	}
	now := s.now()
	var rows []entryRow
	if err := dbutil.RawScan(db, &rows, fastInsert, r, credentialID, now, now, tenantID); err != nil {
		return Entry{}, false, fmt.Errorf("status list: insert entry: %w", err)
	}
	if len(rows) != 1 {
		return Entry{}, false, nil
	}
	return Entry{ListID: rows[0].ListID, Index: rows[0].Idx}, true, nil
}

// draw inserts the entry at random indexes of list until one is free, and returns nil when
// all maxDraws collided.
//
// §13.3: "The Status Issuer MUST prevent any unintended double allocation." The primary key
// (list_id, idx) does: a taken index makes the insert do nothing, and we draw again.
func (s *Store) draw(db *gorm.DB, list listRow, credentialID string) (*Entry, error) {
	now := s.now()
	for range maxDraws {
		idx, err := s.randIndex(list.Size)
		if err != nil {
			return nil, err
		}
		row := entryRow{ListID: list.ID, Idx: idx, CredentialID: credentialID, CreatedAt: now, UpdatedAt: now}
		res := db.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "list_id"}, {Name: "idx"}},
			DoNothing: true,
		}).Create(&row)
		if res.Error != nil {
			return nil, fmt.Errorf("status list: insert entry: %w", res.Error)
		}
		if res.RowsAffected == 1 {
			return &Entry{ListID: list.ID, Index: idx}, nil
		}
	}
	return nil, nil
}

// maybeOpenNext opens the next list once this one is past the fill threshold. It runs only
// after a collision (the sign of a filling list), and then counts with probability
// fillChecksPerList/size, so the count stays off the hot path; a list overshoots the threshold
// by about size/fillChecksPerList/threshold entries on average (171 of 131072 by default).
func (s *Store) maybeOpenNext(db *gorm.DB, list listRow) error {
	if list.Size > fillChecksPerList {
		n, err := s.randIndex(list.Size)
		if err != nil {
			return err
		}
		if n >= fillChecksPerList {
			return nil
		}
	}
	var count int64
	if err := db.Model(&entryRow{}).Where("list_id = ?", list.ID).Count(&count).Error; err != nil {
		return fmt.Errorf("status list: count entries: %w", err)
	}
	if float64(count) < math.Ceil(s.cfg.FillThreshold*float64(list.Size)) {
		return nil
	}
	_, err := s.openAfter(db, list)
	return err
}

// randIndex draws uniformly from [0, n) by rejection sampling on 64 random bits.
func (s *Store) randIndex(n int) (int, error) {
	var b [8]byte
	limit := math.MaxUint64 - math.MaxUint64%uint64(n)
	for {
		s.randMu.Lock()
		_, err := io.ReadFull(s.cfg.Rand, b[:])
		s.randMu.Unlock()
		if err != nil {
			return 0, fmt.Errorf("status list: random index: %w", err)
		}
		if v := binary.BigEndian.Uint64(b[:]); v < limit {
			return int(v % uint64(n)), nil
		}
	}
}

// AllocateN allocates n entries for one credential in one statement when it can: a batch
// issuance then costs one round trip instead of n. The statement draws twice as many random
// indexes as it needs and inserts the first n that are free, so a list up to about half full
// almost never needs a second round trip. Whatever is still missing (a crowded list, or a
// concurrent insert of the same index) is drawn one by one through Allocate's path, which also
// opens the next list when this one has filled up.
func (s *Store) AllocateN(ctx context.Context, tx *gorm.DB, tenantID, credentialID string, n int) ([]Entry, error) {
	if n <= 1 {
		e, err := s.Allocate(ctx, tx, tenantID, credentialID)
		return []Entry{e}, err
	}
	if tx == nil || tenantID == "" || credentialID == "" {
		return nil, errors.New("status list: a transaction, tenant and credential id are required")
	}
	db := tx.WithContext(ctx)
	out, err := s.fastDrawN(db, tenantID, credentialID, n, 2*n)
	if err != nil {
		return nil, err
	}
	for len(out) < n {
		e, err := s.allocate(db, tenantID, credentialID)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// fastDrawN draws `candidates` random indexes of the tenant's current list and inserts the
// first `want` of them that are free, in one statement, returning what it inserted. Portable:
// CTEs and a VALUES list work on both engines. Two transactions that pick the same free index
// meet on the primary key: the later insert does nothing and returns fewer entries.
func (s *Store) fastDrawN(db *gorm.DB, tenantID, credentialID string, want, candidates int) ([]Entry, error) {
	now := s.now()
	// Parameters in the order they appear: the current list, the VALUES list, the LIMIT, then
	// the select list of the INSERT.
	args := []any{tenantID}
	values := make([]byte, 0, candidates*20)
	for k := range candidates {
		r, err := s.randIndex(math.MaxInt64)
		if err != nil {
			return nil, err
		}
		if k > 0 {
			values = append(values, ',')
		}
		values = append(values, "(CAST(? AS BIGINT))"...)
		// As text: PostgreSQL types a parameter in a VALUES list as text.
		args = append(args, strconv.Itoa(r))
	}
	args = append(args, want, credentialID, now, now)
	query := `WITH cur AS (SELECT id, size FROM status_lists WHERE tenant_id = ? ORDER BY seq DESC LIMIT 1),
cand AS (SELECT DISTINCT cur.id AS list_id, v.column1 % cur.size AS idx FROM cur, (VALUES ` + string(values) + `) AS v),
free AS (SELECT list_id, idx FROM cand WHERE NOT EXISTS
  (SELECT 1 FROM status_list_entries e WHERE e.list_id = cand.list_id AND e.idx = cand.idx) LIMIT ?)
INSERT INTO status_list_entries (list_id, idx, status, credential_id, created_at, updated_at)
SELECT list_id, idx, 0, ?, ?, ? FROM free WHERE true
ON CONFLICT (list_id, idx) DO NOTHING
RETURNING list_id, idx`
	var rows []entryRow
	if err := dbutil.RawScan(db, &rows, query, args...); err != nil {
		return nil, fmt.Errorf("status list: insert entries: %w", err)
	}
	out := make([]Entry, 0, want)
	for _, r := range rows {
		out = append(out, Entry{ListID: r.ListID, Index: r.Idx})
	}
	return out, nil
}
