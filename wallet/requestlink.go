package wallet

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/sociaaldomein/bewijs/internal/jose"
	"github.com/sociaaldomein/bewijs/verifier/oid4vp"
)

// requestLink is what an OpenID4VP link (QR code, deep link) carries: the client_id and the
// Request Object, by reference (request_uri) or by value (request).
type requestLink struct {
	ClientID   string // "" for a bare request_uri: it then comes from the Request Object
	RequestURI string
	Method     string // get or post
	Request    string // the Request Object by value
}

// parseRequestLink reads an openid4vp:// (or haip://, https://…?) link with client_id and
// request_uri [and request_uri_method] or request, or a bare https URL of a Request Object.
func parseRequestLink(link string) (requestLink, error) {
	link = strings.TrimSpace(link)
	u, err := url.Parse(link)
	if err != nil || u.Scheme == "" {
		return requestLink{}, refuse(ReasonMalformed, "not an OpenID4VP link")
	}
	q := u.Query()
	l := requestLink{ClientID: q.Get("client_id"), RequestURI: q.Get("request_uri"),
		Method: q.Get("request_uri_method"), Request: q.Get("request")}
	bare := (u.Scheme == "https" || u.Scheme == "http") && l.ClientID == "" && l.RequestURI == "" && l.Request == ""
	if bare {
		return requestLink{RequestURI: link, Method: oid4vp.RequestURIMethodGet}, nil
	}
	switch {
	case l.RequestURI == "" && l.Request == "":
		// Every Client Identifier Prefix this wallet supports needs a signed Request Object.
		return requestLink{}, refuse(ReasonUnsupported, "the link has no request_uri or request: unsigned requests are not accepted")
	case l.RequestURI != "" && l.Request != "":
		// RFC 9101 §5: "request and request_uri parameters MUST NOT be included in the same request".
		return requestLink{}, refuse(ReasonMalformed, "the link has both request and request_uri")
	case l.ClientID == "":
		// RFC 9101 §5: the client_id parameter is REQUIRED next to request or request_uri.
		return requestLink{}, refuse(ReasonMalformed, "the link has no client_id")
	}
	// §8.5 invalid_request_uri_method: "neither get nor post (case-sensitive)".
	switch l.Method {
	case "":
		l.Method = oid4vp.RequestURIMethodGet
	case oid4vp.RequestURIMethodGet, oid4vp.RequestURIMethodPost:
	default:
		return requestLink{}, refuse(ReasonMalformed, "request_uri_method must be get or post")
	}
	return l, nil
}

// walletMetadata is what this wallet tells a verifier with request_uri_method=post (§5.10,
// §10.1): SD-JWT VC with ES256 key binding, the prefixes it can authenticate, encrypted
// responses with ECDH-ES and A128GCM/A256GCM.
func walletMetadata() oid4vp.WalletMetadata {
	algs := []string{"ES256", "ES384", "EdDSA"}
	return oid4vp.WalletMetadata{
		VPFormatsSupported: map[string]oid4vp.VPFormat{
			oid4vp.FormatSDJWTVC: {SDJWTAlgValues: algs, KBJWTAlgValues: []string{"ES256"}},
		},
		ClientIDPrefixesSupported: []string{
			oid4vp.PrefixDecentralizedIdentifier, oid4vp.PrefixX509SANDNS, oid4vp.PrefixX509Hash,
		},
		AuthorizationEncryptionAlgValuesSupported: []string{jose.AlgECDHES},
		AuthorizationEncryptionEncValuesSupported: []string{jose.EncA128GCM, jose.EncA256GCM},
		RequestObjectSigningAlgValuesSupported:    algs,
		ResponseTypesSupported:                    []string{oid4vp.ResponseTypeVPToken},
		ResponseModesSupported:                    []string{oid4vp.ResponseModeDirectPost, oid4vp.ResponseModeDirectPostJWT},
	}
}

// fetchRequestObject gets the Request Object at the request_uri: GET (RFC 9101 §5.2), or POST
// with wallet_metadata and a fresh wallet_nonce (§5.10). It returns the JWS and the nonce
// sent ("" for GET).
func (c *Client) fetchRequestObject(ctx context.Context, l requestLink) (jws, walletNonce string, err error) {
	var req *http.Request
	if l.Method == oid4vp.RequestURIMethodPost {
		walletNonce = rand.Text()
		md, err := json.Marshal(walletMetadata())
		if err != nil {
			return "", "", err
		}
		form := url.Values{oid4vp.ParamWalletMetadata: {string(md)}, oid4vp.ParamWalletNonce: {walletNonce}}
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, l.RequestURI, strings.NewReader(form.Encode()))
		if err != nil {
			return "", "", refuse(ReasonMalformed, "request_uri: %v", err)
		}
		// §5.10: "the content type application/x-www-form-urlencoded and the Accept header
		// set to application/oauth-authz-req+jwt".
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else if req, err = http.NewRequestWithContext(ctx, http.MethodGet, l.RequestURI, nil); err != nil {
		return "", "", refuse(ReasonMalformed, "request_uri: %v", err)
	}
	req.Header.Set("Accept", oid4vp.RequestObjectMIME)
	// §5.10.2: "If the Verifier responds with any HTTP error response, the Wallet MUST
	// terminate the process."
	body, res, err := c.sendToVerifier(req, maxRequestObjectBytes)
	if err != nil {
		return "", "", err
	}
	if err := checkRequestObjectType(res.Header.Get("Content-Type"), l.Method); err != nil {
		return "", "", err
	}
	return strings.TrimSpace(string(body)), walletNonce, nil
}

// checkRequestObjectType: §5.10.1 "The Request URI response MUST be an HTTP response with the
// content type application/oauth-authz-req+jwt". For GET, which RFC 9101 governs, the older
// application/jwt is accepted too.
func checkRequestObjectType(contentType, method string) error {
	mt, _, _ := mime.ParseMediaType(contentType)
	if mt == oid4vp.RequestObjectMIME || (method == oid4vp.RequestURIMethodGet && mt == "application/jwt") {
		return nil
	}
	return refuse(ReasonType, "request_uri answered with content type %q, want %s", contentType, oid4vp.RequestObjectMIME)
}
