// Package web implements the did:web method (https://w3c-ccg.github.io/did-method-web/):
// mapping between DIDs and HTTPS URLs, and a resolver that fetches DID documents while
// refusing to connect to loopback, private and link-local addresses.
package web

import (
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"github.com/sociaaldomein/bewijs/did"
)

// MethodName is the DID method name of did:web.
const MethodName = "web"

const prefix = "did:" + MethodName + ":"

// DIDFromURL returns the did:web DID of the location base plus pathSegments, for example
// http://localhost:8080 with "o", "gemeente-utrecht" gives
// did:web:localhost%3A8080:o:gemeente-utrecht. The path of base comes first.
// Characters outside DID idchar are percent-encoded.
func DIDFromURL(base *url.URL, pathSegments ...string) (string, error) {
	if base == nil || (base.Scheme != "https" && base.Scheme != "http") ||
		base.User != nil || base.RawQuery != "" || base.Fragment != "" {
		return "", did.Errorf(did.InvalidDID, "", "base must be an http(s) URL without user info, query or fragment")
	}
	// did:web §Method-specific identifier: "If an optional port is specified on the domain,
	// the port colon splitting the host and the port MUST be percent encoded to prevent
	// collision with the path."
	host := strings.ToLower(base.Hostname())
	if !validHost(host) {
		return "", did.Errorf(did.InvalidDID, "", "base host must be a domain name or an IPv4 address")
	}
	if port := base.Port(); port != "" {
		if !validPort(port) {
			return "", did.Errorf(did.InvalidDID, "", "invalid port")
		}
		host += "%3A" + port
	}
	segments := append(splitPath(base.Path), pathSegments...)
	parts := []string{host}
	for _, seg := range segments {
		if !validSegment(seg) {
			return "", did.Errorf(did.InvalidDID, "", "invalid path segment")
		}
		parts = append(parts, encodeSegment(seg))
	}
	id := prefix + strings.Join(parts, ":")
	if _, _, err := did.ParseDID(id); err != nil {
		return "", err
	}
	return id, nil
}

// DocumentURL returns where the DID document of a did:web DID lives
// (did:web §Read (Resolve)): https://host[:port]/path/did.json, or
// https://host[:port]/.well-known/did.json without a path. With insecureLocalhost the
// scheme is http for the hosts localhost and 127.0.0.1 (development and tests only).
func DocumentURL(id string, insecureLocalhost bool) (*url.URL, error) {
	method, specificID, err := did.ParseDID(id)
	if err != nil {
		return nil, err
	}
	if method != MethodName {
		return nil, did.Errorf(did.UnsupportedMethod, id, "not a did:web DID")
	}
	parts := strings.Split(specificID, ":")
	host, port, err := parseHost(parts[0])
	if err != nil {
		return nil, did.NewError(did.InvalidDID, id, err)
	}
	path, err := documentPath(parts[1:])
	if err != nil {
		return nil, did.NewError(did.InvalidDID, id, err)
	}
	u := &url.URL{Scheme: "https", Host: host, Path: path}
	if port != "" {
		u.Host += ":" + port
	}
	if insecureLocalhost && isLocalhost(host) {
		u.Scheme = "http"
	}
	return u, nil
}

// documentPath follows did:web §Read (Resolve): "Replace ":" with "/" in the method
// specific identifier", "If no path has been specified in the URL, append /.well-known",
// "Append /did.json to complete the URL".
func documentPath(segments []string) (string, error) {
	if len(segments) == 0 {
		return "/.well-known/did.json", nil
	}
	decoded := make([]string, len(segments))
	for i, seg := range segments {
		d, err := url.PathUnescape(seg)
		if err != nil || !validSegment(d) || strings.Contains(d, "/") {
			return "", errInvalid("invalid path segment")
		}
		decoded[i] = d
	}
	return "/" + strings.Join(decoded, "/") + "/did.json", nil
}

// parseHost decodes "host" or "host%3Aport". Only the port colon may be percent-encoded.
func parseHost(s string) (host, port string, err error) {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "%3A", ":"), "%3a", ":")
	if strings.Contains(s, "%") {
		return "", "", errInvalid("unexpected percent-encoding in host")
	}
	host, port, hasPort := strings.Cut(s, ":")
	if !validHost(host) {
		return "", "", errInvalid("host must be a domain name or an IPv4 address")
	}
	if hasPort && !validPort(port) {
		return "", "", errInvalid("invalid port")
	}
	return host, port, nil
}

// validHost accepts a DNS name (RFC 1123 labels) or an IPv4 address. The did:web
// specification says the identifier "MUST NOT include IP addresses"; bewijs accepts IPv4
// for development and tests, and the resolver's address policy refuses every non-public
// address anyway. IPv6 literals have no did:web encoding and are refused.
func validHost(h string) bool {
	if ip, err := netip.ParseAddr(h); err == nil {
		return ip.Is4()
	}
	if h == "" || len(h) > 253 {
		return false
	}
	for _, label := range strings.Split(h, ".") {
		if !validLabel(label) {
			return false
		}
	}
	return true
}

func validLabel(l string) bool {
	if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for i := 0; i < len(l); i++ {
		c := l[i]
		if !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9') && c != '-' {
			return false
		}
	}
	return true
}

func validPort(p string) bool {
	n, err := strconv.Atoi(p)
	return err == nil && n > 0 && n <= 65535 && strconv.Itoa(n) == p
}

// validSegment refuses segments that would change the shape of the document URL.
func validSegment(s string) bool {
	if s == "" || s == "." || s == ".." {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] == 0x7f {
			return false
		}
	}
	return true
}

func splitPath(p string) []string {
	var out []string
	for _, seg := range strings.Split(p, "/") {
		if seg != "" {
			out = append(out, seg)
		}
	}
	return out
}

// encodeSegment percent-encodes every byte that is not a DID Core idchar
// (ALPHA / DIGIT / "." / "-" / "_"), including ":" which separates segments.
func encodeSegment(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&0xf])
	}
	return b.String()
}

// isLocalhost reports whether host is exactly one of the names InsecureLocalhost applies to.
func isLocalhost(host string) bool {
	return host == "localhost" || host == "127.0.0.1"
}

type errInvalid string

func (e errInvalid) Error() string { return string(e) }
