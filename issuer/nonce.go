package issuer

import (
	"context"
	"net/http"

	"github.com/sociaaldomein/bewijs/issuer/oid4vci"
)

// Nonce is the Nonce Endpoint (OpenID4VCI 1.0 §7): a fresh c_nonce, stored so that any
// replica can check it, single use.
func (i *Issuer) Nonce(ctx context.Context, slug string) (oid4vci.NonceResponse, error) {
	t, err := i.issuingTenant(ctx, slug)
	if err != nil {
		return oid4vci.NonceResponse{}, oid4vci.NewError(http.StatusNotFound, oid4vci.ErrInvalidRequest, "unknown issuer", err)
	}
	n, err := i.newNonce(ctx, t.ID, "c_nonce")
	if err != nil {
		return oid4vci.NonceResponse{}, err
	}
	return oid4vci.NonceResponse{CNonce: n}, nil
}

func (i *Issuer) newNonce(ctx context.Context, tenantID, purpose string) (string, error) {
	n, err := randomToken()
	if err != nil {
		return "", err
	}
	if err := i.store.SaveNonce(ctx, tenantID, n, purpose, i.now().UTC().Add(i.cfg.NonceTTL)); err != nil {
		return "", err
	}
	return n, nil
}
