package api

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

type healthResponse struct {
	Status string            `json:"status"`
	Checks map[string]string `json:"checks,omitempty"`
}

// healthz says the process is alive; it checks nothing else.
func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, healthResponse{Status: "ok"})
}

// readyz says whether the server can take traffic: the database answers and its schema is
// current. A replica started before its migrations ran reports 503.
func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 3*time.Second)
	defer cancel()
	checks := map[string]string{"database": "ok", "migrations": "ok"}
	status := http.StatusOK
	if err := s.deps.Health.Ping(ctx); err != nil {
		checks["database"], status = "unreachable", http.StatusServiceUnavailable
	} else if current, err := s.deps.Health.Current(ctx); err != nil || !current {
		checks["migrations"], status = "pending", http.StatusServiceUnavailable
	}
	body := healthResponse{Status: "ok", Checks: checks}
	if status != http.StatusOK {
		body.Status = "unavailable"
	}
	return c.JSON(status, body)
}

// didDocument serves an organisation's did:web DID document.
func (s *Server) didDocument(c echo.Context) error {
	doc, err := s.deps.Tenants.DIDDocument(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "public, max-age=300")
	c.Response().Header().Set(echo.HeaderContentType, "application/did+json")
	c.Response().WriteHeader(http.StatusOK)
	return jsonEncode(c.Response(), doc)
}
