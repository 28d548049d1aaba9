package store_test

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/sociaaldomein/bewijs/internal/audit"
	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
	"github.com/sociaaldomein/bewijs/verifier"
	"github.com/sociaaldomein/bewijs/verifier/store"
)

// fixture is a verifier store on a fresh database with one aanbieder tenant, t1.
type fixture struct {
	t   *testing.T
	db  *gorm.DB
	s   *store.Store
	now time.Time
}

func newFixture(t *testing.T, e migrationstest.Engine) *fixture {
	db := e.Open(t).Gorm
	now := time.Now().UTC().Truncate(time.Second)
	if err := db.Exec("INSERT INTO tenants (id, slug, name, kind, created_at) VALUES ('t1', 't1', 'Aanbieder', 'aanbieder', ?)", now).Error; err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, db: db, s: store.New(db), now: now}
}

// retrieved creates request id in the retrieved state, expiring at expires.
func (f *fixture) retrieved(id string, expires time.Time) {
	f.t.Helper()
	r := verifier.Request{ID: id, TenantID: "t1", State: verifier.Pending, Purpose: "zorgstart", Query: []byte(`{}`),
		ClientID: "decentralized_identifier:did:web:example.nl", ResponseMode: "direct_post", Nonce: "n", StateParam: "s",
		ExpiresAt: expires, CreatedAt: f.now}
	if err := f.s.CreateRequest(f.t.Context(), r); err != nil {
		f.t.Fatal(err)
	}
	if err := f.s.MarkRetrieved(f.t.Context(), id, f.now); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) completion(id string) verifier.Completion {
	return verifier.Completion{State: verifier.Verified, Result: "sealed " + id, ResponseCodeHash: "h", At: f.now,
		Audit: audit.Event{Time: f.now, Action: "presentation.verify", Outcome: audit.Success, Actor: "wallet", TenantID: "t1", Subject: id,
			Details: map[string]string{"purpose": "zorgstart"}}}
}

// audited counts the verify audit records of request id.
func (f *fixture) audited(id string) int64 {
	f.t.Helper()
	var n int64
	if err := f.db.Table("audit_events").Where("subject = ? AND action = 'presentation.verify'", id).Count(&n).Error; err != nil {
		f.t.Fatal(err)
	}
	return n
}

// Complete ends a retrieved request exactly once, with its audit record, on both engines
// (PostgreSQL does it in one statement): a second completion, or one after expiry, changes
// nothing and records nothing.
func TestCompleteOnceWithAudit(t *testing.T) {
	for _, e := range migrationstest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			f := newFixture(t, e)
			s, db, now := f.s, f.db, f.now

			f.retrieved("r1", now.Add(time.Minute))
			if err := s.Complete(t.Context(), "r1", f.completion("r1")); err != nil {
				t.Fatal(err)
			}
			got, err := s.Request(t.Context(), "t1", "r1")
			if err != nil || got.State != verifier.Verified || got.Result != "sealed r1" || got.CompletedAt == nil {
				t.Fatalf("completed request = %+v, %v", got, err)
			}
			var details string
			if err := db.Table("audit_events").Where("subject = ?", "r1").Pluck("details", &details).Error; err != nil || details != `{"purpose":"zorgstart"}` {
				t.Fatalf("audit details %q, %v", details, err)
			}
			var at time.Time
			if err := db.Table("audit_events").Where("subject = ?", "r1").Pluck("occurred_at", &at).Error; err != nil || !at.Equal(now) {
				t.Fatalf("audit occurred_at %v, want %v (%v)", at, now, err)
			}
			if err := s.Complete(t.Context(), "r1", f.completion("r1")); !errors.Is(err, verifier.ErrConflict) {
				t.Fatalf("second completion: %v, want ErrConflict", err)
			}
			if n := f.audited("r1"); n != 1 {
				t.Fatalf("%d audit records of r1, want 1", n)
			}

			f.retrieved("r2", now.Add(time.Minute))
			if err := db.Exec("UPDATE presentation_requests SET expires_at = ? WHERE id = 'r2'", now.Add(-time.Second)).Error; err != nil {
				t.Fatal(err)
			}
			if err := s.Complete(t.Context(), "r2", f.completion("r2")); !errors.Is(err, verifier.ErrConflict) {
				t.Fatalf("completion after expiry: %v, want ErrConflict", err)
			}
			if got, _ := s.Request(t.Context(), "t1", "r2"); got.State != verifier.Retrieved || f.audited("r2") != 0 {
				t.Fatalf("an expired request changed to %s or was audited", got.State)
			}
		})
	}
}

