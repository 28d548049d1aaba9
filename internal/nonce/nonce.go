// Package nonce makes stateless server nonces: the issue time, 8 random bytes and an HMAC
// over them, the purpose and the tenant, under a key every replica derives from the shared
// master key. Any replica checks one without a database read; single use is the caller's
// to enforce (remember the nonce until Check's expiry when it is spent).
package nonce

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"time"
)

// ErrInvalid: the nonce is malformed, not made under this key for this tenant and purpose,
// from the future, or too old.
var ErrInvalid = errors.New("nonce is not valid")

const (
	macLen = 16
	length = 8 + 8 + macLen
)

// Maker makes and checks nonces. TTL is how long a nonce is good; Skew how far its issue
// time may lie in the future (another replica's clock).
type Maker struct {
	Key       []byte
	TTL, Skew time.Duration
}

// Make returns a fresh nonce for tenantID and purpose, issued at now.
func (m Maker) Make(tenantID, purpose string, now time.Time) (string, error) {
	b := make([]byte, length)
	binary.BigEndian.PutUint64(b[:8], uint64(now.Unix()))
	if _, err := rand.Read(b[8:16]); err != nil {
		return "", err
	}
	copy(b[16:], m.mac(tenantID, purpose, b[:16]))
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// Check verifies nonce's MAC and age at now and returns when it expires.
func (m Maker) Check(tenantID, purpose, nonce string, now time.Time) (time.Time, error) {
	b, err := base64.RawURLEncoding.DecodeString(nonce)
	if err != nil || len(b) != length || subtle.ConstantTimeCompare(b[16:], m.mac(tenantID, purpose, b[:16])) != 1 {
		return time.Time{}, ErrInvalid
	}
	issued := time.Unix(int64(binary.BigEndian.Uint64(b[:8])), 0)
	if issued.After(now.Add(m.Skew)) || now.Sub(issued) > m.TTL {
		return time.Time{}, ErrInvalid
	}
	return issued.Add(m.TTL), nil
}

func (m Maker) mac(tenantID, purpose string, head []byte) []byte {
	h := hmac.New(sha256.New, m.Key)
	h.Write([]byte(purpose))
	h.Write([]byte{0})
	h.Write([]byte(tenantID))
	h.Write([]byte{0})
	h.Write(head)
	return h.Sum(nil)[:macLen]
}
