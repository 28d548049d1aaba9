package api

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sociaaldomein/bewijs/issuer/orgcred"
)

// roleRequest is the body of POST /organisation-credentials.
type roleRequest struct {
	Type string `json:"type"`
	orgcred.RoleInput
}

// issueOrgCredential: a trust anchor issues an OrganisatieRol to an organisation; it lands in
// that organisation's wallet.
func (s *Server) issueOrgCredential(c echo.Context) error {
	p := principal(c)
	if p.Slug == "" {
		return problem(http.StatusForbidden, "forbidden", "Forbidden", "use the API key of the trust anchor that issues the role")
	}
	var in roleRequest
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.Type != orgcred.TypeRole {
		return &orgcred.InvalidInputError{Field: "type", Reason: "only " + orgcred.TypeRole + " is issued here; zorgtoewijzingen follow beschikkingen"}
	}
	issued, err := s.deps.OrgCreds.IssueRole(c.Request().Context(), p, p.Slug, in.RoleInput)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, issued)
}

// orgCredentialView is an issued credential in a list.
type orgCredentialView struct {
	ID               string  `json:"id"`
	Type             string  `json:"type"`
	Subject          string  `json:"subject"`
	Toewijzingnummer int64   `json:"toewijzingnummer,omitempty"`
	Revoked          bool    `json:"revoked"`
	RevokeReason     string  `json:"revoke_reason,omitempty"`
	ValidUntil       *string `json:"valid_until,omitempty"`
}

func (s *Server) listOrgCredentials(c echo.Context) error {
	p := principal(c)
	list, err := s.deps.OrgCreds.List(c.Request().Context(), p, p.Slug)
	if err != nil {
		return err
	}
	out := make([]orgCredentialView, len(list))
	for i, r := range list {
		out[i] = orgCredentialView{ID: r.ID, Type: r.Type, Subject: r.SubjectDID, Toewijzingnummer: r.Toewijzingnummer,
			Revoked: r.RevokedAt != nil, RevokeReason: r.RevokeReason}
		if r.ValidUntil != nil {
			v := r.ValidUntil.Format("2006-01-02T15:04:05Z")
			out[i].ValidUntil = &v
		}
	}
	return c.JSON(http.StatusOK, map[string]any{"credentials": out})
}

func (s *Server) revokeOrgCredential(c echo.Context) error {
	var req statusChangeRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	p := principal(c)
	if err := s.deps.OrgCreds.Revoke(c.Request().Context(), p, p.Slug, c.Param("id"), req.Reason); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// orgWallet lists the credentials in the API key's organisation wallet.
func (s *Server) orgWallet(c echo.Context) error {
	p := principal(c)
	list, err := s.deps.OrgCreds.Wallet(c.Request().Context(), p, p.Slug)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"credentials": list})
}

// bitstringStatus serves an organisation's Bitstring Status List credential (W3C Bitstring
// Status List 1.0 §2.2) as a JWT.
func (s *Server) bitstringStatus(c echo.Context) error {
	jwt, err := s.deps.OrgCreds.StatusList(c.Request().Context(), c.Param("slug"), c.Param("list"))
	if errors.Is(err, orgcred.ErrNotFound) {
		return echo.NewHTTPError(http.StatusNotFound)
	}
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "max-age=60")
	return c.Blob(http.StatusOK, "application/vc+jwt", []byte(jwt))
}
