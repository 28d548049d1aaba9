package tenant

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/sociaaldomein/bewijs/internal/audit"
)

// apiKeyPrefix marks bewijs API keys, so secret scanners and people recognise them.
const apiKeyPrefix = "bwk_"

// Principal is who an API key (or the CLI) acts as.
type Principal struct {
	Operator bool
	CLI      bool
	TenantID string
	Slug     string
	KeyID    string
}

// CLI is the principal of admin commands run on the server's own database.
var CLI = Principal{CLI: true, Operator: true}

// Actor names the principal in the audit log, without secrets.
func (p Principal) Actor() string {
	switch {
	case p.CLI:
		return "cli"
	case p.Operator:
		return "operator:" + p.KeyID
	case p.Slug != "":
		return "tenant:" + p.Slug + ":" + p.KeyID
	}
	return "anonymous"
}

func newAPIKey(tenantID string, now time.Time) (secret string, k APIKey, err error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", APIKey{}, err
	}
	secret = apiKeyPrefix + base64.RawURLEncoding.EncodeToString(raw)
	return secret, APIKey{ID: uuid.NewString(), TenantID: tenantID, Hash: hashAPIKey(secret), CreatedAt: now}, nil
}

// hashAPIKey is SHA-256: API keys are 256 random bits, so a slow hash adds nothing.
func hashAPIKey(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// NewAPIKey issues an API key for an organisation (shown once). With revokeOthers every
// other key of that organisation stops working in the same transaction.
func (s *Service) NewAPIKey(ctx context.Context, actor Principal, slug string, revokeOthers bool) (string, error) {
	t, err := s.authorized(ctx, actor, slug)
	if err != nil {
		return "", err
	}
	return s.addAPIKey(ctx, actor, t.ID, slug, revokeOthers)
}

// NewOperatorAPIKey issues an operator API key, which may manage every organisation.
func (s *Service) NewOperatorAPIKey(ctx context.Context, actor Principal, revokeOthers bool) (string, error) {
	if !actor.Operator {
		return "", ErrForbidden
	}
	return s.addAPIKey(ctx, actor, "", "operator", revokeOthers)
}

func (s *Service) addAPIKey(ctx context.Context, actor Principal, tenantID, subject string, revokeOthers bool) (string, error) {
	now := s.now().UTC()
	secret, k, err := newAPIKey(tenantID, now)
	if err != nil {
		return "", err
	}
	if err := s.store.AddAPIKey(ctx, k, revokeOthers, now); err != nil {
		return "", err
	}
	action := "api-key.create"
	if revokeOthers {
		action = "api-key.create-revoke-others"
	}
	if err := s.record(ctx, actor, action, tenantID, subject, nil); err != nil {
		return "", err
	}
	return secret, nil
}

// Authenticate finds the principal of a presented API key. Refusals are audited.
func (s *Service) Authenticate(ctx context.Context, presented string) (Principal, error) {
	if !strings.HasPrefix(presented, apiKeyPrefix) {
		return s.refuse(ctx, "malformed API key")
	}
	k, err := s.store.APIKeyByHash(ctx, hashAPIKey(presented))
	if errors.Is(err, ErrNotFound) {
		return s.refuse(ctx, "unknown or revoked API key")
	}
	if err != nil {
		return Principal{}, err
	}
	p := Principal{KeyID: shortID(k.ID), TenantID: k.TenantID, Operator: k.TenantID == ""}
	if !p.Operator {
		t, err := s.store.ByID(ctx, k.TenantID)
		if err != nil {
			return Principal{}, err
		}
		p.Slug = t.Slug
	}
	return p, nil
}

func (s *Service) refuse(ctx context.Context, reason string) (Principal, error) {
	if s.audit != nil {
		if err := s.audit.Record(ctx, audit.Event{Action: "api-key.authenticate", Outcome: audit.Denied, Actor: "anonymous", Reason: reason}); err != nil {
			return Principal{}, err
		}
	}
	return Principal{}, ErrUnauthorized
}

// authorized loads the organisation and checks that the principal may act for it: an
// operator for any, an organisation's own key only for itself.
func (s *Service) authorized(ctx context.Context, actor Principal, slug string) (Tenant, error) {
	t, err := s.store.BySlug(ctx, slug)
	if err != nil {
		return Tenant{}, err
	}
	if !actor.Operator && actor.TenantID != t.ID {
		_ = s.record(ctx, actor, "tenant.access", t.ID, slug, ErrForbidden)
		return Tenant{}, ErrForbidden
	}
	return t, nil
}

func shortID(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}
