package declareren

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"time"
)

var errNonce = errors.New("declareren: nonce is not valid")

// Nonce gives a fresh server nonce for a presentation to gemeente slug: stateless (time,
// random, MAC), so that any replica checks it; single use is enforced when it is spent.
func (s *Service) Nonce(ctx context.Context, slug string) (string, time.Time, error) {
	t, err := s.gemeente(ctx, slug)
	if err != nil {
		return "", time.Time{}, err
	}
	b := make([]byte, 16, 32)
	now := s.now()
	binary.BigEndian.PutUint64(b[:8], uint64(now.Unix()))
	if _, err := rand.Read(b[8:16]); err != nil {
		return "", time.Time{}, err
	}
	b = append(b, s.nonceMAC(t.ID, b[:16])...)
	return base64.RawURLEncoding.EncodeToString(b), now.Add(s.cfg.NonceTTL), nil
}

// spendNonce checks a nonce's MAC and age and uses it up.
func (s *Service) spendNonce(ctx context.Context, tenantID, nonce string) error {
	b, err := base64.RawURLEncoding.DecodeString(nonce)
	if err != nil || len(b) != 32 || subtle.ConstantTimeCompare(b[16:], s.nonceMAC(tenantID, b[:16])) != 1 {
		return errNonce
	}
	issued := time.Unix(int64(binary.BigEndian.Uint64(b[:8])), 0)
	now := s.now()
	if issued.After(now.Add(s.cfg.Skew)) || now.Sub(issued) > s.cfg.NonceTTL {
		return errNonce
	}
	if err := s.store.Remember(ctx, "vp-nonce:"+nonce, issued.Add(s.cfg.NonceTTL+s.cfg.Skew)); err != nil {
		return err
	}
	return nil
}

func (s *Service) nonceMAC(tenantID string, head []byte) []byte {
	m := hmac.New(sha256.New, s.nonceKey)
	m.Write([]byte("declareren-nonce\x00" + tenantID + "\x00"))
	m.Write(head)
	return m.Sum(nil)[:16]
}
