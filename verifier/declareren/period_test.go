package declareren

import (
	"context"
	"errors"
	"testing"
	"time"
)

// The frequentie period of a date (WMO757): the day, the ISO week (Monday..Sunday), the
// calendar month, or none.
func TestPeriod(t *testing.T) {
	cases := []struct {
		name, frequentie, date, from, to string
	}{
		{"ok - per dag", "1", "2026-11-25", "2026-11-25", "2026-11-25"},
		{"ok - per week, a Wednesday", "2", "2026-11-25", "2026-11-23", "2026-11-29"},
		{"ok - per week, a Sunday", "2", "2026-11-29", "2026-11-23", "2026-11-29"},
		{"ok - per week, a Monday", "2", "2026-11-23", "2026-11-23", "2026-11-29"},
		{"ok - per week across a year", "2", "2027-01-01", "2026-12-28", "2027-01-03"},
		{"ok - per maand", "4", "2026-02-14", "2026-02-01", "2026-02-28"},
		{"ok - per maand, leap year", "4", "2028-02-10", "2028-02-01", "2028-02-29"},
		{"ok - totaal: no period", "6", "2026-11-25", "", ""},
		{"error - not a date", "2", "25-11-2026", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			from, to := period(tc.frequentie, tc.date)
			if from != tc.from || to != tc.to {
				t.Fatalf("period(%s, %s) = %s..%s, want %s..%s", tc.frequentie, tc.date, from, to, tc.from, tc.to)
			}
		})
	}
}

// memStore is the part of Store the nonce needs: single-use keys.
type memStore struct {
	Store
	seen map[string]bool
}

func (m *memStore) Remember(_ context.Context, key string, _ time.Time) error {
	if m.seen[key] {
		return ErrReplay
	}
	m.seen[key] = true
	return nil
}

// Server nonces: accepted once, for this tenant, within their lifetime.
func TestSpendNonce(t *testing.T) {
	now := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	s := &Service{cfg: DefaultConfig(), store: &memStore{seen: map[string]bool{}}, now: func() time.Time { return now },
		nonceKey: []byte("0123456789abcdef0123456789abcdef")}
	mint := func() string {
		n, err := s.nonces().Make("t1", noncePurpose, now)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	n := mint()
	if err := s.spendNonce(t.Context(), "t1", n); err != nil {
		t.Fatalf("first use: %v", err)
	}
	if err := s.spendNonce(t.Context(), "t1", n); !errors.Is(err, ErrReplay) {
		t.Fatalf("second use: %v, want ErrReplay", err)
	}
	if err := s.spendNonce(t.Context(), "t2", mint()); !errors.Is(err, errNonce) {
		t.Fatalf("another tenant: %v, want errNonce", err)
	}
	late := mint()
	now = now.Add(s.cfg.NonceTTL + time.Second)
	if err := s.spendNonce(t.Context(), "t1", late); !errors.Is(err, errNonce) {
		t.Fatalf("expired: %v, want errNonce", err)
	}
	if err := s.spendNonce(t.Context(), "t1", "not-a-nonce"); !errors.Is(err, errNonce) {
		t.Fatalf("garbage: %v, want errNonce", err)
	}
}
