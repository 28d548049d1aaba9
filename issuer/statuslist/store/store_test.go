package store_test

import (
	"context"
	"encoding/binary"
	"errors"
	"slices"
	"testing"

	"gorm.io/gorm"

	"github.com/sociaaldomein/bewijs/internal/statuslist"
	"github.com/sociaaldomein/bewijs/issuer/statuslist/store"
)

func TestAllocateGivesUniqueRandomIndexes(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *gorm.DB) {
		newTenant(t, db, "t1")
		s := store.New(db, store.Config{ListSize: 1024})
		var got []store.Entry

		for i := range 300 {
			got = append(got, allocate(t, db, s, "t1", credID(i)))
		}

		assertUnique(t, got, 1024)
		stats := listStats(t, db, "t1")
		if len(stats) != 1 || stats[0].N != 300 || stats[0].Size != 1024 || got[0].ListID != stats[0].ListID {
			t.Fatalf("lists = %+v; want one list of 1024 with 300 entries", stats)
		}
		var cred string
		if err := db.Raw("SELECT credential_id FROM status_list_entries WHERE list_id = ? AND idx = ?",
			got[7].ListID, got[7].Index).Scan(&cred).Error; err != nil || cred != credID(7) {
			t.Fatalf("entry %+v has credential %q (%v), want %s", got[7], cred, err, credID(7))
		}
		idx := make([]int, len(got))
		for i, e := range got {
			idx[i] = e.Index
		}
		// Issuance order must not show in the indexes (§12.5.1).
		if slices.IsSorted(idx) || idx[len(idx)-1] < 300 && idx[0] == 0 {
			t.Fatalf("indexes look sequential: %v", idx[:10])
		}
	})
}

func TestAllocateKeepsTenantsApart(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *gorm.DB) {
		newTenant(t, db, "a")
		newTenant(t, db, "b")
		s := store.New(db, store.Config{ListSize: 1024})

		ea := allocate(t, db, s, "a", "c1")
		eb := allocate(t, db, s, "b", "c2")

		if ea.ListID == eb.ListID {
			t.Fatal("two tenants share a list")
		}
		ta, _, err := s.Build(context.Background(), ea.ListID)
		if err != nil || ta != "a" {
			t.Fatalf("Build(list of a) tenant = %q, %v", ta, err)
		}
	})
}

func TestAllocateRefuses(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *gorm.DB) {
		newTenant(t, db, "t1")
		s := store.New(db, store.Config{ListSize: 64})
		for _, tt := range []struct {
			name, tenant, cred string
			want               error
		}{
			{"error - unknown tenant", "nobody", "c1", store.ErrNotFound},
			{"error - no tenant", "", "c1", nil},
			{"error - no credential", "t1", "", nil},
		} {
			t.Run(tt.name, func(t *testing.T) {
				_, err := s.Allocate(context.Background(), nil, tt.tenant, tt.cred)

				if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) {
					t.Fatalf("Allocate() = %v, want %v", err, tt.want)
				}
			})
		}
	})
}

func TestAllocateRolledBackLeavesNothing(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *gorm.DB) {
		newTenant(t, db, "t1")
		s := store.New(db, store.Config{ListSize: 64})
		var e store.Entry
		rollback := errors.New("issuance failed")

		err := db.Transaction(func(tx *gorm.DB) error {
			var err error
			if e, err = s.Allocate(context.Background(), tx, "t1", "c1"); err != nil {
				return err
			}
			return rollback
		})

		if !errors.Is(err, rollback) || e.ListID == "" {
			t.Fatalf("transaction = %v, entry %+v", err, e)
		}
		if n := countRows(t, db, "status_list_entries"); n != 0 {
			t.Fatalf("%d entries survive the rollback", n)
		}
		if n := countRows(t, db, "status_lists"); n != 0 {
			t.Fatalf("%d lists survive the rollback", n)
		}
		if _, _, err := s.Build(context.Background(), e.ListID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("Build(rolled back list) = %v, want ErrNotFound", err)
		}
		again := allocate(t, db, s, "t1", "c2")
		if again.ListID == e.ListID {
			t.Fatal("a rolled-back list id came back")
		}
	})
}

func TestListRollsOverPastThreshold(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *gorm.DB) {
		newTenant(t, db, "t1")
		s := store.New(db, store.Config{ListSize: 64, FillThreshold: 0.5})
		var got []store.Entry

		for i := range 200 {
			got = append(got, allocate(t, db, s, "t1", credID(i)))
		}

		assertUnique(t, got, 64)
		stats := listStats(t, db, "t1")
		if len(stats) < 2 {
			t.Fatalf("lists = %+v; want a second list after 32 entries", stats)
		}
		total := 0
		for i, st := range stats {
			total += st.N
			if st.Seq != int64(i+1) || st.N > 64 {
				t.Fatalf("list %d: %+v", i, st)
			}
			// A list is left only once it holds at least half its size.
			if i < len(stats)-1 && st.N < 32 {
				t.Fatalf("list %d closed at %d entries, below the threshold: %+v", i, st.N, stats)
			}
		}
		if total != 200 || got[0].ListID == got[199].ListID {
			t.Fatalf("entries %d, first list %s last list %s", total, got[0].ListID, got[199].ListID)
		}
	})
}

