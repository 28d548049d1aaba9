package issuer

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/sociaaldomein/bewijs/internal/audit"
	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/issuer/oid4vci"
)

// ErrNoBeschikkingen is the login by disclosure of a citizen who has no offered beschikking
// at this gemeente.
var ErrNoBeschikkingen = errors.New("issuer: no open beschikkingen for this citizen")

// clientRef is the keyed hash of a BSN stored with a beschikking: it finds a citizen's
// beschikkingen without keeping the BSN, and is useless without the master key.
func (i *Issuer) clientRef(bsn string) string {
	m := hmac.New(sha256.New, i.clientRefKey)
	m.Write([]byte("bsn:" + bsn))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// CheckPushedRequest checks that a pushed authorization request is waiting for its login
// step, before the login by disclosure starts.
func (i *Issuer) CheckPushedRequest(ctx context.Context, slug, clientID, requestURI string) (tenant.Tenant, error) {
	t, err := i.loginTenant(ctx, slug)
	if err != nil {
		return tenant.Tenant{}, err
	}
	_, err = i.pushedRequest(ctx, t, clientID, requestURI)
	return t, err
}

// AuthorizeByBSN is the login step for a citizen whose BSN came from a verified PID
// presentation (login by disclosure): the authorization code covers every offered
// beschikking of that BSN at this gemeente, and no other.
func (i *Issuer) AuthorizeByBSN(ctx context.Context, slug, clientID, requestURI, bsn string) (string, error) {
	t, err := i.loginTenant(ctx, slug)
	if err != nil {
		return "", err
	}
	p, err := i.pushedRequest(ctx, t, clientID, requestURI)
	if err != nil {
		return "", err
	}
	ids, err := i.store.OfferedForClient(ctx, t.ID, i.clientRef(bsn))
	if err != nil {
		return "", err
	}
	if len(ids) == 0 {
		i.record(ctx, audit.Event{Action: "oid4vci.login", Outcome: audit.Denied, Actor: "citizen", TenantID: t.ID, Reason: "no_beschikkingen",
			Details: map[string]string{"method": "pid"}})
		return "", ErrNoBeschikkingen
	}
	if _, err := i.store.RedeemPAR(ctx, t.ID, requestURI, i.now().UTC()); err != nil {
		return "", oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrInvalidRequest, "request_uri was used already", err)
	}
	code, err := randomToken()
	if err != nil {
		return "", err
	}
	c := Code{Hash: hashSecret(code), Kind: "authorization", TenantID: t.ID, BeschikkingID: ids[0], CodeChallenge: p.CodeChallenge,
		RedirectURI: p.RedirectURI, ClientID: p.ClientID, DPoPJKT: p.DPoPJKT, ExpiresAt: i.now().UTC().Add(time.Minute)}
	if len(ids) > 1 {
		c.BeschikkingIDs = ids
	}
	if err := i.store.SaveCode(ctx, c); err != nil {
		return "", err
	}
	i.record(ctx, audit.Event{Action: "oid4vci.login", Outcome: audit.Success, Actor: "citizen", TenantID: t.ID, Subject: ids[0],
		Details: map[string]string{"method": "pid", "beschikkingen": fmt.Sprint(len(ids))}})
	return redirectWithCode(p, code, i.tenants.IssuerURL(slug)), nil
}

// loginTenant is a gemeente: only gemeenten have beschikkingen to log in for.
func (i *Issuer) loginTenant(ctx context.Context, slug string) (tenant.Tenant, error) {
	t, err := i.issuingTenant(ctx, slug)
	if err != nil {
		return tenant.Tenant{}, err
	}
	if t.Kind != tenant.Gemeente {
		return tenant.Tenant{}, tenant.ErrNotFound
	}
	return t, nil
}

// IssuerURL is the credential issuer identifier of a tenant.
func (i *Issuer) IssuerURL(slug string) string { return i.tenants.IssuerURL(slug) }
