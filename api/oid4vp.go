package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sociaaldomein/bewijs/verifier"
	"github.com/sociaaldomein/bewijs/verifier/oid4vp"
)

// requestObject serves the signed Request Object at request_uri (OpenID4VP 1.0 §5.10): GET, or
// POST with wallet_nonce and wallet_metadata (§5.10.1), answered as
// application/oauth-authz-req+jwt.
func (s *Server) requestObject(c echo.Context) error {
	f := verifier.RequestObjectFetch{Slug: c.Param("slug"), ID: c.Param("id"), Method: c.Request().Method}
	if f.Method == http.MethodPost {
		if err := requireForm(c); err != nil {
			return err
		}
		f.WalletNonce = c.Request().PostFormValue(oid4vp.ParamWalletNonce)
	}
	jwt, err := s.deps.Verifier.RequestObject(c.Request().Context(), f)
	if err != nil {
		return err
	}
	noStore(c)
	return c.Blob(http.StatusOK, oid4vp.RequestObjectMIME, []byte(jwt))
}

// presentationResponse is the response_uri of direct_post and direct_post.jwt (§8.2, §8.3.1).
func (s *Server) presentationResponse(c echo.Context) error {
	if err := requireForm(c); err != nil {
		return err
	}
	out, err := s.deps.Verifier.HandleResponse(c.Request().Context(), verifier.Response{
		Slug: c.Param("slug"), ID: c.Param("id"), Form: c.Request().PostForm,
	})
	if err != nil {
		return err
	}
	noStore(c)
	return c.JSON(http.StatusOK, out)
}
