package web

import (
	"crypto/tls"
	"net"
	"net/http"
	"time"
)

const (
	maxResponseHeaderBytes = 16 << 10
	idleConnTimeout        = 90 * time.Second
	maxIdleConns           = 16
)

// newHTTPClient returns the client the resolver fetches with: every dial goes through the
// address policy, no proxy, no redirects, TLS 1.2 or newer, and timeouts on every phase.
func newHTTPClient(cfg Config, policy addressPolicy) *http.Client {
	dialer := &net.Dialer{Timeout: cfg.Timeout, Control: policy.control}
	transport := &http.Transport{
		// A proxy would be dialled instead of the target, which would make the address
		// policy check the proxy's address rather than the DID host's.
		Proxy:       nil,
		DialContext: dialer.DialContext,
		// did:web §In-transit Security: "At least TLS 1.2 should be configured".
		TLSClientConfig:        &tls.Config{MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:    cfg.Timeout,
		ResponseHeaderTimeout:  cfg.Timeout,
		MaxResponseHeaderBytes: maxResponseHeaderBytes,
		MaxIdleConns:           maxIdleConns,
		IdleConnTimeout:        idleConnTimeout,
		ForceAttemptHTTP2:      true,
	}
	return &http.Client{
		Transport:     transport,
		Timeout:       cfg.Timeout,
		CheckRedirect: refuseRedirects,
	}
}

// refuseRedirects makes the client return the 3xx response itself: a redirect could point
// at another host, and the document id must match the DID anyway.
func refuseRedirects(*http.Request, []*http.Request) error {
	return http.ErrUseLastResponse
}
