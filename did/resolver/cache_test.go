package resolver

import (
	"context"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/did"
)

// countingResolver returns a minimal document for any DID and counts calls per DID.
type countingResolver struct {
	calls map[string]int
	id    func(string) string
}

func (c *countingResolver) Resolve(_ context.Context, id string) (did.Document, error) {
	c.calls[id]++
	if c.id != nil {
		id = c.id(id)
	}
	return did.Document{ID: id}, nil
}

func TestMulti_LRUEviction(t *testing.T) {
	fake := &countingResolver{calls: map[string]int{}}
	m, err := New(Config{CacheTTL: time.Hour, CacheSize: 2}, map[string]did.Resolver{"example": fake})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"did:example:a", "did:example:b", "did:example:a", "did:example:c", "did:example:a", "did:example:b"} {
		if _, err := m.Resolve(context.Background(), id); err != nil {
			t.Fatal(err)
		}
	}
	// a stays (recently used), b is evicted by c and fetched again.
	want := map[string]int{"did:example:a": 1, "did:example:b": 2, "did:example:c": 1}
	for id, n := range want {
		if fake.calls[id] != n {
			t.Fatalf("calls[%s] = %d, want %d (all: %v)", id, fake.calls[id], n, fake.calls)
		}
	}
	if m.cache.len() != 2 {
		t.Fatalf("cache holds %d entries, want 2", m.cache.len())
	}
}

func TestMulti_CacheDisabled(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
	}{
		{"ok - zero TTL", Config{CacheTTL: 0, CacheSize: 10}},
		{"ok - zero size", Config{CacheTTL: time.Hour, CacheSize: 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := &countingResolver{calls: map[string]int{}}
			m, err := New(tt.cfg, map[string]did.Resolver{"example": fake})
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 2; i++ {
				_, _ = m.Resolve(context.Background(), "did:example:a")
			}
			if fake.calls["did:example:a"] != 2 {
				t.Fatalf("calls = %d, want 2", fake.calls["did:example:a"])
			}
		})
	}
}

func TestMulti_RefusesMismatchedDocument(t *testing.T) {
	fake := &countingResolver{calls: map[string]int{}, id: func(string) string { return "did:example:other" }}
	m, err := New(DefaultConfig(), map[string]did.Resolver{"example": fake})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if _, err := m.Resolve(context.Background(), "did:example:a"); did.KindOf(err) != did.InvalidDocument {
			t.Fatalf("err = %v, want InvalidDocument", err)
		}
	}
	if fake.calls["did:example:a"] != 2 {
		t.Fatal("a mismatched document was cached")
	}
}

func TestConfig_Validate(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		wantErr bool
	}{
		{"ok - defaults", DefaultConfig(), false},
		{"ok - nil clock", Config{CacheTTL: time.Minute, CacheSize: 1}, false},
		{"error - negative TTL", Config{CacheTTL: -1, CacheSize: 1}, true},
		{"error - negative size", Config{CacheTTL: time.Minute, CacheSize: -1}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.cfg.Validate(); (err != nil) != tt.wantErr {
				t.Fatalf("Validate = %v, wantErr %v", err, tt.wantErr)
			}
			if _, err := New(tt.cfg, nil); (err != nil) != tt.wantErr {
				t.Fatalf("New = %v, wantErr %v", err, tt.wantErr)
			}
		})
	}
}
