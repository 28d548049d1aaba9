package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/internal/audit"
	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
	"github.com/sociaaldomein/bewijs/verifier"
	"github.com/sociaaldomein/bewijs/verifier/store"
)

// Complete ends a retrieved request exactly once, with its audit record, on both engines
// (PostgreSQL does it in one statement): a second completion, or one after expiry, changes
// nothing and records nothing.
func TestCompleteOnceWithAudit(t *testing.T) {
	for _, e := range migrationstest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			db := e.Open(t).Gorm
			now := time.Now().UTC().Truncate(time.Second)
			if err := db.Exec("INSERT INTO tenants (id, slug, name, kind, created_at) VALUES ('t1', 't1', 'Aanbieder', 'aanbieder', ?)", now).Error; err != nil {
				t.Fatal(err)
			}
			s := store.New(db)
			newRequest := func(id string, expires time.Time) {
				t.Helper()
				r := verifier.Request{ID: id, TenantID: "t1", State: verifier.Pending, Purpose: "zorgstart", Query: []byte(`{}`),
					ClientID: "decentralized_identifier:did:web:example.nl", ResponseMode: "direct_post", Nonce: "n", StateParam: "s",
					ExpiresAt: expires, CreatedAt: now}
				if err := s.CreateRequest(t.Context(), r); err != nil {
					t.Fatal(err)
				}
				if err := s.MarkRetrieved(t.Context(), id, now); err != nil {
					t.Fatal(err)
				}
			}
			completion := func(id string) verifier.Completion {
				return verifier.Completion{State: verifier.Verified, Result: "sealed", ResponseCodeHash: "h", At: now,
					Audit: audit.Event{Time: now, Action: "presentation.verify", Outcome: audit.Success, Actor: "wallet", TenantID: "t1", Subject: id,
						Details: map[string]string{"purpose": "zorgstart"}}}
			}
			audited := func(id string) int64 {
				var n int64
				if err := db.Table("audit_events").Where("subject = ? AND action = 'presentation.verify'", id).Count(&n).Error; err != nil {
					t.Fatal(err)
				}
				return n
			}

			newRequest("r1", now.Add(time.Minute))
			if err := s.Complete(t.Context(), "r1", completion("r1")); err != nil {
				t.Fatal(err)
			}
			got, err := s.Request(t.Context(), "t1", "r1")
			if err != nil || got.State != verifier.Verified || got.Result != "sealed" || got.CompletedAt == nil {
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
			if err := s.Complete(t.Context(), "r1", completion("r1")); !errors.Is(err, verifier.ErrConflict) {
				t.Fatalf("second completion: %v, want ErrConflict", err)
			}
			if n := audited("r1"); n != 1 {
				t.Fatalf("%d audit records of r1, want 1", n)
			}

			newRequest("r2", now.Add(time.Minute))
			if err := db.Exec("UPDATE presentation_requests SET expires_at = ? WHERE id = 'r2'", now.Add(-time.Second)).Error; err != nil {
				t.Fatal(err)
			}
			if err := s.Complete(t.Context(), "r2", completion("r2")); !errors.Is(err, verifier.ErrConflict) {
				t.Fatalf("completion after expiry: %v, want ErrConflict", err)
			}
			if got, _ := s.Request(t.Context(), "t1", "r2"); got.State != verifier.Retrieved || audited("r2") != 0 {
				t.Fatalf("an expired request changed to %s or was audited", got.State)
			}
		})
	}
}