// With threshold 1 a list is used until random draws stop finding a free index.
func TestFullListOpensNext(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *gorm.DB) {
		newTenant(t, db, "t1")
		s := store.New(db, store.Config{ListSize: 8, FillThreshold: 1})
		var got []store.Entry

		for i := range 40 {
			got = append(got, allocate(t, db, s, "t1", credID(i)))
		}

		assertUnique(t, got, 8)
		stats := listStats(t, db, "t1")
		if len(stats) < 5 {
			t.Fatalf("40 entries in lists of 8 need at least 5 lists, got %+v", stats)
		}
		if stats[0].N < 6 {
			t.Fatalf("first list left at %d of 8 entries", stats[0].N)
		}
	})
}

func TestSetStatusShowsInBuild(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		newTenant(t, db, "t1")
		s := store.New(db, store.Config{ListSize: 1024})
		e1 := allocate(t, db, s, "t1", "c1")
		e2 := allocate(t, db, s, "t1", "c2")
		free := (e1.Index + 1) % 1024
		for free == e2.Index {
			free = (free + 1) % 1024
		}
		tests := []struct {
			name   string
			list   string
			idx    int
			status statuslist.Status
			want   error
		}{
			{"ok - revoke", e1.ListID, e1.Index, statuslist.Invalid, nil},
			{"ok - suspend", e2.ListID, e2.Index, statuslist.Suspended, nil},
			{"ok - lift suspension", e2.ListID, e2.Index, statuslist.Valid, nil},
			{"ok - suspend again", e2.ListID, e2.Index, statuslist.Suspended, nil},
			{"error - unknown list", "no-such-list", e1.Index, statuslist.Invalid, store.ErrNotFound},
			{"error - index never allocated", e1.ListID, free, statuslist.Invalid, store.ErrNotFound},
			{"error - status wider than 2 bits", e1.ListID, e1.Index, 4, statuslist.ErrStatus},
		}
		want := map[int]statuslist.Status{}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := s.SetStatus(ctx, nil, tt.list, tt.idx, tt.status)

				if !errors.Is(err, tt.want) || (err == nil) != (tt.want == nil) {
					t.Fatalf("SetStatus() = %v, want %v", err, tt.want)
				}
				if err == nil {
					want[tt.idx] = tt.status
				}
				assertBuild(t, s, e1.ListID, "t1", want)
			})
		}
	})
}

func TestSetStatusInCallerTransaction(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		newTenant(t, db, "t1")
		s := store.New(db, store.Config{ListSize: 1024})
		e := allocate(t, db, s, "t1", "c1")

		_ = db.Transaction(func(tx *gorm.DB) error {
			if err := s.SetStatus(ctx, tx, e.ListID, e.Index, statuslist.Invalid); err != nil {
				t.Fatal(err)
			}
			return errors.New("roll back")
		})
		assertBuild(t, s, e.ListID, "t1", nil)

		err := db.Transaction(func(tx *gorm.DB) error {
			return s.SetStatus(ctx, tx, e.ListID, e.Index, statuslist.Invalid)
		})
		if err != nil {
			t.Fatal(err)
		}
		assertBuild(t, s, e.ListID, "t1", map[int]statuslist.Status{e.Index: statuslist.Invalid})
	})
}

func TestBuildUnknownList(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *gorm.DB) {
		s := store.New(db, store.Config{})

		tenant, l, err := s.Build(context.Background(), "no-such-list")

		if !errors.Is(err, store.ErrNotFound) || l != nil || tenant != "" {
			t.Fatalf("Build() = %q, %v, %v; want ErrNotFound", tenant, l, err)
		}
	})
}

