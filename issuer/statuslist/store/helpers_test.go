package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/sociaaldomein/bewijs/issuer/statuslist/store"
	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
)

// newTenant inserts the tenant row the lists' foreign key needs.
func newTenant(t testing.TB, db *gorm.DB, id string) {
	t.Helper()
	err := db.Exec("INSERT INTO tenants (id, slug, name, kind, created_at) VALUES (?, ?, ?, 'gemeente', ?)",
		id, id, "Gemeente "+id, time.Now().UTC()).Error
	if err != nil {
		t.Fatalf("insert tenant: %v", err)
	}
}

// allocate runs one Allocate in a transaction of its own, as an issuance would.
func allocate(t testing.TB, db *gorm.DB, s *store.Store, tenant, cred string) store.Entry {
	t.Helper()
	var e store.Entry
	err := db.Transaction(func(tx *gorm.DB) error {
		var err error
		e, err = s.Allocate(context.Background(), tx, tenant, cred)
		return err
	})
	if err != nil {
		t.Fatalf("allocate %s: %v", cred, err)
	}
	return e
}

type listStat struct {
	ListID string
	Seq    int64
	Size   int
	N      int
}

// listStats counts the entries of each of the tenant's lists, in seq order.
func listStats(t testing.TB, db *gorm.DB, tenant string) []listStat {
	t.Helper()
	var out []listStat
	err := db.Raw(`SELECT l.id AS list_id, l.seq, l.size, COUNT(e.idx) AS n
		FROM status_lists l LEFT JOIN status_list_entries e ON e.list_id = l.id
		WHERE l.tenant_id = ? GROUP BY l.id, l.seq, l.size ORDER BY l.seq`, tenant).Scan(&out).Error
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func countRows(t testing.TB, db *gorm.DB, table string) int64 {
	t.Helper()
	var n int64
	if err := db.Table(table).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// assertUnique fails when two entries share (list, index) or an index is outside [0, size).
func assertUnique(t testing.TB, entries []store.Entry, size int) {
	t.Helper()
	seen := map[store.Entry]bool{}
	for _, e := range entries {
		if seen[e] {
			t.Fatalf("entry %+v given twice", e)
		}
		if e.Index < 0 || e.Index >= size {
			t.Fatalf("entry %+v outside [0, %d)", e, size)
		}
		seen[e] = true
	}
}

// forEachEngine runs f on a fresh migrated SQLite and PostgreSQL database.
func forEachEngine(t *testing.T, f func(t *testing.T, db *gorm.DB)) {
	for _, e := range migrationstest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			f(t, e.Open(t).Gorm)
		})
	}
}

func credID(i int) string { return fmt.Sprintf("cred-%05d", i) }
