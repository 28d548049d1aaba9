package api

import (
	"bytes"
	"embed"
	"encoding/base64"
	"encoding/json"
	"html/template"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/skip2/go-qrcode"

	"github.com/sociaaldomein/bewijs/issuer"
	"github.com/sociaaldomein/bewijs/issuer/oid4vci"
)

//go:embed templates/*.html
var templateFiles embed.FS

var pages = template.Must(template.ParseFS(templateFiles, "templates/*.html"))

type offerPage struct {
	Issuer       string
	Count        int
	QR           string
	Link         template.URL
	TxCode       bool
	TxCodeLength int
}

// offerPage shows the offer as a QR code (cross-device) and an openid-credential-offer://
// link (same device). The QR holds the offer by reference, never the code itself.
func (s *Server) offerPage(c echo.Context) error {
	slug, id := c.Param("slug"), c.Param("id")
	body, err := s.deps.Issuer.CredentialOffer(c.Request().Context(), slug, id)
	if err != nil {
		return err
	}
	var offer oid4vci.CredentialOffer
	if err := json.Unmarshal(body, &offer); err != nil {
		return err
	}
	link := issuer.OfferLink(s.offerURI(slug, id))
	png, err := qrcode.Encode(link, qrcode.Medium, 512)
	if err != nil {
		return err
	}
	t, err := s.deps.Tenants.Lookup(c.Request().Context(), slug)
	if err != nil {
		return err
	}
	page := offerPage{Issuer: t.Name, Count: len(offer.CredentialConfigurationIDs), QR: base64.StdEncoding.EncodeToString(png),
		Link: template.URL(link)}
	if g := offer.Grants; g != nil && g.PreAuthorizedCode != nil && g.PreAuthorizedCode.TxCode != nil {
		page.TxCode, page.TxCodeLength = true, g.PreAuthorizedCode.TxCode.Length
	}
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, "offer.html", page); err != nil {
		return err
	}
	noStore(c)
	return c.HTMLBlob(http.StatusOK, buf.Bytes())
}

// offerQR is the QR code alone, as PNG.
func (s *Server) offerQR(c echo.Context) error {
	slug, id := c.Param("slug"), c.Param("id")
	if _, err := s.deps.Issuer.CredentialOffer(c.Request().Context(), slug, id); err != nil {
		return err
	}
	png, err := qrcode.Encode(issuer.OfferLink(s.offerURI(slug, id)), qrcode.Medium, 512)
	if err != nil {
		return err
	}
	noStore(c)
	return c.Blob(http.StatusOK, "image/png", png)
}

func (s *Server) offerURI(slug, id string) string { return s.deps.Issuer.OfferURI(slug, id) }
