package issuer

import (
	"context"
	"errors"
	"net/http"

	"github.com/sociaaldomein/bewijs/internal/audit"
	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/issuer/oid4vci"
)

// Notify is the Notification Endpoint (OpenID4VCI 1.0 §11): the wallet says whether it
// accepted, failed to store or deleted what it received. The request is authorized by the
// same access token as the credential request. When the DPoP proof needs a (new) nonce, that
// nonce is returned with the error, for the DPoP-Nonce header (RFC 9449 §9).
func (i *Issuer) Notify(ctx context.Context, slug string, auth CredentialRequest, n oid4vci.NotificationRequest) (string, error) {
	t, err := i.issuingTenant(ctx, slug)
	if err != nil {
		return "", oid4vci.NewError(http.StatusNotFound, oid4vci.ErrInvalidRequest, "unknown issuer", err)
	}
	if _, nonce, err := i.authorizeNotification(ctx, t, auth); err != nil {
		return nonce, err
	}
	return "", i.notify(ctx, t, n)
}

func (i *Issuer) notify(ctx context.Context, t tenant.Tenant, n oid4vci.NotificationRequest) error {
	switch n.Event {
	case oid4vci.EventCredentialAccepted, oid4vci.EventCredentialFailure, oid4vci.EventCredentialDeleted:
	default:
		// §11.3: invalid_notification_request for an unknown event or a malformed request.
		return oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrInvalidNotificationRequest, "unknown event", nil)
	}
	if n.NotificationID == "" {
		return oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrInvalidNotificationRequest, "notification_id is required", nil)
	}
	if err := i.store.Notify(ctx, t.ID, n.NotificationID, n.Event); err != nil {
		if errors.Is(err, ErrNotFound) {
			return oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrInvalidNotificationID, "unknown notification_id", err)
		}
		return err
	}
	i.record(ctx, audit.Event{Action: "credential.notification", Outcome: audit.Success, Actor: "wallet", TenantID: t.ID, Subject: n.NotificationID, Reason: n.Event})
	return nil
}

// authorizeNotification checks the access token like the credential endpoint does, except
// that the beschikking may be in any state (a wallet may report deleting a revoked one).
func (i *Issuer) authorizeNotification(ctx context.Context, t tenant.Tenant, req CredentialRequest) (AccessToken, string, error) {
	return i.checkAccessToken(ctx, t, req)
}
