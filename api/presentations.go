package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sociaaldomein/bewijs/verifier"
)

// createPresentationRequest starts an OpenID4VP request for the API key's organisation: a
// named query from the requests policy or an explicit DCQL query, for a purpose.
func (s *Server) createPresentationRequest(c echo.Context) error {
	p := principal(c)
	if p.Slug == "" {
		return problem(http.StatusForbidden, "forbidden", "Forbidden", "use the API key of the organisation that verifies")
	}
	var in verifier.NewRequest
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	created, err := s.deps.Verifier.CreateRequest(c.Request().Context(), p, p.Slug, in)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, s.cfg.PublicURL.String()+"/api/v1/presentation-requests/"+created.ID)
	return c.JSON(http.StatusCreated, created)
}

func (s *Server) getPresentationRequest(c echo.Context) error {
	p := principal(c)
	v, err := s.deps.Verifier.Show(c.Request().Context(), p, p.Slug, c.Param("id"))
	if err != nil {
		return err
	}
	noStore(c)
	return c.JSON(http.StatusOK, v)
}

// presentationEvents streams the request as Server-Sent Events: one "state" event per change,
// ending when the request is verified, rejected or expired.
func (s *Server) presentationEvents(c echo.Context) error {
	p := principal(c)
	ctx := c.Request().Context()
	show := func(ctx2 context.Context) (verifier.View, error) {
		return s.deps.Verifier.Show(ctx2, p, p.Slug, c.Param("id"))
	}
	if _, err := show(ctx); err != nil {
		return err
	}
	return s.streamView(c, c.Param("id"), show)
}

// verifierSettings is the body of PUT /tenants/{slug}/verifier-settings.
type verifierSettings struct {
	// EvidenceRetentionDays: how long the raw presentation of a verified result is kept; 0: not kept.
	EvidenceRetentionDays int `json:"evidence_retention_days"`
}

func (s *Server) getVerifierSettings(c echo.Context) error {
	set, err := s.deps.Verifier.Settings(c.Request().Context(), principal(c), c.Param("slug"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, verifierSettings{EvidenceRetentionDays: int(set.EvidenceRetention / (24 * time.Hour))})
}

func (s *Server) putVerifierSettings(c echo.Context) error {
	var in verifierSettings
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	set := verifier.Settings{EvidenceRetention: time.Duration(in.EvidenceRetentionDays) * 24 * time.Hour}
	if err := s.deps.Verifier.SaveSettings(c.Request().Context(), principal(c), c.Param("slug"), set); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, in)
}

// streamView writes Server-Sent Events (HTML Living Standard §9.2) until the request is final.
func (s *Server) streamView(c echo.Context, id string, show func(context.Context) (verifier.View, error)) error {
	w := c.Response()
	// The stream outlives the server's write timeout; the request context still ends it.
	_ = http.NewResponseController(w.Writer).SetWriteDeadline(time.Time{})
	w.Header().Set(echo.HeaderContentType, "text/event-stream")
	w.Header().Set(echo.HeaderCacheControl, "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	return s.deps.Verifier.Watch(c.Request().Context(), id, show, func(v verifier.View) error {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintf(w, "event: state\ndata: %s\n\n", b); err != nil {
			return err
		}
		w.Flush()
		return nil
	})
}
