package api

import (
	"bytes"
	"context"
	"encoding/base64"
	"html/template"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/skip2/go-qrcode"

	"github.com/sociaaldomein/bewijs/verifier"
)

type verifyPage struct {
	Verifier string
	Purpose  string
	QR       string
	Link     template.URL
	Events   string
	View     verifier.View
	// SameDevice: the wallet's browser came back with a response_code; show only the result.
	SameDevice bool
}

// verifyPageHandler shows a presentation request to the aanbieder's desk: the QR code
// (cross-device), the same-device link, and the result live. It opens with the page token of
// verify_page_url, or with the response_code the wallet's redirect carries (§8.2).
func (s *Server) verifyPageHandler(c echo.Context) error {
	ctx := c.Request().Context()
	slug, id := c.Param("slug"), c.Param("id")
	v, sameDevice, err := s.pageView(ctx, c, slug, id)
	if err != nil {
		return err
	}
	t, err := s.deps.Tenants.Lookup(ctx, slug)
	if err != nil {
		return err
	}
	page := verifyPage{Verifier: t.Name, Purpose: v.Purpose, View: v, SameDevice: sameDevice}
	if !sameDevice {
		png, err := qrcode.Encode(v.AuthorizationRequest, qrcode.Medium, 512)
		if err != nil {
			return err
		}
		page.QR, page.Link = base64.StdEncoding.EncodeToString(png), template.URL(v.AuthorizationRequest)
		page.Events = c.Request().URL.Path + "/events?t=" + c.QueryParam("t")
	}
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, "verify.html", page); err != nil {
		return err
	}
	noStore(c)
	return c.HTMLBlob(http.StatusOK, buf.Bytes())
}

func (s *Server) pageView(ctx context.Context, c echo.Context, slug, id string) (verifier.View, bool, error) {
	if code := c.QueryParam("response_code"); code != "" {
		v, err := s.deps.Verifier.ShowByResponseCode(ctx, slug, id, code)
		return v, true, err
	}
	if !s.deps.Verifier.CheckPageToken(id, c.QueryParam("t")) {
		return verifier.View{}, false, verifier.ErrNotFound
	}
	v, err := s.deps.Verifier.ShowForPage(ctx, slug, id)
	return v, false, err
}

// verifyQR is the request's QR code alone, as PNG.
func (s *Server) verifyQR(c echo.Context) error {
	v, sameDevice, err := s.pageView(c.Request().Context(), c, c.Param("slug"), c.Param("id"))
	if err != nil || sameDevice {
		return echo.NewHTTPError(http.StatusNotFound)
	}
	png, err := qrcode.Encode(v.AuthorizationRequest, qrcode.Medium, 512)
	if err != nil {
		return err
	}
	noStore(c)
	return c.Blob(http.StatusOK, "image/png", png)
}

// verifyEvents streams the page's request as Server-Sent Events.
func (s *Server) verifyEvents(c echo.Context) error {
	slug, id := c.Param("slug"), c.Param("id")
	if !s.deps.Verifier.CheckPageToken(id, c.QueryParam("t")) {
		return verifier.ErrNotFound
	}
	show := func(ctx context.Context) (verifier.View, error) { return s.deps.Verifier.ShowForPage(ctx, slug, id) }
	if _, err := show(c.Request().Context()); err != nil {
		return err
	}
	return s.streamView(c, id, show)
}
