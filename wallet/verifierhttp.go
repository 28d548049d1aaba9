package wallet

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// Body limits for the answers of a verifier.
const (
	maxRequestObjectBytes = 256 << 10 // a Request Object (JWS) from the Request URI
	maxResponseURIBytes   = 64 << 10  // the JSON answer of the Response URI
)

// verifierHTTP is the HTTP client for the Request URI and the Response URI: it never follows
// redirects. §14.8: "If the Wallet receives an HTTP redirect in response to one of these
// requests, it SHOULD NOT follow the redirect and SHOULD treat the response as an error."
func (c *Client) verifierHTTP() *http.Client {
	hc := *c.httpClient()
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &hc
}

// sendToVerifier sends req without following redirects and returns the body (at most limit
// bytes) of a 2xx answer. Any other answer becomes a *VerifierError.
func (c *Client) sendToVerifier(req *http.Request, limit int64) ([]byte, *http.Response, error) {
	res, err := c.verifierHTTP().Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, limit+1))
	if err != nil {
		return nil, res, err
	}
	if int64(len(body)) > limit {
		return nil, res, fmt.Errorf("%s %s: answer larger than %d bytes", req.Method, req.URL.Redacted(), limit)
	}
	if res.StatusCode < 200 || res.StatusCode > 299 {
		ve := &VerifierError{Status: res.StatusCode}
		_ = json.Unmarshal(body, ve)
		if ve.Code == "" {
			ve.Code = http.StatusText(res.StatusCode)
		}
		return nil, res, ve
	}
	return body, res, nil
}
