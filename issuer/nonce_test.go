package issuer

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestStatelessNonces(t *testing.T) {
	now := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	cfg := DefaultConfig()
	cfg.PublicURL, _ = url.Parse("https://bewijs.example")
	secret := []byte(strings.Repeat("k", 32))
	i, err := New(Options{Config: cfg, Tenants: benchTenants{}, NonceSecret: secret, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	other, _ := New(Options{Config: cfg, Tenants: benchTenants{}, NonceSecret: []byte(strings.Repeat("x", 32)), Now: func() time.Time { return now }})
	n, err := i.newNonce("t1", noncePurposeC)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := i.newNonce("t1", noncePurposeC); again == n {
		t.Fatal("two nonces in the same second are equal")
	}
	flip := []byte(n)
	flip[len(flip)-3] ^= 1
	tests := []struct {
		name    string
		check   func() error
		wantErr bool
	}{
		{"ok", func() error { _, err := i.checkNonce("t1", noncePurposeC, n); return err }, false},
		{"error - other tenant", func() error { _, err := i.checkNonce("t2", noncePurposeC, n); return err }, true},
		{"error - other purpose", func() error { _, err := i.checkNonce("t1", noncePurposeDPoP, n); return err }, true},
		{"error - other replica secret", func() error { _, err := other.checkNonce("t1", noncePurposeC, n); return err }, true},
		{"error - tampered", func() error { _, err := i.checkNonce("t1", noncePurposeC, string(flip)); return err }, true},
		{"error - garbage", func() error { _, err := i.checkNonce("t1", noncePurposeC, "abc"); return err }, true},
		{"error - expired", func() error {
			later := now.Add(cfg.NonceTTL + time.Second)
			i.now = func() time.Time { return later }
			defer func() { i.now = func() time.Time { return now } }()
			_, err := i.checkNonce("t1", noncePurposeC, n)
			return err
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.check(); (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
		})
	}
	if _, err := New(Options{Config: cfg, Tenants: benchTenants{}, NonceSecret: []byte("short")}); err == nil {
		t.Fatal("a short nonce secret was accepted")
	}
}
