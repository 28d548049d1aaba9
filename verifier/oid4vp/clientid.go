package oid4vp

import (
	"encoding/base64"
	"net/url"
	"strings"

	"github.com/sociaaldomein/bewijs/did"
)

// Client Identifier Prefixes, §5.9.3, as they appear before the first ":" of a client_id.
// PrefixPreRegistered is the §10.1 name for a client_id without a prefix (§5.9.2 Fallback).
const (
	PrefixPreRegistered           = "pre-registered"
	PrefixRedirectURI             = "redirect_uri"
	PrefixX509SANDNS              = "x509_san_dns"
	PrefixX509Hash                = "x509_hash"
	PrefixDecentralizedIdentifier = "decentralized_identifier"
	PrefixVerifierAttestation     = "verifier_attestation"
	PrefixOpenIDFederation        = "openid_federation"
	PrefixOrigin                  = "origin" // reserved for the DC API; never accepted in requests
)

// maxClientIDLength bounds the client_id values ParseClientID looks at.
const maxClientIDLength = 4096

// ClientID joins a Client Identifier Prefix and the original Client Identifier (§5.9.1:
// "<client_id_prefix>:<orig_client_id>"). For PrefixPreRegistered it returns value as is.
func ClientID(prefix, value string) string {
	if prefix == PrefixPreRegistered || prefix == "" {
		return value
	}
	return prefix + ":" + value
}

// ParseClientID splits a client_id into its Client Identifier Prefix and the original Client
// Identifier, and checks the value against the rules of its prefix. A client_id without ":"
// is a pre-registered client: ParseClientID returns PrefixPreRegistered and s.
//
// A client_id whose text before the first ":" is not one of the prefixes of §5.9.3 is
// refused with invalid_request (§8.5: "The Wallet does not support the Client Identifier
// Prefix"), which §5.9.2 allows ("it may refuse the request").
func ParseClientID(s string) (prefix, value string, err error) {
	if s == "" {
		return "", "", invalidRequest("client_id is missing")
	}
	if len(s) > maxClientIDLength {
		return "", "", invalidRequest("client_id is too long")
	}
	// §5.9.1: "The Client Identifier Prefix is defined as the string before the (first) :
	// character." §5.9.2: without ":" the Wallet MUST treat it as a pre-registered client.
	prefix, value, found := strings.Cut(s, ":")
	if !found {
		return PrefixPreRegistered, s, nil
	}
	if !knownPrefix(prefix) {
		return "", "", invalidRequest("unsupported client identifier prefix %q", prefix)
	}
	if value == "" {
		return "", "", invalidRequest("client_id has prefix %q but no client identifier", prefix)
	}
	if msg := checkPrefixValue(prefix, value); msg != "" {
		return "", "", invalidRequest("client_id with prefix %q: %s", prefix, msg)
	}
	return prefix, value, nil
}

func knownPrefix(prefix string) bool {
	switch prefix {
	case PrefixRedirectURI, PrefixX509SANDNS, PrefixX509Hash, PrefixDecentralizedIdentifier,
		PrefixVerifierAttestation, PrefixOpenIDFederation, PrefixOrigin:
		return true
	}
	return false
}

// checkPrefixValue checks the original Client Identifier against the rules of its prefix
// and returns "" when it is acceptable, else the reason.
func checkPrefixValue(prefix, value string) string {
	switch prefix {
	case PrefixRedirectURI:
		return checkRedirectURIValue(value)
	case PrefixX509SANDNS:
		return checkDNSName(value)
	case PrefixX509Hash:
		return checkX509Hash(value)
	case PrefixDecentralizedIdentifier:
		return checkDID(value)
	case PrefixOpenIDFederation:
		return checkEntityIdentifier(value)
	case PrefixOrigin:
		// §5.9.3 origin: "The Wallet MUST NOT accept this Client Identifier Prefix in requests."
		return "the origin prefix is reserved for the Digital Credentials API"
	}
	// verifier_attestation: the value "MUST equal the sub claim value in the Verifier
	// attestation JWT", checked with that JWT.
	return ""
}

// §5.9.3 redirect_uri: the value "is the Verifier's Redirect URI (or Response URI when
// Response Mode direct_post is used)", so it must be an absolute URI.
func checkRedirectURIValue(v string) string {
	u, err := url.Parse(v)
	if err != nil || !u.IsAbs() {
		return "not an absolute URI"
	}
	if u.Fragment != "" {
		return "a redirect URI must not contain a fragment"
	}
	return ""
}

// §5.9.3 x509_san_dns: the value "MUST be a DNS name" (RFC 1035 §2.3.1 preferred syntax,
// RFC 1123 §2.1 relaxes the first character to a digit).
func checkDNSName(v string) string {
	if len(v) > 253 {
		return "DNS name longer than 253 characters"
	}
	for _, label := range strings.Split(v, ".") {
		if !validDNSLabel(label) {
			return "not a DNS name"
		}
	}
	return ""
}

func validDNSLabel(l string) bool {
	if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for i := 0; i < len(l); i++ {
		c := l[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// §5.9.3 x509_hash: "the base64url-encoded value of the SHA-256 hash of the DER-encoded
// X.509 certificate".
func checkX509Hash(v string) string {
	b, err := base64.RawURLEncoding.DecodeString(v)
	if err != nil || len(b) != 32 {
		return "not a base64url-encoded SHA-256 hash"
	}
	return ""
}

// §5.9.3 decentralized_identifier: the value "is a Decentralized Identifier as defined in
// [DID-Core]".
func checkDID(v string) string {
	if _, _, err := did.ParseDID(v); err != nil {
		return "not a DID"
	}
	return ""
}

// §5.9.3 openid_federation: the value "is an Entity Identifier defined in OpenID Federation",
// which (OpenID Federation 1.0 §1.2) is a URL using the https scheme with a host and no query
// or fragment.
func checkEntityIdentifier(v string) string {
	u, err := url.Parse(v)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "not an https Entity Identifier"
	}
	return ""
}
