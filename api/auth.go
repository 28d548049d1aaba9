package api

import (
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/sociaaldomein/bewijs/internal/tenant"
)

const principalKey = "bewijs.principal"

// requireAPIKey authenticates "Authorization: Bearer <api key>" and stores the principal.
func (s *Server) requireAPIKey(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		scheme, key, ok := strings.Cut(c.Request().Header.Get(echo.HeaderAuthorization), " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || key == "" {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="bewijs"`)
			return tenant.ErrUnauthorized
		}
		p, err := s.deps.Tenants.Authenticate(c.Request().Context(), strings.TrimSpace(key))
		if err != nil {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="bewijs", error="invalid_token"`)
			return err
		}
		c.Set(principalKey, p)
		return next(c)
	}
}

func principal(c echo.Context) tenant.Principal {
	p, _ := c.Get(principalKey).(tenant.Principal)
	return p
}

// requireOperator refuses organisation keys.
func requireOperator(c echo.Context) error {
	if !principal(c).Operator {
		return tenant.ErrForbidden
	}
	return nil
}
