package declareren

import (
	"context"
	"fmt"
	"time"

	"github.com/sociaaldomein/bewijs/internal/nonce"
)

var errNonce = fmt.Errorf("declareren: %w", nonce.ErrInvalid)

// noncePurpose names the nonces of declaratie presentations (internal/nonce).
const noncePurpose = "declareren-nonce"

// Nonce gives a fresh server nonce for a presentation to gemeente slug: stateless (time,
// random, MAC), so that any replica checks it; single use is enforced when it is spent.
func (s *Service) Nonce(ctx context.Context, slug string) (string, time.Time, error) {
	t, err := s.gemeente(ctx, slug)
	if err != nil {
		return "", time.Time{}, err
	}
	now := s.now()
	n, err := s.nonces().Make(t.ID, noncePurpose, now)
	if err != nil {
		return "", time.Time{}, err
	}
	return n, now.Add(s.cfg.NonceTTL), nil
}

// spendNonce checks a nonce's MAC and age and uses it up.
func (s *Service) spendNonce(ctx context.Context, tenantID, n string) error {
	exp, err := s.nonces().Check(tenantID, noncePurpose, n, s.now())
	if err != nil {
		return errNonce
	}
	return s.store.Remember(ctx, "vp-nonce:"+n, exp.Add(s.cfg.Skew))
}

func (s *Service) nonces() nonce.Maker {
	return nonce.Maker{Key: s.nonceKey, TTL: s.cfg.NonceTTL, Skew: s.cfg.Skew}
}
