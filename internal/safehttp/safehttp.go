// Package safehttp is the HTTP client bewijs uses for URLs that others chose (status lists,
// webhooks, credential offer endpoints): it dials only globally reachable addresses, checked
// on the resolved address of every connection, redirects included, and follows redirects to
// https only.
package safehttp

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"
)

// ErrRefusedAddress is the cause when a URL resolves to an address that is not globally
// reachable.
var ErrRefusedAddress = errors.New("host is not a public address")

// maxRedirects bounds the redirects a Client follows.
const maxRedirects = 3

// Client is an HTTP client whose dialer refuses every address that is not globally reachable
// unicast (loopback, private, link-local, CGNAT, unspecified, ...).
func Client(timeout time.Duration) *http.Client {
	dialer := &net.Dialer{Timeout: timeout, Control: RefuseNonPublic}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.Proxy = nil // a proxy would be dialed instead of the checked address
	transport.DialContext = dialer.DialContext
	return &http.Client{Timeout: timeout, Transport: transport, CheckRedirect: HTTPSRedirects}
}

// HTTPSRedirects follows at most maxRedirects redirects, to https URLs only.
func HTTPSRedirects(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return fmt.Errorf("stopped after %d redirects", maxRedirects)
	}
	if req.URL.Scheme != "https" {
		return errors.New("redirect to a URL that is not https")
	}
	return nil
}

// RefuseNonPublic is a net.Dialer Control function that refuses non-public addresses.
func RefuseNonPublic(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil || !PublicAddr(ap.Addr().Unmap()) {
		return ErrRefusedAddress
	}
	return nil
}

// cgnat is the shared address space of RFC 6598, not globally reachable.
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// PublicAddr reports whether ip is globally reachable unicast.
func PublicAddr(ip netip.Addr) bool {
	return ip.IsGlobalUnicast() && !ip.IsPrivate() && !cgnat.Contains(ip)
}

// LocalClient is the client for localhost and 127.0.0.1 only, in --insecure-localhost mode
// (pilots and tests): it follows no redirects.
func LocalClient(timeout time.Duration) *http.Client {
	return &http.Client{Timeout: timeout, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// IsLocalhost reports whether host is localhost or 127.0.0.1.
func IsLocalhost(host string) bool { return host == "localhost" || host == "127.0.0.1" }
