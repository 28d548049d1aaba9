package api

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/sociaaldomein/bewijs/internal/dpop"
	"github.com/sociaaldomein/bewijs/issuer"
	"github.com/sociaaldomein/bewijs/issuer/oid4vci"
	"github.com/sociaaldomein/bewijs/verifier/declareren"
)

// OpenID4VCI endpoints of a gemeente's credential issuer, identifier <public-url>/o/<slug>.
// Each handler parses, calls the issuer, and writes; errors go to handleError, which answers
// protocol routes in the OAuth error shape.

func (s *Server) issuerMetadata(c echo.Context) error {
	md, err := s.deps.Issuer.IssuerMetadata(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, md)
}

func (s *Server) authorizationServerMetadata(c echo.Context) error {
	md, err := s.deps.Issuer.AuthorizationServerMetadata(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, md)
}

func (s *Server) credentialOffer(c echo.Context) error {
	body, err := s.deps.Issuer.CredentialOffer(c.Request().Context(), c.Param("slug"), c.Param("id"))
	if err != nil {
		return err
	}
	noStore(c)
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, body)
}

// token is the token endpoint (RFC 6749 §3.2): form-encoded POST.
func (s *Server) token(c echo.Context) error {
	if err := requireForm(c); err != nil {
		return err
	}
	req := c.Request()
	if req.PostFormValue("grant_type") == declareren.GrantType && s.deps.Declareren != nil {
		return s.declarerenToken(c)
	}
	txCode, txSent := req.PostForm["tx_code"]
	tr := issuer.TokenRequest{
		GrantType: req.PostFormValue("grant_type"), PreAuthorizedCode: req.PostFormValue("pre-authorized_code"),
		TxCode: first(txCode), TxCodeSent: txSent, Code: req.PostFormValue("code"), CodeVerifier: req.PostFormValue("code_verifier"),
		RedirectURI: req.PostFormValue("redirect_uri"), ClientID: req.PostFormValue("client_id"),
		URL: s.requestURL(c),
	}
	proof, err := singleDPoP(c)
	if err != nil {
		return err
	}
	tr.DPoP = proof
	res, err := s.deps.Issuer.Token(req.Context(), c.Param("slug"), tr)
	setDPoPNonce(c, res.DPoPNonce)
	if err != nil {
		return err
	}
	noStore(c)
	return c.JSON(http.StatusOK, res.Response)
}

func (s *Server) nonce(c echo.Context) error {
	res, err := s.deps.Issuer.Nonce(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	noStore(c)
	return c.JSON(http.StatusOK, res)
}

func (s *Server) credential(c echo.Context) error {
	var body oid4vci.CredentialRequest
	if err := decodeJSONProtocol(c, &body); err != nil {
		return err
	}
	req, err := s.resourceRequest(c)
	if err != nil {
		return err
	}
	req.Body = body
	res, err := s.deps.Issuer.Credential(c.Request().Context(), c.Param("slug"), req)
	setDPoPNonce(c, res.DPoPNonce)
	if err != nil {
		return err
	}
	noStore(c)
	return c.JSON(http.StatusOK, res.Response)
}

func (s *Server) notification(c echo.Context) error {
	var body oid4vci.NotificationRequest
	if err := decodeJSONProtocol(c, &body); err != nil {
		return err
	}
	req, err := s.resourceRequest(c)
	if err != nil {
		return err
	}
	nonce, err := s.deps.Issuer.Notify(c.Request().Context(), c.Param("slug"), req, body)
	setDPoPNonce(c, nonce)
	if err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// resourceRequest reads the access token (Bearer or DPoP scheme) and the DPoP proof of a
// request to the credential or notification endpoint.
func (s *Server) resourceRequest(c echo.Context) (issuer.CredentialRequest, error) {
	scheme, token, _ := strings.Cut(c.Request().Header.Get(echo.HeaderAuthorization), " ")
	proof, err := singleDPoP(c)
	if err != nil {
		return issuer.CredentialRequest{}, err
	}
	return issuer.CredentialRequest{Scheme: canonicalScheme(scheme), AccessToken: strings.TrimSpace(token), DPoP: proof, URL: s.requestURL(c)}, nil
}

func (s *Server) statusList(c echo.Context) error {
	token, ttl, err := s.deps.Issuer.StatusListToken(c.Request().Context(), c.Param("slug"), c.Param("list"))
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "public, max-age="+strconv.Itoa(int(ttl.Seconds())))
	return c.Blob(http.StatusOK, "application/statuslist+jwt", []byte(token))
}

func (s *Server) typeMetadata(c echo.Context) error {
	vct, err := url.PathUnescape(c.Param("vct"))
	if err != nil {
		return echo.ErrNotFound
	}
	body, err := s.deps.Issuer.TypeMetadata(vct)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "public, max-age=3600")
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, body)
}

// requestURL is the URL the client used, from the public URL (which is what a wallet sees
// behind a proxy) and the request path: DPoP htu is compared with it.
func (s *Server) requestURL(c echo.Context) string {
	u := *s.cfg.PublicURL
	u.Path = c.Request().URL.Path
	return u.String()
}

// singleDPoP returns the DPoP header; RFC 9449 §4.3: more than one is an invalid proof.
func singleDPoP(c echo.Context) (string, error) {
	values := c.Request().Header.Values(dpop.HeaderName)
	if len(values) > 1 {
		return "", oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrInvalidDPoPProof, "exactly one DPoP header is allowed", nil)
	}
	return first(values), nil
}

func setDPoPNonce(c echo.Context, nonce string) {
	if nonce != "" {
		c.Response().Header().Set(dpop.NonceHeader, nonce)
	}
}

func canonicalScheme(s string) string {
	switch {
	case strings.EqualFold(s, "DPoP"):
		return "DPoP"
	case strings.EqualFold(s, "Bearer"):
		return "Bearer"
	}
	return s
}

// noStore: RFC 6749 §5.1 responses with tokens and nonces must not be cached.
func noStore(c echo.Context) {
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
}

func requireForm(c echo.Context) error {
	if !strings.HasPrefix(c.Request().Header.Get(echo.HeaderContentType), echo.MIMEApplicationForm) {
		return oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrInvalidRequest, "send the request as application/x-www-form-urlencoded", nil)
	}
	if err := parseForm(c.Request()); err != nil {
		var tooBig *http.MaxBytesError
		var limit *echo.HTTPError
		if errors.As(err, &tooBig) || errors.As(err, &limit) && limit.Code == http.StatusRequestEntityTooLarge {
			return echo.ErrStatusRequestEntityTooLarge
		}
		return oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrInvalidRequest, "the form does not parse", err)
	}
	return nil
}

// decodeJSONProtocol is decodeJSON answering in the protocol's error shape; unknown members
// are allowed (extensions).
func decodeJSONProtocol(c echo.Context, into any) error {
	if err := decodeJSONLoose(c, into); err != nil {
		return oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrInvalidCredentialRequest, "the body must be a JSON object", err)
	}
	return nil
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}
