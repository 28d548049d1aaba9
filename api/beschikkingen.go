package api

import (
	"context"
	"io"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/issuer"
)

// statusChangeRequest is the body of revoke, suspend and reinstate.
type statusChangeRequest struct {
	Reason string `json:"reason"`
}

// createBeschikking takes a toewijzing document (the shape of the domain fixtures) and offers
// its credentials. ?tx_code=true protects the offer with a transaction code; ?login_code=true
// also gives a one-time login code for a citizen who starts in the wallet.
func (s *Server) createBeschikking(c echo.Context) error {
	p := principal(c)
	if p.Slug == "" {
		return problem(http.StatusForbidden, "forbidden", "Forbidden", "use the API key of the gemeente that issues the beschikking")
	}
	txCode, err := boolQuery(c, "tx_code")
	if err != nil {
		return err
	}
	loginCode, err := boolQuery(c, "login_code")
	if err != nil {
		return err
	}
	if err := requireJSON(c); err != nil {
		return err
	}
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return badJSON(err)
	}
	created, err := s.deps.Issuer.CreateBeschikking(c.Request().Context(), p, p.Slug, body, issuer.CreateOptions{TxCode: txCode, LoginCode: loginCode})
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, s.cfg.PublicURL.String()+"/api/v1/beschikkingen/"+created.ID)
	return c.JSON(http.StatusCreated, created)
}

// beschikkingView answers with the beschikking of the path's id as act leaves it: read it
// (getBeschikking) or act on it first (redeliverZorgtoewijzing).
func (s *Server) beschikkingView(act func(ctx context.Context, p tenant.Principal, slug, id string) (issuer.View, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		p := principal(c)
		v, err := act(c.Request().Context(), p, p.Slug, c.Param("id"))
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, v)
	}
}

func (s *Server) changeBeschikking(change issuer.StatusChange) echo.HandlerFunc {
	return func(c echo.Context) error {
		var req statusChangeRequest
		if err := decodeJSON(c, &req); err != nil {
			return err
		}
		p := principal(c)
		v, err := s.deps.Issuer.ChangeStatus(c.Request().Context(), p, p.Slug, c.Param("id"), change, req.Reason)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, v)
	}
}

func boolQuery(c echo.Context, name string) (bool, error) {
	v := c.QueryParam(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, &Problem{Type: problemBase + "invalid-input", Title: "Invalid input", Status: http.StatusBadRequest,
			Detail: name + " must be true or false", InvalidParams: []InvalidParam{{Name: name, Reason: "must be true or false"}}}
	}
	return b, nil
}
