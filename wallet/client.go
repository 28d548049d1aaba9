package wallet

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/issuer/oid4vci"
)

// Client talks OpenID4VCI to credential issuers.
type Client struct {
	HTTP     *http.Client
	Resolver did.Resolver // resolves issuer DIDs to check signatures
	Now      func() time.Time
	// MaxBody caps every response read (default 1 MiB).
	MaxBody int64
	// RequireHTTPS refuses every request to a URL that is not https (offer, metadata, token,
	// nonce and credential endpoints); InsecureLocalhost then still allows http on localhost
	// and loopback, for pilots and tests. A server that redeems offers anyone may send sets it.
	RequireHTTPS      bool
	InsecureLocalhost bool
}

func (c *Client) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *Client) httpClient() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return &http.Client{Timeout: 15 * time.Second}
}

// ProtocolError is an error response from the issuer ({error, error_description}).
type ProtocolError struct {
	Status      int
	Code        string `json:"error"`
	Description string `json:"error_description"`
	DPoPNonce   string
}

func (e *ProtocolError) Error() string {
	return fmt.Sprintf("issuer answered %d %s: %s", e.Status, e.Code, e.Description)
}

// do sends a request and decodes a JSON answer into out (nil: ignore the body).
func (c *Client) do(req *http.Request, out any) (*http.Response, error) {
	if c.RequireHTTPS {
		if err := checkHTTPS(req.URL.String(), c.InsecureLocalhost); err != nil {
			return nil, err
		}
	}
	res, err := c.httpClient().Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	limit := c.MaxBody
	if limit <= 0 {
		limit = 1 << 20
	}
	body, err := io.ReadAll(io.LimitReader(res.Body, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("%s %s: response larger than %d bytes", req.Method, req.URL, limit)
	}
	if res.StatusCode >= 300 {
		pe := &ProtocolError{Status: res.StatusCode, DPoPNonce: res.Header.Get("DPoP-Nonce")}
		_ = json.Unmarshal(body, pe)
		if pe.Code == "" {
			pe.Code = http.StatusText(res.StatusCode)
		}
		return res, pe
	}
	if out != nil && len(body) > 0 {
		if err := json.Unmarshal(body, out); err != nil {
			return res, fmt.Errorf("%s %s: %w", req.Method, req.URL, err)
		}
	}
	return res, nil
}

func (c *Client) getJSON(ctx context.Context, u string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	_, err = c.do(req, out)
	return err
}

// ResolveOffer turns what a QR code or link holds into a credential offer: an
// openid-credential-offer:// link with credential_offer (by value) or credential_offer_uri
// (by reference, OpenID4VCI 1.0 §4.1.3), an https URL of the offer, or the offer JSON itself.
func (c *Client) ResolveOffer(ctx context.Context, s string) (oid4vci.CredentialOffer, error) {
	var offer oid4vci.CredentialOffer
	s = strings.TrimSpace(s)
	switch {
	case strings.HasPrefix(s, "{"):
		return offer, decodeOffer([]byte(s), &offer)
	case strings.HasPrefix(s, "http://"), strings.HasPrefix(s, "https://"):
		return offer, c.getJSON(ctx, s, &offer)
	}
	u, err := url.Parse(s)
	if err != nil || u.RawQuery == "" {
		return offer, errors.New("not a credential offer link")
	}
	q := u.Query()
	switch {
	case q.Get("credential_offer") != "" && q.Get("credential_offer_uri") != "":
		return offer, errors.New("offer link has both credential_offer and credential_offer_uri")
	case q.Get("credential_offer") != "":
		return offer, decodeOffer([]byte(q.Get("credential_offer")), &offer)
	case q.Get("credential_offer_uri") != "":
		if err := c.getJSON(ctx, q.Get("credential_offer_uri"), &offer); err != nil {
			return offer, err
		}
		return offer, checkOffer(offer)
	}
	return offer, errors.New("offer link has neither credential_offer nor credential_offer_uri")
}

func decodeOffer(b []byte, into *oid4vci.CredentialOffer) error {
	if err := json.Unmarshal(b, into); err != nil {
		return fmt.Errorf("credential offer: %w", err)
	}
	return checkOffer(*into)
}

func checkOffer(o oid4vci.CredentialOffer) error {
	if o.CredentialIssuer == "" || len(o.CredentialConfigurationIDs) == 0 {
		return errors.New("credential offer lacks credential_issuer or credential_configuration_ids")
	}
	return nil
}

// wellKnown inserts a well-known path between host and path (OpenID4VCI 1.0 §12.2.2,
// RFC 8414 §3.1).
func wellKnown(identifier, suffix string) (string, error) {
	u, err := url.Parse(identifier)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("identifier %q is not a URL", identifier)
	}
	u.Path = suffix + strings.TrimSuffix(u.Path, "/")
	return u.String(), nil
}

// Metadata fetches the issuer and authorization server metadata and checks that they name
// the issuer they were fetched for.
func (c *Client) Metadata(ctx context.Context, issuer string) (oid4vci.IssuerMetadata, oid4vci.AuthorizationServerMetadata, error) {
	var md oid4vci.IssuerMetadata
	var as oid4vci.AuthorizationServerMetadata
	u, err := wellKnown(issuer, oid4vci.WellKnownIssuer)
	if err != nil {
		return md, as, err
	}
	if err := c.getJSON(ctx, u, &md); err != nil {
		return md, as, fmt.Errorf("issuer metadata: %w", err)
	}
	// §12.2.4: credential_issuer MUST be identical to the identifier used to fetch it.
	if md.CredentialIssuer != issuer {
		return md, as, fmt.Errorf("issuer metadata names %q, not %q", md.CredentialIssuer, issuer)
	}
	asID := issuer
	if len(md.AuthorizationServers) > 0 {
		asID = md.AuthorizationServers[0]
	}
	if u, err = wellKnown(asID, oid4vci.WellKnownAS); err != nil {
		return md, as, err
	}
	if err := c.getJSON(ctx, u, &as); err != nil {
		return md, as, fmt.Errorf("authorization server metadata: %w", err)
	}
	// RFC 8414 §3.3: the issuer value MUST be identical to the issuer identifier used.
	if as.Issuer != asID {
		return md, as, fmt.Errorf("authorization server metadata names %q, not %q", as.Issuer, asID)
	}
	return md, as, nil
}

func jsonBody(v any) (io.Reader, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return bytes.NewReader(b), nil
}
