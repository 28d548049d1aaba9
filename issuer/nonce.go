package issuer

import (
	"context"
	"net/http"
	"time"

	"github.com/sociaaldomein/bewijs/internal/nonce"
	"github.com/sociaaldomein/bewijs/issuer/oid4vci"
)

// Nonces (c_nonce, DPoP nonce) are stateless (internal/nonce); single use of a c_nonce is
// enforced by the replay guard when it is spent.

const (
	noncePurposeC    = "c_nonce"
	noncePurposeDPoP = "dpop"
)

// Nonce is the Nonce Endpoint (OpenID4VCI 1.0 §7): a fresh c_nonce.
func (i *Issuer) Nonce(ctx context.Context, slug string) (oid4vci.NonceResponse, error) {
	t, err := i.issuingTenant(ctx, slug)
	if err != nil {
		return oid4vci.NonceResponse{}, oid4vci.NewError(http.StatusNotFound, oid4vci.ErrInvalidRequest, "unknown issuer", err)
	}
	n, err := i.newNonce(t.ID, noncePurposeC)
	if err != nil {
		return oid4vci.NonceResponse{}, err
	}
	return oid4vci.NonceResponse{CNonce: n}, nil
}

func (i *Issuer) nonces() nonce.Maker {
	return nonce.Maker{Key: i.nonceSecret, TTL: i.cfg.NonceTTL, Skew: i.cfg.Skew}
}

func (i *Issuer) newNonce(tenantID, purpose string) (string, error) {
	return i.nonces().Make(tenantID, purpose, i.now())
}

// checkNonce verifies a nonce's MAC and age and returns when it expires.
func (i *Issuer) checkNonce(tenantID, purpose, n string) (time.Time, error) {
	return i.nonces().Check(tenantID, purpose, n, i.now())
}

// spendCNonce checks a c_nonce and uses it up: a second use is refused.
func (i *Issuer) spendCNonce(ctx context.Context, tenantID, nonce string) error {
	exp, err := i.checkNonce(tenantID, noncePurposeC, nonce)
	if err != nil {
		return err
	}
	return i.store.Remember(ctx, "c_nonce:"+nonce, exp)
}