// assertBuild checks the rendered list: the given statuses, every other entry VALID.
func assertBuild(t *testing.T, s *store.Store, listID, tenant string, want map[int]statuslist.Status) {
	t.Helper()
	gotTenant, l, err := s.Build(context.Background(), listID)
	if err != nil {
		t.Fatal(err)
	}
	if gotTenant != tenant || l.Len() != 1024 || l.Bits() != 2 {
		t.Fatalf("Build() tenant %q, %d entries of %d bits", gotTenant, l.Len(), l.Bits())
	}
	for i := range l.Len() {
		if got, _ := l.Get(i); got != want[i] {
			t.Fatalf("entry %d = %v, want %v", i, got, want[i])
		}
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name    string
		cfg     store.Config
		wantErr bool
	}{
		{"ok - defaults", store.Config{}, false},
		{"ok - 1 bit", store.Config{Bits: 1, ListSize: 8}, false},
		{"ok - threshold 1", store.Config{FillThreshold: 1}, false},
		{"error - 3 bits", store.Config{Bits: 3}, true},
		{"error - negative size", store.Config{ListSize: -8}, true},
		{"error - size not whole bytes", store.Config{Bits: 2, ListSize: 6}, true},
		{"error - threshold above 1", store.Config{FillThreshold: 1.5}, true},
		{"error - negative threshold", store.Config{FillThreshold: -0.1}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.cfg.Validate(); (err != nil) != tt.wantErr {
				t.Fatalf("Validate() = %v, wantErr %v", err, tt.wantErr)
			}
		})
	}
	d := store.DefaultConfig()
	if d.ListSize != 131072 || d.Bits != 2 || d.FillThreshold != 0.75 || d.Rand == nil || d.Now == nil {
		t.Fatalf("DefaultConfig() = %+v", d)
	}
	defer func() {
		if recover() == nil {
			t.Fatal("New accepted an invalid configuration")
		}
	}()
	store.New(nil, store.Config{Bits: 3})
}

func TestAllocateN(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *gorm.DB) {
		newTenant(t, db, "t1")
		// A small list, so that batches collide and roll over to the next list.
		s := store.New(db, store.Config{ListSize: 64, FillThreshold: 0.9})
		seen := map[store.Entry]bool{}
		for round := range 6 {
			err := db.Transaction(func(tx *gorm.DB) error {
				got, err := s.AllocateN(context.Background(), tx, "t1", "cred", 10)
				if err != nil {
					return err
				}
				if len(got) != 10 {
					t.Fatalf("round %d: %d entries, want 10", round, len(got))
				}
				for _, e := range got {
					if seen[e] {
						t.Fatalf("entry %+v given twice", e)
					}
					seen[e] = true
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		var n int64
		if err := db.Raw("SELECT count(*) FROM status_list_entries").Scan(&n).Error; err != nil || n != 60 {
			t.Fatalf("%d entries stored (%v), want 60", n, err)
		}
	})
}

// seqRand yields the given values as big-endian uint64s, then 1000, 1001, …: a reader that
// fixes which random indexes the store draws.
type seqRand struct {
	vals []uint64
	next uint64
}

func (r *seqRand) Read(p []byte) (int, error) {
	for k := 0; k+8 <= len(p); k += 8 {
		v := r.next + 1000
		if len(r.vals) > 0 {
			v, r.vals = r.vals[0], r.vals[1:]
		} else {
			r.next++
		}
		binary.BigEndian.PutUint64(p[k:], v)
	}
	return len(p) - len(p)%8, nil
}

// A batch draws twice the indexes it needs and takes the free ones in the same statement: the
// second batch of 10 finds the 10 indexes still free among its 20 candidates, and needs no
// draws beyond them.
func TestAllocateNOversamples(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *gorm.DB) {
		newTenant(t, db, "t1")
		first20 := make([]uint64, 20)
		for k := range first20 {
			first20[k] = uint64(k)
		}
		// 63 and 62 go to a first single allocation, which opens the list (the fast draw of 63
		// finds no list yet; 62 is drawn in the new one).
		rnd := &seqRand{vals: slices.Concat([]uint64{63, 62}, first20, first20)}
		s := store.New(db, store.Config{ListSize: 64, FillThreshold: 0.9, Rand: rnd})
		if e, err := s.Allocate(context.Background(), nil, "t1", "cred-0"); err != nil || e.Index != 62 {
			t.Fatalf("first allocation = %+v, %v; want index 62", e, err)
		}
		got := map[int]bool{}
		for round := range 2 {
			err := db.Transaction(func(tx *gorm.DB) error {
				entries, err := s.AllocateN(context.Background(), tx, "t1", "cred", 10)
				for _, e := range entries {
					got[e.Index] = true
				}
				return err
			})
			if err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
		if len(got) != 20 {
			t.Fatalf("%d distinct indexes, want 20: %v", len(got), got)
		}
		for idx := range got {
			if idx >= 20 {
				t.Fatalf("index %d was drawn beyond the 20 candidates: %v", idx, got)
			}
		}
		// Each batch read exactly its 20 candidates, and nothing was drawn one by one after.
		if len(rnd.vals) != 0 || rnd.next != 0 {
			t.Fatalf("%d candidates left unread, %d drawn beyond them", len(rnd.vals), rnd.next)
		}
	})
}
