package wallet

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// PIDLogin is the Login step of login by disclosure (AuthorizeOptions.Login): the issuer's
// authorization step asks the wallet for its PID over OpenID4VP; the wallet presents it
// (consent decides, as for any presentation) and follows the issuer back to the redirect with
// the authorization code.
func (w *Wallet) PIDLogin(opts PresentOptions, consent func(Request, Plan) bool) func(context.Context, string) (string, error) {
	return func(ctx context.Context, authorizeURL string) (string, error) {
		u, err := url.Parse(authorizeURL)
		if err != nil {
			return "", err
		}
		u.Path += "/pid"
		link, err := w.Client.redirectOf(ctx, u.String())
		if err != nil {
			return "", fmt.Errorf("PID login: %w", err)
		}
		res, err := w.Present(ctx, link, opts, consent)
		if err != nil {
			return "", fmt.Errorf("PID login: presenting the PID: %w", err)
		}
		if res.RedirectURI == "" {
			return "", errors.New("PID login: the issuer gave no way back after the presentation")
		}
		back, err := w.Client.redirectOf(ctx, res.RedirectURI)
		if err != nil {
			return "", fmt.Errorf("PID login: %w", err)
		}
		return back, nil
	}
}

// redirectOf GETs target and returns where it redirects to, without following it.
func (c *Client) redirectOf(ctx context.Context, target string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return "", err
	}
	noRedirect := *c.httpClient()
	noRedirect.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err := noRedirect.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 1<<20))
	if res.StatusCode != http.StatusFound && res.StatusCode != http.StatusSeeOther {
		return "", fmt.Errorf("%s answered HTTP %d instead of a redirect", target, res.StatusCode)
	}
	loc := res.Header.Get("Location")
	if loc == "" {
		return "", fmt.Errorf("%s redirected nowhere", target)
	}
	return loc, nil
}
