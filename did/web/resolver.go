package web

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/netip"
	"net/url"

	"github.com/sociaaldomein/bewijs/did"
)

// ErrBodyTooLarge is the cause of an InvalidDocument error when a DID document exceeds
// Config.MaxBodyBytes.
var ErrBodyTooLarge = errors.New("DID document exceeds the size limit")

// Resolver resolves did:web DIDs over HTTPS. Build it with NewResolver.
type Resolver struct {
	cfg      Config
	strict   *http.Client
	loopback *http.Client // only with Config.InsecureLocalhost
}

var _ did.Resolver = (*Resolver)(nil)

// NewResolver validates cfg and returns a Resolver with its own HTTP clients.
func NewResolver(cfg Config) (*Resolver, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	r := &Resolver{cfg: cfg, strict: newHTTPClient(cfg, addressPolicy{})}
	if cfg.InsecureLocalhost {
		r.loopback = newHTTPClient(cfg, addressPolicy{allowLoopback: true})
	}
	return r, nil
}

// Resolve fetches and validates the DID document of a did:web DID (did:web §Read (Resolve)).
// Errors are *did.Error values: InvalidDID, UnsupportedMethod, RefusedTarget, NotFound,
// Unavailable or InvalidDocument.
func (r *Resolver) Resolve(ctx context.Context, id string) (did.Document, error) {
	u, err := DocumentURL(id, r.cfg.InsecureLocalhost)
	if err != nil {
		return did.Document{}, err
	}
	client, err := r.clientFor(id, u.Hostname())
	if err != nil {
		return did.Document{}, err
	}
	body, err := r.fetch(ctx, client, id, u)
	if err != nil {
		return did.Document{}, err
	}
	return documentFor(id, body)
}

// clientFor picks the HTTP client for host and refuses literal addresses (and the name
// localhost) up front; names are checked again on every dial.
func (r *Resolver) clientFor(id, host string) (*http.Client, error) {
	policy := addressPolicy{allowLoopback: r.cfg.InsecureLocalhost && isLocalhost(host)}
	if ip, err := netip.ParseAddr(host); err == nil && !policy.allows(ip) {
		return nil, did.NewError(did.RefusedTarget, id, errRefusedAddress)
	}
	if host == "localhost" && !policy.allowLoopback {
		return nil, did.NewError(did.RefusedTarget, id, errRefusedAddress)
	}
	if policy.allowLoopback {
		return r.loopback, nil
	}
	return r.strict, nil
}

func (r *Resolver) fetch(ctx context.Context, client *http.Client, id string, u *url.URL) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, r.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, did.NewError(did.InvalidDID, id, err)
	}
	req.Header.Set("Accept", "application/did+json, application/json;q=0.9")
	resp, err := client.Do(req)
	if err != nil {
		return nil, transportError(id, err)
	}
	defer resp.Body.Close()
	if err := statusError(id, resp.StatusCode); err != nil {
		return nil, err
	}
	return readBody(id, resp, r.cfg.MaxBodyBytes)
}

func transportError(id string, err error) error {
	if errors.Is(err, errRefusedAddress) {
		return did.NewError(did.RefusedTarget, id, errRefusedAddress)
	}
	return did.NewError(did.Unavailable, id, err)
}

// statusError maps HTTP statuses: 404 and 410 mean the DID does not exist (did:web
// §Deactivate: the did.json "has to be removed"); anything else but 200, including
// redirects, which are not followed, is treated as unavailable.
func statusError(id string, status int) error {
	switch {
	case status == http.StatusOK:
		return nil
	case status == http.StatusNotFound || status == http.StatusGone:
		return did.Errorf(did.NotFound, id, "HTTP status %d", status)
	case status >= 300 && status < 400:
		return did.Errorf(did.Unavailable, id, "HTTP status %d: redirects are not followed", status)
	default:
		return did.Errorf(did.Unavailable, id, "HTTP status %d", status)
	}
}

func readBody(id string, resp *http.Response, limit int64) ([]byte, error) {
	if resp.ContentLength > limit {
		return nil, did.NewError(did.InvalidDocument, id, ErrBodyTooLarge)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, did.NewError(did.Unavailable, id, err)
	}
	if int64(len(body)) > limit {
		return nil, did.NewError(did.InvalidDocument, id, ErrBodyTooLarge)
	}
	return body, nil
}

func documentFor(id string, body []byte) (did.Document, error) {
	doc, err := did.Parse(body)
	if err != nil {
		return did.Document{}, did.WithDID(err, id)
	}
	// did:web §Read (Resolve): "Verify that the ID of the resolved DID document matches the
	// Web DID being resolved." Otherwise a host could answer for another DID.
	if doc.ID != id {
		return did.Document{}, did.Errorf(did.InvalidDocument, id, "document id does not match the DID")
	}
	return doc, nil
}
