package store_test

import (
	"context"
	"sync"
	"testing"

	"gorm.io/gorm"

	"github.com/sociaaldomein/bewijs/issuer/statuslist/store"
)

// Eight issuers at once, each allocation in a transaction of its own as issuance does, with
// lists small enough that several fill up and roll over while the goroutines race.
func TestConcurrentAllocation(t *testing.T) {
	const (
		workers = 8
		total   = 2000
		size    = 1024
	)
	forEachEngine(t, func(t *testing.T, db *gorm.DB) {
		if sqlDB, err := db.DB(); err == nil {
			sqlDB.SetMaxOpenConns(workers)
		}
		newTenant(t, db, "t1")
		s := store.New(db, store.Config{ListSize: size, FillThreshold: 0.75})
		results := make([][]store.Entry, workers)
		errs := make(chan error, workers)
		var wg sync.WaitGroup

		for w := range workers {
			wg.Go(func() {
				for i := w; i < total; i += workers {
					e, err := allocateTx(db, s, credID(i))
					if err != nil {
						errs <- err
						return
					}
					results[w] = append(results[w], e)
				}
			})
		}
		wg.Wait()
		close(errs)

		for err := range errs {
			t.Fatal(err)
		}
		var all []store.Entry
		for _, r := range results {
			all = append(all, r...)
		}
		if len(all) != total {
			t.Fatalf("allocated %d, want %d", len(all), total)
		}
		assertUnique(t, all, size)
		if n := countRows(t, db, "status_list_entries"); n != total {
			t.Fatalf("%d entry rows, want %d", n, total)
		}
		assertLists(t, listStats(t, db, "t1"), size, total)
	})
}

func allocateTx(db *gorm.DB, s *store.Store, cred string) (store.Entry, error) {
	var e store.Entry
	err := db.Transaction(func(tx *gorm.DB) error {
		var err error
		e, err = s.Allocate(context.Background(), tx, "t1", cred)
		return err
	})
	return e, err
}

// assertLists: seq 1, 2, 3, ... without gaps, no list over its size, and 2000 entries in lists
// of 1024 at 75% need at least three lists.
func assertLists(t *testing.T, stats []listStat, size, total int) {
	t.Helper()
	sum := 0
	for i, st := range stats {
		if st.Seq != int64(i+1) || st.N > size {
			t.Fatalf("list %d: %+v (all: %+v)", i, st, stats)
		}
		sum += st.N
	}
	if len(stats) < 3 || sum != total {
		t.Fatalf("lists %+v hold %d entries", stats, sum)
	}
	t.Logf("lists: %+v", stats)
}
