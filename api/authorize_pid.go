package api

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/sociaaldomein/bewijs/issuer"
	"github.com/sociaaldomein/bewijs/verifier"
)

// authorizePID starts login by disclosure for a pushed request: the gemeente asks the wallet
// for its PID over OpenID4VP (same device: the redirect opens the wallet), and sends the
// wallet's browser back to authorizePIDCallback afterwards.
func (s *Server) authorizePID(c echo.Context) error {
	ctx := c.Request().Context()
	slug, clientID, requestURI := c.Param("slug"), c.QueryParam("client_id"), c.QueryParam("request_uri")
	if _, err := s.deps.Issuer.CheckPushedRequest(ctx, slug, clientID, requestURI); err != nil {
		return s.authorizeError(c, err)
	}
	returnTo := s.deps.Issuer.IssuerURL(slug) + "/authorize/pid/callback?" +
		url.Values{"client_id": {clientID}, "request_uri": {requestURI}}.Encode()
	v, err := s.deps.Verifier.CreateLoginRequest(ctx, slug, returnTo)
	if err != nil {
		return err
	}
	noStore(c)
	return c.Redirect(http.StatusFound, v.AuthorizationRequest)
}

// authorizePIDCallback completes the login step with the BSN of the verified PID: the code
// covers every offered beschikking of that citizen.
func (s *Server) authorizePIDCallback(c echo.Context) error {
	ctx := c.Request().Context()
	q := c.QueryParam
	bsn, err := s.deps.Verifier.LoginPID(ctx, c.Param("slug"), q("presentation"), q("response_code"))
	if errors.Is(err, verifier.ErrLoginFailed) {
		return render(c, http.StatusForbidden, "error.html", "Inloggen met uw wallet is niet gelukt. / Logging in with your wallet failed.")
	}
	if err != nil {
		return err
	}
	redirect, err := s.deps.Issuer.AuthorizeByBSN(ctx, c.Param("slug"), q("client_id"), q("request_uri"), bsn)
	if errors.Is(err, issuer.ErrNoBeschikkingen) {
		return render(c, http.StatusNotFound, "error.html", "Er staan geen beschikkingen voor u klaar. / There are no decisions waiting for you.")
	}
	if err != nil {
		return s.authorizeError(c, err)
	}
	noStore(c)
	return c.Redirect(http.StatusFound, redirect)
}
