package api_test

import (
	"encoding/base64"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
)

var (
	qrImgSrc     = regexp.MustCompile(`<img[^>]*\ssrc="data:image/png;base64,([^"]+)"`)
	sameDeviceTo = regexp.MustCompile(`<a[^>]*\shref="(openid-credential-offer://[^"]*)"`)
)

// decodeQR reads the QR code in a PNG with the npm peers pngjs and jsQR.
func decodeQR(t *testing.T, png []byte) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "qr.png")
	if err := os.WriteFile(file, png, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := runNPMPeer(t, "qr-decode.mjs", nil, file)
	if err != nil {
		t.Fatalf("the QR code does not scan: %v", err)
	}
	var got struct{ Text string }
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("qr-decode output %s: %v", out, err)
	}
	return got.Text
}

// pageQR extracts the PNG of the data: URL in the offer page's <img>. A browser
// percent-decodes a data: URL before base64-decoding it (WHATWG Fetch, data: URL processor).
func pageQR(t *testing.T, page string) []byte {
	t.Helper()
	m := qrImgSrc.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no <img src=\"data:image/png;base64,...\"> on the offer page:\n%s", page)
	}
	b64, err := url.PathUnescape(html.UnescapeString(m[1]))
	if err != nil {
		t.Fatal(err)
	}
	png, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatalf("the QR data: URL is not base64: %v", err)
	}
	return png
}

// get fetches an absolute URL the server handed out (offer_page_url, qr_png_url).
func (s *testServer) getAbsolute(t *testing.T, absolute string) response {
	t.Helper()
	if !strings.HasPrefix(absolute, s.URL+"/") {
		t.Fatalf("%s is not a URL of the server at %s", absolute, s.URL)
	}
	return s.do(t, http.MethodGet, strings.TrimPrefix(absolute, s.URL), "", "", nil)
}

// Acceptance: the offer page renders a scannable QR code; decoded back with an independent
// decoder (jsQR) it is the same-device link, the offer by reference (OpenID4VCI 1.0 §4.1.3).
func TestOfferPageQRDecodes(t *testing.T) {
	requireNPMPeers(t, "jsqr", "pngjs")
	for _, e := range migrationstest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			s, key := issuanceServer(t, e)
			c := s.createBeschikking(t, key, "01-wmo-hbh-minuten-per-week.json", "?tx_code=true")
			want := "openid-credential-offer://?credential_offer_uri=" + url.QueryEscape(c.CredentialOfferURI)
			if c.OfferLink != want {
				t.Fatalf("offer_link = %s, want %s", c.OfferLink, want)
			}

			page := s.getAbsolute(t, c.OfferPageURL)
			if page.Status != http.StatusOK || !strings.HasPrefix(page.Header.Get("Content-Type"), "text/html") {
				t.Fatalf("offer page: %d %s", page.Status, page.Header.Get("Content-Type"))
			}
			assertSameDeviceLink(t, string(page.Body), c.OfferLink)
			if strings.Contains(string(page.Body), c.TxCode) {
				t.Fatal("the offer page shows the tx_code; it must reach the citizen another way")
			}
			if got := decodeQR(t, pageQR(t, string(page.Body))); got != c.OfferLink {
				t.Fatalf("page QR decodes to %q, want %q", got, c.OfferLink)
			}

			png := s.getAbsolute(t, c.QRPNGURL)
			if png.Status != http.StatusOK || png.Header.Get("Content-Type") != "image/png" {
				t.Fatalf("qr.png: %d %s", png.Status, png.Header.Get("Content-Type"))
			}
			if got := decodeQR(t, png.Body); got != c.OfferLink {
				t.Fatalf("qr.png decodes to %q, want %q", got, c.OfferLink)
			}

			res := s.postJSON(t, "/api/v1/beschikkingen/"+c.ID+"/revoke", key, map[string]string{"reason": "ten onrechte toegekend"})
			if res.Status != http.StatusOK {
				t.Fatalf("revoke: %d %s", res.Status, res.Body)
			}
			for name, u := range map[string]string{"offer page": c.OfferPageURL, "qr.png": c.QRPNGURL, "credential offer": c.CredentialOfferURI} {
				if r := s.getAbsolute(t, u); r.Status != http.StatusNotFound {
					t.Errorf("%s after revocation: %d %s, want 404", name, r.Status, r.Body)
				}
			}
		})
	}
}

// assertSameDeviceLink checks the page links to the offer for a wallet on the same device,
// and that the link's credential_offer_uri is the offer by reference.
func assertSameDeviceLink(t *testing.T, page, offerLink string) {
	t.Helper()
	m := sameDeviceTo.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no <a href=\"openid-credential-offer://...\"> on the offer page:\n%s", page)
	}
	if got := html.UnescapeString(m[1]); got != offerLink {
		t.Fatalf("same-device link = %q, want %q", got, offerLink)
	}
}
