package api

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/issuer/oid4vci"
	"github.com/sociaaldomein/bewijs/issuer/orgcred"
)

// orgWalletRoutes registers the credential offer endpoint of organisation wallets, when this
// instance has organisation credentials and a client to redeem offers with.
func (s *Server) orgWalletRoutes(root *echo.Group) {
	if s.deps.OrgCreds == nil || s.deps.OfferClient == nil {
		return
	}
	root.GET("/o/:slug/credential-offer-endpoint", s.credentialOfferEndpoint)
}

// receivedView is the answer of the credential offer endpoint.
type receivedView struct {
	Received int `json:"received"`
}

// credentialOfferEndpoint is the organisation wallet's credential offer endpoint (OpenID4VCI
// 1.0 §4), named in an aanbieder's DID document: an issuer on another instance delivers an
// offer by value or by reference, and the wallet redeems it at once with the pre-authorized
// code, as the organisation's DID.
func (s *Server) credentialOfferEndpoint(c echo.Context) error {
	link, err := offerLink(c.QueryParams())
	if err != nil {
		return err
	}
	got, err := s.deps.OrgCreds.Receive(c.Request().Context(), tenant.Principal{}, c.Param("slug"), link, s.deps.OfferClient)
	if err != nil {
		return receiveError(err)
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(http.StatusOK, receivedView{Received: len(got)})
}

// offerLink rebuilds the offer link from the query. §4.1: the offer "MUST contain either the
// credential_offer or the credential_offer_uri parameter, but not both".
func offerLink(q url.Values) (string, error) {
	byValue, byRef := q.Get("credential_offer"), q.Get("credential_offer_uri")
	if (byValue == "") == (byRef == "") {
		return "", oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrInvalidRequest, "give exactly one of credential_offer and credential_offer_uri", nil)
	}
	keep := url.Values{}
	if byValue != "" {
		keep.Set("credential_offer", byValue)
	} else {
		keep.Set("credential_offer_uri", byRef)
	}
	return "openid-credential-offer://?" + keep.Encode(), nil
}

// receiveError says whose side failed: the offer and its issuer (400), a credential this
// wallet refuses (400), an organisation that has no wallet for offers (404); anything else
// is this server's (500, from toOAuthError).
func receiveError(err error) error {
	var (
		offer   *orgcred.OfferError
		refused *orgcred.InvalidInputError
	)
	switch {
	case errors.As(err, &offer):
		return oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrInvalidRequest, "the credential offer could not be redeemed at its issuer", err)
	case errors.As(err, &refused):
		return oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrInvalidRequest, "a credential of the offer was refused: "+refused.Reason, err)
	case errors.Is(err, tenant.ErrNotFound), errors.Is(err, tenant.ErrForbidden):
		return oid4vci.NewError(http.StatusNotFound, oid4vci.ErrInvalidRequest, "no organisation wallet receives offers here", err)
	}
	return err
}

// receiveRequest is the body of POST /organisation-wallet/receive.
type receiveRequest struct {
	// Offer is a credential offer link (openid-credential-offer://…), or its URL or JSON.
	Offer string `json:"offer"`
}

// receiveOffer lets an organisation's own system hand its wallet an offer (the admin API twin
// of `bewijs org-wallet receive`): redeemed at once as the organisation's DID.
func (s *Server) receiveOffer(c echo.Context) error {
	var in receiveRequest
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.Offer == "" {
		return &orgcred.InvalidInputError{Field: "offer", Reason: "a credential offer is required"}
	}
	p := principal(c)
	got, err := s.deps.OrgCreds.Receive(c.Request().Context(), p, p.Slug, in.Offer, s.deps.OfferClient)
	var offerErr *orgcred.OfferError
	if errors.As(err, &offerErr) {
		return problem(http.StatusBadGateway, "offer-not-redeemed", "Offer not redeemed", "the credential offer could not be redeemed at its issuer")
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"credentials": got})
}
