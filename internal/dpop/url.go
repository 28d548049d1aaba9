package dpop

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// defaultPorts are the ports scheme-based normalisation drops (RFC 3986 §6.2.3).
var defaultPorts = map[string]int{"http": 80, "https": 443}

// NormalizeURL returns the form in which htu values are compared. RFC 9449 §4.3: htu matches
// the request URI "ignoring any query and fragment parts", and "servers SHOULD employ
// syntax-based normalization (Section 6.2.2 of [RFC3986]) and scheme-based normalization
// (Section 6.2.3 of [RFC3986]) before comparing the htu claim". So: scheme and host in lower
// case, the default port dropped, an empty path made "/", percent-encodings of unreserved
// characters decoded and the others in upper case, dot segments removed, and no query or
// fragment. Only absolute http and https URIs without userinfo are accepted.
func NormalizeURL(u string) (string, error) {
	parsed, err := url.Parse(u)
	if err != nil {
		return "", fmt.Errorf("dpop: invalid URI: %w", err)
	}
	scheme := strings.ToLower(parsed.Scheme)
	if _, ok := defaultPorts[scheme]; !ok || parsed.Opaque != "" || parsed.Host == "" {
		return "", errors.New("dpop: not an absolute http or https URI")
	}
	// RFC 9110 §4.2.4: a sender MUST NOT generate the userinfo subcomponent in http(s) URIs.
	if parsed.User != nil {
		return "", errors.New("dpop: URI has userinfo")
	}
	host, err := normalizeHost(scheme, parsed.Hostname(), parsed.Port())
	if err != nil {
		return "", err
	}
	return scheme + "://" + host + normalizePath(parsed.EscapedPath()), nil
}

// normalizeHost lowercases the host (RFC 3986 §6.2.2.1) and drops an empty or default port
// (§6.2.3).
func normalizeHost(scheme, hostname, port string) (string, error) {
	if hostname == "" {
		return "", errors.New("dpop: URI has no host")
	}
	host := strings.ToLower(hostname)
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port == "" {
		return host, nil
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 {
		return "", errors.New("dpop: URI has an invalid port")
	}
	if n == defaultPorts[scheme] {
		return host, nil
	}
	return host + ":" + strconv.Itoa(n), nil
}

// normalizePath applies percent-encoding normalisation (RFC 3986 §6.2.2.1, §6.2.2.2), path
// segment normalisation (§6.2.2.3) and, for an empty path, "/" (§6.2.3).
func normalizePath(escaped string) string {
	if escaped == "" {
		return "/"
	}
	return removeDotSegments(normalizePercent(escaped))
}

// normalizePercent decodes percent-encoded unreserved characters and upper-cases the hex
// digits of the rest. The input comes from url.URL.EscapedPath, so every '%' starts a valid
// triplet.
func normalizePercent(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' || i+2 >= len(s) {
			b.WriteByte(s[i])
			continue
		}
		v, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
		switch {
		case err != nil:
			b.WriteByte(s[i])
			continue
		case isUnreserved(byte(v)):
			b.WriteByte(byte(v))
		default:
			b.WriteString("%" + strings.ToUpper(s[i+1:i+3]))
		}
		i += 2
	}
	return b.String()
}

// removeDotSegments is RFC 3986 §5.2.4 for an absolute path.
func removeDotSegments(p string) string {
	segs := strings.Split(p, "/")[1:]
	out := make([]string, 0, len(segs))
	for i, s := range segs {
		last := i == len(segs)-1
		switch s {
		case ".":
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		default:
			out = append(out, s)
			continue
		}
		if last {
			out = append(out, "")
		}
	}
	return "/" + strings.Join(out, "/")
}

// isUnreserved: ALPHA / DIGIT / "-" / "." / "_" / "~" (RFC 3986 §2.3).
func isUnreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}
