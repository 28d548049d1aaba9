package api

import (
	"bytes"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sociaaldomein/bewijs/issuer"
	"github.com/sociaaldomein/bewijs/issuer/oid4vci"
)

// par is the pushed authorization request endpoint (RFC 9126 §2).
func (s *Server) par(c echo.Context) error {
	if err := requireForm(c); err != nil {
		return err
	}
	f := c.Request().PostFormValue
	proof, err := singleDPoP(c)
	if err != nil {
		return err
	}
	res, nonce, err := s.deps.Issuer.PushAuthorizationRequest(c.Request().Context(), c.Param("slug"), issuer.PARRequest{
		ClientID: f("client_id"), ResponseType: f("response_type"), RedirectURI: f("redirect_uri"),
		CodeChallenge: f("code_challenge"), CodeChallengeMethod: f("code_challenge_method"), State: f("state"),
		Scope: f("scope"), AuthorizationDetails: f("authorization_details"), DPoPJKT: f("dpop_jkt"), DPoP: proof, URL: s.requestURL(c),
	})
	setDPoPNonce(c, nonce)
	if err != nil {
		return err
	}
	noStore(c)
	return c.JSON(http.StatusCreated, res)
}

// authorizePage shows the login step for a pushed request (RFC 9126 §4: client_id and
// request_uri only).
func (s *Server) authorizePage(c echo.Context) error {
	page, err := s.deps.Issuer.AuthorizationPage(c.Request().Context(), c.Param("slug"), c.QueryParam("client_id"), c.QueryParam("request_uri"))
	if err != nil {
		return s.authorizeError(c, err)
	}
	if s.deps.Verifier != nil {
		page.PIDLogin = c.Request().URL.Path + "/pid?" + c.Request().URL.RawQuery
	}
	return render(c, http.StatusOK, "authorize.html", page)
}

// authorizeSubmit takes the login form and redirects to the wallet with the code.
func (s *Server) authorizeSubmit(c echo.Context) error {
	if err := c.Request().ParseForm(); err != nil {
		return s.authorizeError(c, oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrInvalidRequest, "the form does not parse", err))
	}
	form := map[string]string{}
	for k, v := range c.Request().PostForm {
		form[k] = first(v)
	}
	redirect, page, err := s.deps.Issuer.Authorize(c.Request().Context(), c.Param("slug"), form["client_id"], form["request_uri"], form)
	if err != nil {
		return s.authorizeError(c, err)
	}
	if page != nil {
		return render(c, http.StatusBadRequest, "authorize.html", page)
	}
	noStore(c)
	return c.Redirect(http.StatusFound, redirect)
}

// authorizeError: RFC 6749 §4.1.2.1 — with an invalid request_uri the redirect URI cannot be
// trusted, so the error is shown to the citizen instead of redirected.
func (s *Server) authorizeError(c echo.Context, err error) error {
	var e *oid4vci.Error
	if !errors.As(err, &e) {
		return err
	}
	return render(c, e.Status, "error.html", e.Description)
}

func render(c echo.Context, status int, name string, data any) error {
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, name, data); err != nil {
		return err
	}
	noStore(c)
	return c.HTMLBlob(status, buf.Bytes())
}
