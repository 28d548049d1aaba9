package store_test

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/sociaaldomein/bewijs/issuer/statuslist/store"
	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
)

// BenchmarkAllocate measures allocations per second on PostgreSQL, each in a durable
// transaction of its own (synchronous_commit as the server has it), from many goroutines at
// once as concurrent issuances would be, so the server can group commits. The lists have the
// default size (2^17); "filled" starts with the tenant's list 70% full, just below the
// threshold, where three of four random draws collide. Run with:
//
//	BEWIJS_TEST_DATABASE_URL=postgres://... go test -run '^$' -bench Allocate ./issuer/statuslist/store/
func BenchmarkAllocate(b *testing.B) {
	for _, bc := range []struct {
		name string
		fill float64
		par  int
	}{
		{"postgres/empty/goroutines=4xGOMAXPROCS", 0, 4},
		{"postgres/empty/goroutines=16xGOMAXPROCS", 0, 16},
		{"postgres/filled70/goroutines=16xGOMAXPROCS", 0.7, 16},
	} {
		b.Run(bc.name, func(b *testing.B) {
			db := migrationstest.Postgres(b).Gorm
			sqlDB, err := db.DB()
			if err != nil {
				b.Fatal(err)
			}
			sqlDB.SetMaxOpenConns(64)
			sqlDB.SetMaxIdleConns(64)
			newTenant(b, db, "t1")
			s := store.New(db, store.Config{})
			prefill(b, db, s, bc.fill)
			var n atomic.Int64
			b.SetParallelism(bc.par)
			b.ResetTimer()

			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := allocateTx(db, s, fmt.Sprintf("c%d", n.Add(1))); err != nil {
						b.Error(err)
						return
					}
				}
			})

			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "allocations/s")
		})
	}
}

// prefill fills the tenant's first list to the given share with every k-th index, in batches.
func prefill(b *testing.B, db *gorm.DB, s *store.Store, fill float64) {
	b.Helper()
	first := allocate(b, db, s, "t1", "first")
	size := store.DefaultConfig().ListSize
	want := int(fill * float64(size))
	if want == 0 {
		return
	}
	type row struct {
		ListID       string
		Idx          int
		Status       int
		CredentialID string
		CreatedAt    time.Time
		UpdatedAt    time.Time
	}
	now := time.Now().UTC()
	rows := make([]row, 0, want)
	for i := 0; len(rows) < want-1; i++ {
		idx := int(float64(i) / fill)
		if idx != first.Index {
			rows = append(rows, row{first.ListID, idx, 0, "prefill", now, now})
		}
	}
	if err := db.Table("status_list_entries").CreateInBatches(rows, 2000).Error; err != nil {
		b.Fatal(err)
	}
	if err := db.Exec("ANALYZE status_list_entries").Error; err != nil {
		b.Fatal(err)
	}
}