// A batch of completions (PostgreSQL: one statement; SQLite: one transaction) gives each its
// own outcome: completed with its own result and audit record, or conflicting when expired,
// already answered, or a second response to a request earlier in the same batch.
func TestCompleteBatch(t *testing.T) {
	for _, e := range migrationstest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			f := newFixture(t, e)
			f.retrieved("a", f.now.Add(time.Minute))
			f.retrieved("b", f.now.Add(time.Minute))
			f.retrieved("old", f.now.Add(time.Minute))
			if err := f.db.Exec("UPDATE presentation_requests SET expires_at = ? WHERE id = 'old'", f.now.Add(-time.Second)).Error; err != nil {
				t.Fatal(err)
			}
			f.retrieved("done", f.now.Add(time.Minute))
			if err := f.s.Complete(t.Context(), "done", f.completion("done")); err != nil {
				t.Fatal(err)
			}
			ids := []string{"a", "old", "b", "a", "done", "missing"}
			cs := make([]verifier.Completion, len(ids))
			for i, id := range ids {
				cs[i] = f.completion(id)
			}
			cs[1].State, cs[1].Reason = verifier.Rejected, "late"
			errs := f.s.CompleteBatch(t.Context(), ids, cs)
			want := []error{nil, verifier.ErrConflict, nil, verifier.ErrConflict, verifier.ErrConflict, verifier.ErrConflict}
			for i := range ids {
				if !errors.Is(errs[i], want[i]) || (want[i] == nil) != (errs[i] == nil) {
					t.Errorf("%s (item %d): %v, want %v", ids[i], i, errs[i], want[i])
				}
			}
			for id, n := range map[string]int64{"a": 1, "b": 1, "old": 0, "done": 1, "missing": 0} {
				if got := f.audited(id); got != n {
					t.Errorf("%d audit records of %s, want %d", got, id, n)
				}
			}
			for _, id := range []string{"a", "b"} {
				got, err := f.s.Request(t.Context(), "t1", id)
				if err != nil || got.State != verifier.Verified || got.Result != "sealed "+id || got.CompletedAt == nil {
					t.Errorf("%s = %+v, %v", id, got, err)
				}
			}
			if got, _ := f.s.Request(t.Context(), "t1", "old"); got.State != verifier.Retrieved {
				t.Errorf("the expired request changed to %s", got.State)
			}
		})
	}
}

// When the database refuses one item of a batch, the others still complete: the batch is
// retried one by one, and only the refused item fails, with nothing of it written.
func TestCompleteBatchIsolatesFailure(t *testing.T) {
	for _, e := range migrationstest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			f := newFixture(t, e)
			refuseAuditOf(t, f.db, e.Name, "bad")
			ids := []string{"a", "bad", "b"}
			cs := make([]verifier.Completion, len(ids))
			for i, id := range ids {
				f.retrieved(id, f.now.Add(time.Minute))
				cs[i] = f.completion(id)
			}
			errs := f.s.CompleteBatch(t.Context(), ids, cs)
			if errs[0] != nil || errs[2] != nil || errs[1] == nil || errors.Is(errs[1], verifier.ErrConflict) {
				t.Fatalf("errs = %v, want only bad to fail, and not as a conflict", errs)
			}
			for id, n := range map[string]int64{"a": 1, "bad": 0, "b": 1} {
				if got := f.audited(id); got != n {
					t.Errorf("%d audit records of %s, want %d", got, id, n)
				}
			}
			if got, _ := f.s.Request(t.Context(), "t1", "bad"); got.State != verifier.Retrieved {
				t.Errorf("the refused completion left its request %s", got.State)
			}
		})
	}
}

// refuseAuditOf makes the database refuse audit records about subject, by trigger.
func refuseAuditOf(t *testing.T, db *gorm.DB, engine, subject string) {
	t.Helper()
	stmts := []string{`CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events FOR EACH ROW
  WHEN (NEW.subject = '` + subject + `') BEGIN SELECT RAISE(ABORT, 'audit refused'); END`}
	if engine == "postgres" {
		stmts = []string{`CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit refused'; END $$`,
			`CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events FOR EACH ROW
  WHEN (NEW.subject = '` + subject + `') EXECUTE FUNCTION refuse_audit()`}
	}
	for _, q := range stmts {
		if err := db.Exec(q).Error; err != nil {
			t.Fatal(err)
		}
	}
}

// Concurrent responses, two for every request, through the group commit: exactly one of
// each pair completes, with one audit record.
func TestCompleteConcurrent(t *testing.T) {
	for _, e := range migrationstest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			f := newFixture(t, e)
			const n = 24
			for i := range n {
				f.retrieved(fmt.Sprintf("r%d", i), f.now.Add(time.Minute))
			}
			var ok, conflict atomic.Int64
			var wg sync.WaitGroup
			for i := range 2 * n {
				id := fmt.Sprintf("r%d", i%n)
				wg.Go(func() {
					switch err := f.s.Complete(t.Context(), id, f.completion(id)); {
					case err == nil:
						ok.Add(1)
					case errors.Is(err, verifier.ErrConflict):
						conflict.Add(1)
					default:
						t.Errorf("%s: %v", id, err)
					}
				})
			}
			wg.Wait()
			if ok.Load() != n || conflict.Load() != n {
				t.Fatalf("%d completed and %d conflicted, want %d each", ok.Load(), conflict.Load(), n)
			}
			var audits int64
			if err := f.db.Table("audit_events").Where("action = 'presentation.verify'").Count(&audits).Error; err != nil || audits != n {
				t.Fatalf("%d audit records, want %d (%v)", audits, n, err)
			}
		})
	}
}
