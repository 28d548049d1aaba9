package orgcred

import (
	"context"
	"strconv"
	"time"

	"github.com/sociaaldomein/bewijs/internal/audit"
	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/internal/w3cvc"
)

// Revoke revokes one credential an organisation issued; the next status list shows it.
func (s *Service) Revoke(ctx context.Context, actor tenant.Principal, slug, id, reason string) error {
	if _, err := s.tenants.Get(ctx, actor, slug); err != nil {
		return err
	}
	t, err := s.tenants.Lookup(ctx, slug)
	if err != nil {
		return err
	}
	if reason == "" {
		return &InvalidInputError{"reason", "a reason is required"}
	}
	if err := s.store.Revoke(ctx, t.ID, id, reason, s.now().UTC()); err != nil {
		return err
	}
	return s.audit.Record(ctx, audit.Event{Action: "orgcred.revoke", Outcome: audit.Success, Actor: actor.Actor(), TenantID: t.ID,
		Subject: id, Reason: reason})
}

// RevokeBeschikking revokes the zorgtoewijzingen of a beschikking that was revoked or ended
// early (issuer.Zorgtoewijzingen).
func (s *Service) RevokeBeschikking(ctx context.Context, tenantID, beschikkingID, reason string) error {
	n, err := s.store.RevokeBeschikking(ctx, tenantID, beschikkingID, reason, s.now().UTC())
	if err != nil || n == 0 {
		return err
	}
	return s.audit.Record(ctx, audit.Event{Action: "orgcred.revoke", Outcome: audit.Success, Actor: "gemeente", TenantID: tenantID,
		Subject: beschikkingID, Reason: reason, Details: map[string]string{"zorgtoewijzingen": strconv.FormatInt(n, 10)}})
}

// StatusList is the issuer's BitstringStatusListCredential as a signed JWT (Bitstring Status
// List 1.0 §2.2), built from the database on every request.
func (s *Service) StatusList(ctx context.Context, slug, list string) (string, error) {
	t, err := s.tenants.Lookup(ctx, slug)
	if err != nil {
		return "", err
	}
	if list != listID {
		return "", ErrNotFound
	}
	revoked, err := s.store.RevokedIndexes(ctx, t.ID, list)
	if err != nil {
		return "", err
	}
	bits := make([]byte, ListSize/8)
	for _, i := range revoked {
		if err := w3cvc.SetBit(bits, i, true); err != nil {
			return "", err
		}
	}
	now := s.now().UTC().Truncate(time.Second)
	c, err := w3cvc.StatusListCredential(s.StatusListURL(slug), s.tenants.DID(slug), w3cvc.PurposeRevocation, bits, now, now.Add(s.cfg.StatusListValidFor))
	if err != nil {
		return "", err
	}
	signer, err := s.tenants.Signer(ctx, slug)
	if err != nil {
		return "", err
	}
	return w3cvc.SignJWT(c, signer)
}

// List returns the credentials an organisation issued.
func (s *Service) List(ctx context.Context, actor tenant.Principal, slug string) ([]Record, error) {
	if _, err := s.tenants.Get(ctx, actor, slug); err != nil {
		return nil, err
	}
	t, err := s.tenants.Lookup(ctx, slug)
	if err != nil {
		return nil, err
	}
	return s.store.List(ctx, t.ID)
}

// Wallet returns the credentials in an organisation's wallet.
func (s *Service) Wallet(ctx context.Context, actor tenant.Principal, slug string) ([]WalletEntry, error) {
	if _, err := s.tenants.Get(ctx, actor, slug); err != nil {
		return nil, err
	}
	t, err := s.tenants.Lookup(ctx, slug)
	if err != nil {
		return nil, err
	}
	return s.store.Wallet(ctx, t.ID)
}
