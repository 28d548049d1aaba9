package verifier

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"time"

	"github.com/sociaaldomein/bewijs/internal/safehttp"
	"github.com/sociaaldomein/bewijs/internal/statuslist"
)

// Defaults of NewHTTPStatusFetcher.
const (
	DefaultStatusFetchBytes   = 1 << 20
	DefaultStatusFetchTimeout = 10 * time.Second
)

// ErrRefusedAddress is the cause when a status list URI resolves to an address that is not
// globally reachable (the default client of NewHTTPStatusFetcher refuses those).
var ErrRefusedAddress = safehttp.ErrRefusedAddress

// httpStatusFetcher gets Status List Tokens over HTTPS (Token Status List draft -20 §8.1).
type httpStatusFetcher struct {
	client   *http.Client
	maxBytes int64
	// mediaType is what the list is served as: application/statuslist+jwt unless set.
	mediaType string
}

// NewHTTPStatusFetcher returns a StatusFetcher that GETs the token with Accept
// application/statuslist+jwt, accepts only 200 with that Content-Type and at most maxBytes
// (<= 0: DefaultStatusFetchBytes). Only https URIs are fetched.
//
// The URI comes from the credential, which the issuer wrote: SD-JWT VC draft -16
// (Security Considerations, Server-Side Request Forgery) wants such URLs validated so that
// they do "not point to internal resources". A nil client gets a client with
// DefaultStatusFetchTimeout that dials only globally reachable addresses (also after
// redirects); a caller that passes its own client takes on that duty.
func NewHTTPStatusFetcher(client *http.Client, maxBytes int64) StatusFetcher {
	if client == nil {
		client = publicOnlyClient(DefaultStatusFetchTimeout)
	}
	if maxBytes <= 0 {
		maxBytes = DefaultStatusFetchBytes
	}
	return &httpStatusFetcher{client: client, maxBytes: maxBytes}
}

// Fetch implements StatusFetcher.
func (f *httpStatusFetcher) Fetch(ctx context.Context, uri string) ([]byte, error) {
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("status list uri is not an https URL")
	}
	return f.get(ctx, u)
}

func (f *httpStatusFetcher) get(ctx context.Context, u *url.URL) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	// §8.1: "The Relying Party SHOULD send the following Accept HTTP Header to indicate the
	// requested response type: application/statuslist+jwt for Status List Token in JWT format".
	req.Header.Set("Accept", f.media())
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetching the status list: %w", err)
	}
	defer resp.Body.Close()
	// §8.1: "The HTTP response SHOULD use gzip Content-Encoding"; net/http undoes it.
	// "In the successful response, the Status Provider MUST use the following content-type:
	// application/statuslist+jwt".
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetching the status list: HTTP status %d", resp.StatusCode)
	}
	if mt, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type")); err != nil || mt != f.media() {
		return nil, fmt.Errorf("the status list is not served as %s", f.media())
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, f.maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading the status list: %w", err)
	}
	if int64(len(body)) > f.maxBytes {
		return nil, fmt.Errorf("the status list exceeds %d bytes", f.maxBytes)
	}
	return body, nil
}

// publicOnlyClient, httpsRedirects and refuseNonPublic are safehttp's (see there).
func publicOnlyClient(timeout time.Duration) *http.Client { return safehttp.Client(timeout) }

var (
	httpsRedirects  = safehttp.HTTPSRedirects
	refuseNonPublic = safehttp.RefuseNonPublic
	// maxRedirects is how many redirects the public client follows.
	maxRedirects = 3
)

// localhostStatusFetcher also fetches status lists over http from localhost and 127.0.0.1.
type localhostStatusFetcher struct {
	public StatusFetcher
	local  *httpStatusFetcher
}

// NewInsecureLocalhostStatusFetcher is NewHTTPStatusFetcher that also fetches http(s) URIs on
// localhost and 127.0.0.1, without following redirects: for pilots and tests on one machine
// (serve --insecure-localhost), never for production.
func NewInsecureLocalhostStatusFetcher(maxBytes int64) StatusFetcher {
	if maxBytes <= 0 {
		maxBytes = DefaultStatusFetchBytes
	}
	local := &http.Client{Timeout: DefaultStatusFetchTimeout, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	return &localhostStatusFetcher{public: NewHTTPStatusFetcher(nil, maxBytes), local: &httpStatusFetcher{client: local, maxBytes: maxBytes}}
}

// Fetch implements StatusFetcher.
func (f *localhostStatusFetcher) Fetch(ctx context.Context, uri string) ([]byte, error) {
	u, err := url.Parse(uri)
	if err == nil && (u.Scheme == "http" || u.Scheme == "https") && (u.Hostname() == "localhost" || u.Hostname() == "127.0.0.1") {
		return f.local.get(ctx, u)
	}
	return f.public.Fetch(ctx, uri)
}

func (f *httpStatusFetcher) media() string {
	if f.mediaType != "" {
		return f.mediaType
	}
	return statuslist.MediaType
}

// NewMediaTypeFetcher is NewHTTPStatusFetcher (or, with insecureLocalhost,
// NewInsecureLocalhostStatusFetcher) for lists served as another media type, such as a W3C
// Bitstring Status List credential (application/vc+jwt).
func NewMediaTypeFetcher(mediaType string, maxBytes int64, insecureLocalhost bool) StatusFetcher {
	f := NewHTTPStatusFetcher(nil, maxBytes).(*httpStatusFetcher)
	f.mediaType = mediaType
	if !insecureLocalhost {
		return f
	}
	l := NewInsecureLocalhostStatusFetcher(maxBytes).(*localhostStatusFetcher)
	l.public, l.local.mediaType = f, mediaType
	return l
}
