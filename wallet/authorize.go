package wallet

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/sociaaldomein/bewijs/internal/pkce"
	"github.com/sociaaldomein/bewijs/issuer/oid4vci"
)

// AuthorizeOptions are the choices for a wallet-initiated issuance with the authorization
// code flow (OpenID4VCI 1.0 §5): PAR, PKCE (S256) and, unless NoDPoP, a DPoP-bound code.
type AuthorizeOptions struct {
	ClientID        string // default "bewijs-wallet"
	RedirectURI     string // default "bewijs-wallet://callback"
	ConfigurationID string // the credential configuration to ask for
	// Login is the browser step: it gets the authorization URL and returns the URL the
	// authorization server redirected to (with code, state and iss).
	Login  func(ctx context.Context, authorizeURL string) (string, error)
	NoDPoP bool
	Batch  int
}

// ReceiveWithAuthorization runs the authorization code flow against a credential issuer and
// returns the verified credentials with their holder keys.
func (c *Client) ReceiveWithAuthorization(ctx context.Context, issuer string, opts AuthorizeOptions) ([]Credential, []Key, error) {
	if opts.ClientID == "" {
		opts.ClientID = "bewijs-wallet"
	}
	if opts.RedirectURI == "" {
		opts.RedirectURI = "bewijs-wallet://callback"
	}
	if opts.Login == nil || opts.ConfigurationID == "" {
		return nil, nil, errors.New("a login step and a credential configuration are required")
	}
	s := &session{c: c, issuer: issuer}
	var err error
	if s.md, s.as, err = c.Metadata(ctx, issuer); err != nil {
		return nil, nil, err
	}
	if s.as.PushedAuthorizationRequestEndpoint == "" || s.as.AuthorizationEndpoint == "" {
		return nil, nil, errors.New("the issuer offers no authorization code flow with PAR")
	}
	if !opts.NoDPoP && len(s.as.DPoPSigningAlgValuesSupported) > 0 {
		if s.dpopKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
			return nil, nil, err
		}
	}
	verifier, err := pkce.NewVerifier()
	if err != nil {
		return nil, nil, err
	}
	state, err := pkce.NewVerifier() // any unguessable value
	if err != nil {
		return nil, nil, err
	}
	requestURI, err := s.push(ctx, opts, pkce.Challenge(verifier), state)
	if err != nil {
		return nil, nil, err
	}
	authURL := s.as.AuthorizationEndpoint + "?" + url.Values{"client_id": {opts.ClientID}, "request_uri": {requestURI}}.Encode()
	redirected, err := opts.Login(ctx, authURL)
	if err != nil {
		return nil, nil, err
	}
	code, err := s.codeFrom(redirected, opts.RedirectURI, state)
	if err != nil {
		return nil, nil, err
	}
	form := url.Values{"grant_type": {oid4vci.GrantAuthorizationCode}, "code": {code}, "code_verifier": {verifier},
		"redirect_uri": {opts.RedirectURI}, "client_id": {opts.ClientID}}
	if err := s.tokenRequest(ctx, form); err != nil {
		return nil, nil, err
	}
	offer := oid4vci.CredentialOffer{CredentialIssuer: issuer, CredentialConfigurationIDs: []string{opts.ConfigurationID}}
	return s.fetchAll(ctx, offer, max(opts.Batch, 1))
}

// push sends the pushed authorization request (RFC 9126 §2.1) and returns its request_uri.
func (s *session) push(ctx context.Context, opts AuthorizeOptions, challenge, state string) (string, error) {
	form := url.Values{"response_type": {"code"}, "client_id": {opts.ClientID}, "redirect_uri": {opts.RedirectURI},
		"code_challenge": {challenge}, "code_challenge_method": {pkce.MethodS256}, "state": {state}, "scope": {opts.ConfigurationID}}
	var res struct {
		RequestURI string `json:"request_uri"`
	}
	send := func() error {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.as.PushedAuthorizationRequestEndpoint, strings.NewReader(form.Encode()))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if err := s.signDPoP(req, ""); err != nil {
			return err
		}
		_, err = s.c.do(req, &res)
		return err
	}
	if err := s.withNonceRetry(send); err != nil {
		return "", fmt.Errorf("pushed authorization request: %w", err)
	}
	return res.RequestURI, nil
}

// codeFrom checks the redirect (state, and iss per RFC 9207 §2.4) and returns the code.
func (s *session) codeFrom(redirected, redirectURI, state string) (string, error) {
	u, err := url.Parse(redirected)
	if err != nil || !strings.HasPrefix(redirected, redirectURI) {
		return "", fmt.Errorf("login did not come back to %s", redirectURI)
	}
	q := u.Query()
	if e := q.Get("error"); e != "" {
		return "", fmt.Errorf("authorization refused: %s %s", e, q.Get("error_description"))
	}
	if q.Get("state") != state {
		return "", errors.New("authorization response state does not match")
	}
	if iss := q.Get("iss"); iss != "" && iss != s.as.Issuer {
		return "", errors.New("authorization response comes from another issuer (iss)")
	}
	if q.Get("code") == "" {
		return "", errors.New("authorization response has no code")
	}
	return q.Get("code"), nil
}

// FormLogin is a Login step for authenticators that show a simple form (the pilot login
// code): it fetches the page, submits the fields and returns where the server redirected.
func (c *Client) FormLogin(fields map[string]string) func(context.Context, string) (string, error) {
	return func(ctx context.Context, authorizeURL string) (string, error) {
		u, err := url.Parse(authorizeURL)
		if err != nil {
			return "", err
		}
		form := url.Values{"client_id": {u.Query().Get("client_id")}, "request_uri": {u.Query().Get("request_uri")}}
		for k, v := range fields {
			form.Set(k, v)
		}
		page, err := http.NewRequestWithContext(ctx, http.MethodGet, authorizeURL, nil)
		if err != nil {
			return "", err
		}
		if _, err := c.do(page, nil); err != nil {
			return "", fmt.Errorf("authorization page: %w", err)
		}
		post, err := http.NewRequestWithContext(ctx, http.MethodPost, u.Scheme+"://"+u.Host+u.Path, strings.NewReader(form.Encode()))
		if err != nil {
			return "", err
		}
		post.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		noRedirect := *c.httpClient()
		noRedirect.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		res, err := noRedirect.Do(post)
		if err != nil {
			return "", err
		}
		defer res.Body.Close()
		_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 1<<20))
		if res.StatusCode != http.StatusFound {
			return "", fmt.Errorf("login refused (HTTP %d)", res.StatusCode)
		}
		return res.Header.Get("Location"), nil
	}
}
