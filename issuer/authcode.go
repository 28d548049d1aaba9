package issuer

import (
	"context"
	"net/http"

	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/issuer/oid4vci"
)

// redeemAuthorizationCode is the authorization code grant. The authorization endpoint, PAR and
// the pilot authenticator are not built yet, so no authorization code can exist and the grant
// is refused as unsupported (the metadata does not list it either).
func (i *Issuer) redeemAuthorizationCode(_ context.Context, _ tenant.Tenant, _ TokenRequest, _ string) (Code, error) {
	return Code{}, oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrUnsupportedGrantType, "the authorization code grant is not available yet", nil)
}
