package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sociaaldomein/bewijs/verifier/declareren"
)

// declarerenToken is the token endpoint's VP Token grant (Nuts RFC021): the aanbieder's
// presentation for a DPoP-bound declareren token.
func (s *Server) declarerenToken(c echo.Context) error {
	req := c.Request()
	proof, err := singleDPoP(c)
	if err != nil {
		return err
	}
	res, err := s.deps.Declareren.Token(req.Context(), declareren.TokenRequest{Slug: c.Param("slug"), GrantType: req.PostFormValue("grant_type"),
		Assertion: req.PostFormValue("assertion"), Scope: req.PostFormValue("scope"), DPoP: proof, URL: s.requestURL(c)})
	if err != nil {
		return err
	}
	noStore(c)
	return c.JSON(http.StatusOK, res)
}

// declarerenNonce gives the server nonce a token request's presentation must carry.
func (s *Server) declarerenNonce(c echo.Context) error {
	nonce, exp, err := s.deps.Declareren.Nonce(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	noStore(c)
	return c.JSON(http.StatusOK, map[string]any{"nonce": nonce, "expires_at": exp.UTC().Format(time.RFC3339)})
}

// declare takes one declaratie line with a declareren access token (Authorization: DPoP …)
// and its DPoP proof, and answers accepted or rejected with the policy's reasons.
func (s *Server) declare(c echo.Context) error {
	scheme, token, _ := strings.Cut(c.Request().Header.Get(echo.HeaderAuthorization), " ")
	if !strings.EqualFold(scheme, "DPoP") || token == "" {
		c.Response().Header().Set(echo.HeaderWWWAuthenticate, `DPoP algs="ES256 ES384 EdDSA"`)
		return problem(http.StatusUnauthorized, "unauthorized", "Unauthorized", "send the declareren access token as 'Authorization: DPoP <token>' with a DPoP proof")
	}
	var line declareren.Line
	if err := decodeJSON(c, &line); err != nil {
		return err
	}
	proof, err := singleDPoP(c)
	if err != nil {
		return err
	}
	out, err := s.deps.Declareren.Declare(c.Request().Context(), declareren.DeclareRequest{AccessToken: token, DPoP: proof, URL: s.requestURL(c), Line: line})
	if err != nil {
		return err
	}
	if !out.Accepted {
		p := problem(http.StatusUnprocessableEntity, "declaratie-rejected", "Declaratie rejected",
			"the declareren policy rejects this line: "+strings.Join(out.Reasons, "; "))
		p.Reasons = out.Reasons
		return p
	}
	return c.JSON(http.StatusCreated, out)
}

// listDeclaraties lists the accepted declaraties of the API key's gemeente.
func (s *Server) listDeclaraties(c echo.Context) error {
	p := principal(c)
	list, err := s.deps.Declareren.List(c.Request().Context(), p, p.Slug)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"declaraties": list})
}
