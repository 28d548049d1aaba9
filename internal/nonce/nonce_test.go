package nonce

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestMakeCheck(t *testing.T) {
	now := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	m := Maker{Key: []byte(strings.Repeat("k", 32)), TTL: 5 * time.Minute, Skew: 30 * time.Second}
	n, err := m.Make("t1", "c_nonce", now)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := m.Make("t1", "c_nonce", now); again == n {
		t.Fatal("two nonces in the same second are equal")
	}
	if exp, err := m.Check("t1", "c_nonce", n, now.Add(time.Minute)); err != nil || !exp.Equal(now.Add(m.TTL)) {
		t.Fatalf("Check = %v, %v; want expiry %v", exp, err, now.Add(m.TTL))
	}
	other := m
	other.Key = []byte(strings.Repeat("x", 32))
	flip := []byte(n)
	flip[len(flip)-3] ^= 1
	for name, check := range map[string]func() error{
		"other tenant":    func() error { _, err := m.Check("t2", "c_nonce", n, now); return err },
		"other purpose":   func() error { _, err := m.Check("t1", "dpop", n, now); return err },
		"other key":       func() error { _, err := other.Check("t1", "c_nonce", n, now); return err },
		"tampered":        func() error { _, err := m.Check("t1", "c_nonce", string(flip), now); return err },
		"garbage":         func() error { _, err := m.Check("t1", "c_nonce", "abc", now); return err },
		"expired":         func() error { _, err := m.Check("t1", "c_nonce", n, now.Add(m.TTL+time.Second)); return err },
		"from the future": func() error { _, err := m.Check("t1", "c_nonce", n, now.Add(-m.Skew-time.Second)); return err },
	} {
		if err := check(); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
	}
}

// Nonces made before the issuer and the declaratie service shared this package stay valid:
// the layout is time, 8 random bytes, HMAC-SHA256(purpose 0 tenant 0 head) cut to 16 bytes.
func TestWireFormat(t *testing.T) {
	now := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	key := []byte(strings.Repeat("k", 32))
	head := make([]byte, 16)
	binary.BigEndian.PutUint64(head[:8], uint64(now.Unix()))
	copy(head[8:], "randomxx")
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("declareren-nonce\x00t1\x00"))
	mac.Write(head)
	old := base64.RawURLEncoding.EncodeToString(append(head, mac.Sum(nil)[:16]...))
	m := Maker{Key: key, TTL: 5 * time.Minute}
	if _, err := m.Check("t1", "declareren-nonce", old, now); err != nil {
		t.Fatalf("a nonce in the earlier layout: %v", err)
	}
}
