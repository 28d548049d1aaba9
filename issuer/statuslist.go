package issuer

import (
	"context"
	"encoding/json"
	"time"

	"github.com/sociaaldomein/bewijs/internal/jose"
	"github.com/sociaaldomein/bewijs/internal/statuslist"
)

// StatusLists reads status lists for rendering.
type StatusLists interface {
	Build(ctx context.Context, listID string) (tenantID string, l *statuslist.List, err error)
}

// StatusListToken renders a tenant's status list as a signed statuslist+jwt (Token Status
// List draft -20 §5): sub is its own URI, with iat, exp and ttl. It is built from the
// database on every request, so a status change shows in the next token served.
func (i *Issuer) StatusListToken(ctx context.Context, slug, listID string) (string, time.Duration, error) {
	t, err := i.issuingTenant(ctx, slug)
	if err != nil {
		return "", 0, err
	}
	tenantID, list, err := i.lists.Build(ctx, listID)
	if err != nil {
		return "", 0, err
	}
	if tenantID != t.ID {
		return "", 0, ErrNotFound
	}
	now := i.now().UTC()
	claims, err := statuslist.TokenClaims(i.StatusListURI(slug, listID), list, now, now.Add(i.cfg.StatusListExp), i.cfg.StatusListTTL)
	if err != nil {
		return "", 0, err
	}
	s, err := i.signerFor(ctx, slug)
	if err != nil {
		return "", 0, err
	}
	header := map[string]any{"typ": statuslist.TokenType}
	if len(s.x5c) > 0 {
		header["x5c"] = s.x5c // HAIP: status list tokens carry x5c too
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", 0, err
	}
	token, err := jose.Sign(payload, s.Signer, header)
	return token, i.cfg.StatusListTTL, err
}
