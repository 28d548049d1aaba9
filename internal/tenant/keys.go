package tenant

import (
	"context"
	"fmt"
	"time"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/internal/jose"
	"github.com/sociaaldomein/bewijs/internal/keys"
)

// KeyInfo describes a signing key without its private part.
type KeyInfo struct {
	KID       string    `json:"kid"`
	KeyID     string    `json:"key_id"` // the DID URL, the JWS kid header
	Alg       string    `json:"alg"`
	Active    bool      `json:"active"`
	CreatedAt time.Time `json:"created_at"`
}

func (s *Service) newKey(ctx context.Context, tenantID string, now time.Time) (Key, error) {
	gen, err := s.keys.Generate(ctx, keys.ES256)
	if err != nil {
		return Key{}, fmt.Errorf("tenant: generate key: %w", err)
	}
	kid, err := jose.Thumbprint(gen.Public)
	if err != nil {
		return Key{}, err
	}
	pub, err := did.PublicJWK(gen.Public)
	if err != nil {
		return Key{}, err
	}
	return Key{KID: kid, TenantID: tenantID, Alg: string(keys.ES256), PublicJWK: pub, Ref: gen.Ref, CreatedAt: now}, nil
}

// RotateKey adds a new signing key, which becomes the active one. Older keys stay in the DID
// document, so signatures made with them keep verifying until they are removed.
func (s *Service) RotateKey(ctx context.Context, actor Principal, slug string) (KeyInfo, error) {
	t, err := s.authorized(ctx, actor, slug)
	if err != nil {
		return KeyInfo{}, err
	}
	now := s.now().UTC()
	k, err := s.newKey(ctx, t.ID, now)
	if err != nil {
		return KeyInfo{}, err
	}
	if err := s.store.AddKey(ctx, k); err != nil {
		return KeyInfo{}, err
	}
	s.cache.signers.drop(slug)
	if err := s.record(ctx, actor, "tenant.key.rotate", t.ID, k.KID, nil); err != nil {
		return KeyInfo{}, err
	}
	return s.keyInfo(slug, k, true), nil
}

// Keys lists an organisation's keys, the active one last.
func (s *Service) Keys(ctx context.Context, actor Principal, slug string) ([]KeyInfo, error) {
	t, err := s.authorized(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	list, err := s.store.Keys(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	out := make([]KeyInfo, 0, len(list))
	for i, k := range list {
		out = append(out, s.keyInfo(slug, k, i == len(list)-1))
	}
	return out, nil
}

// RemoveKey takes a key out of the DID document; signatures made with it stop verifying.
// The active key cannot be removed: rotate first.
func (s *Service) RemoveKey(ctx context.Context, actor Principal, slug, kid string) error {
	t, err := s.authorized(ctx, actor, slug)
	if err != nil {
		return err
	}
	list, err := s.store.Keys(ctx, t.ID)
	if err != nil {
		return err
	}
	if len(list) > 0 && list[len(list)-1].KID == kid {
		err := &ValidationError{Fields: []FieldError{{"kid", "this is the active key; rotate first, then remove it"}}}
		_ = s.record(ctx, actor, "tenant.key.remove", t.ID, kid, err)
		return err
	}
	if err := s.store.RemoveKey(ctx, t.ID, kid, s.now().UTC()); err != nil {
		return err
	}
	s.cache.signers.drop(slug)
	return s.record(ctx, actor, "tenant.key.remove", t.ID, kid, nil)
}

// Signer returns the active signing key of an organisation, with its DID URL as key id.
func (s *Service) Signer(ctx context.Context, slug string) (jose.Signer, error) {
	now := s.now()
	if signer, ok := s.cache.signers.get(slug, now); ok {
		return signer, nil
	}
	signer, err := s.openSigner(ctx, slug)
	if err != nil {
		return jose.Signer{}, err
	}
	s.cache.signers.put(slug, signer, now)
	return signer, nil
}

// openSigner opens the active key of an organisation.
func (s *Service) openSigner(ctx context.Context, slug string) (jose.Signer, error) {
	t, err := s.Lookup(ctx, slug)
	if err != nil {
		return jose.Signer{}, err
	}
	list, err := s.store.Keys(ctx, t.ID)
	if err != nil {
		return jose.Signer{}, err
	}
	if len(list) == 0 {
		return jose.Signer{}, fmt.Errorf("tenant %s has no signing key: %w", slug, ErrNotFound)
	}
	active := list[len(list)-1]
	signer, err := s.keys.Signer(ctx, active.Ref)
	if err != nil {
		return jose.Signer{}, fmt.Errorf("tenant %s: open signing key: %w", slug, err)
	}
	return jose.Signer{KeyID: s.DID(slug) + "#" + active.KID, Key: signer}, nil
}

func (s *Service) keyInfo(slug string, k Key, active bool) KeyInfo {
	return KeyInfo{KID: k.KID, KeyID: s.DID(slug) + "#" + k.KID, Alg: k.Alg, Active: active, CreatedAt: k.CreatedAt}
}
