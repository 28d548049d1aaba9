package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sociaaldomein/bewijs/internal/tenant"
)

// tenantRequest is the body of POST /api/v1/tenants.
type tenantRequest struct {
	Slug         string `json:"slug"`
	Name         string `json:"name"`
	Kind         string `json:"kind"`
	Gemeentecode string `json:"gemeentecode"`
	AGB          string `json:"agb"`
	KvK          string `json:"kvk"`
	OIN          string `json:"oin"`
}

func (r tenantRequest) toNew() tenant.NewTenant {
	return tenant.NewTenant{Slug: r.Slug, Name: r.Name, Kind: tenant.Kind(r.Kind),
		Ids: tenant.Identifiers{Gemeentecode: r.Gemeentecode, AGB: r.AGB, KvK: r.KvK, OIN: r.OIN}}
}

type tenantList struct {
	Tenants []tenant.View `json:"tenants"`
}

type keyList struct {
	Keys []tenant.KeyInfo `json:"keys"`
}

type apiKeyRequest struct {
	RevokeOthers bool `json:"revoke_others"`
}

type apiKeyResponse struct {
	APIKey string `json:"api_key"`
}

func (s *Server) listTenants(c echo.Context) error {
	list, err := s.deps.Tenants.List(c.Request().Context(), principal(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, tenantList{Tenants: list})
}

func (s *Server) createTenant(c echo.Context) error {
	if err := requireOperator(c); err != nil {
		return err
	}
	var req tenantRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	created, err := s.deps.Tenants.Create(c.Request().Context(), principal(c), req.toNew())
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, s.cfg.PublicURL.String()+"/api/v1/tenants/"+created.Slug)
	return c.JSON(http.StatusCreated, created)
}

func (s *Server) getTenant(c echo.Context) error {
	v, err := s.deps.Tenants.Get(c.Request().Context(), principal(c), c.Param("slug"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

func (s *Server) listKeys(c echo.Context) error {
	list, err := s.deps.Tenants.Keys(c.Request().Context(), principal(c), c.Param("slug"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, keyList{Keys: list})
}

func (s *Server) rotateKey(c echo.Context) error {
	k, err := s.deps.Tenants.RotateKey(c.Request().Context(), principal(c), c.Param("slug"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, k)
}

func (s *Server) removeKey(c echo.Context) error {
	if err := s.deps.Tenants.RemoveKey(c.Request().Context(), principal(c), c.Param("slug"), c.Param("kid")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) createAPIKey(c echo.Context) error {
	var req apiKeyRequest
	if err := decodeJSONOptional(c, &req); err != nil {
		return err
	}
	key, err := s.deps.Tenants.NewAPIKey(c.Request().Context(), principal(c), c.Param("slug"), req.RevokeOthers)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, apiKeyResponse{APIKey: key})
}
