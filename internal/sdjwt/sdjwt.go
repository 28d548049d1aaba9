// Package sdjwt issues, presents and verifies Selective Disclosure JWTs (RFC 9901) in the
// compact serialization, with the parts of SD-JWT VC (draft-ietf-oauth-sd-jwt-vc-16) that
// an issuer and a verifier need: the claims that must stay plaintext and the typ header
// taken from the caller. It knows nothing about HTTP, storage or key discovery: callers
// pass keys in and get typed errors (*Error) out.
//
// Disclosures are limited to object members ([salt, name, value]); array element
// disclosures ([salt, value]) are verified and presented, but Issue never makes them.
package sdjwt

import (
	"strings"

	"github.com/sociaaldomein/bewijs/internal/jose"
)

// SDJWT is a parsed SD-JWT or SD-JWT+KB (not yet verified).
type SDJWT struct {
	IssuerJWT     string
	Header        jose.Header // protected header of the issuer JWT (unverified until Verify)
	Disclosures   []Disclosure
	KeyBindingJWT string // "" when none

	// parsed holds what Parse decoded, for Verify to reuse instead of decoding it again;
	// Verify uses each part only while the exported field it came from is unchanged.
	parsed parsedParts
}

// parsedParts are the decoded JWTs of a parsed SD-JWT, each with the string it was
// decoded from.
type parsedParts struct {
	issuerJWT string
	issuer    *jose.JWS
	payload   map[string]any // the Issuer-signed JWT payload; nil if not kept
	kbJWT     string
	kb        *jose.JWS
	presented string // the input up to and including the last '~'
}

// Limits bound what Parse accepts from untrusted input.
type Limits struct {
	MaxBytes       int // length of the whole serialization
	MaxDisclosures int // number of disclosures
	MaxDepth       int // nesting of arrays and objects in the payload and in each disclosure
}

// DefaultLimits are the limits Parse applies: 64 KiB, 256 disclosures, depth 32.
func DefaultLimits() Limits {
	return Limits{MaxBytes: 64 << 10, MaxDisclosures: 256, MaxDepth: 32}
}

// Parse splits and decodes an SD-JWT or SD-JWT+KB under DefaultLimits. Nothing is
// verified: call Verify before trusting any of it.
func Parse(s string) (*SDJWT, error) {
	return ParseWithLimits(s, DefaultLimits())
}

// ParseWithLimits is Parse with explicit limits; zero fields take the default.
func ParseWithLimits(s string, l Limits) (*SDJWT, error) {
	l = l.withDefaults()
	if len(s) > l.MaxBytes {
		return nil, newError(CodeMalformed, "SD-JWT of %d bytes exceeds the limit of %d", len(s), l.MaxBytes)
	}
	// RFC 9901 §4: "<Issuer-signed JWT>~<Disclosure 1>~...~<Disclosure N>~<optional KB-JWT>";
	// "In the case that there is no Key Binding JWT, the last element MUST be an empty
	// string and the last separating tilde character MUST NOT be omitted."
	parts := strings.Split(s, "~")
	if len(parts) < 2 {
		return nil, newError(CodeMalformed, "no '~' separator: not an SD-JWT")
	}
	if n := len(parts) - 2; n > l.MaxDisclosures {
		return nil, newError(CodeMalformed, "%d disclosures exceed the limit of %d", n, l.MaxDisclosures)
	}
	out := &SDJWT{IssuerJWT: parts[0], KeyBindingJWT: parts[len(parts)-1], Disclosures: make([]Disclosure, 0, len(parts)-2)}
	out.parsed.presented = s[:len(s)-len(out.KeyBindingJWT)]
	if err := parseIssuerJWT(out, l.MaxDepth); err != nil {
		return nil, err
	}
	for i, enc := range parts[1 : len(parts)-1] {
		if enc == "" {
			return nil, newError(CodeMalformed, "disclosure %d is empty", i+1)
		}
		d, err := decodeDisclosure(enc, l.MaxDepth)
		if err != nil {
			return nil, err
		}
		out.Disclosures = append(out.Disclosures, d)
	}
	if out.KeyBindingJWT != "" {
		kb, err := jose.ParseJWS(out.KeyBindingJWT)
		if err != nil {
			return nil, wrapError(CodeMalformed, "key binding JWT", err)
		}
		out.parsed.kbJWT, out.parsed.kb = out.KeyBindingJWT, kb
	}
	return out, nil
}

func (l Limits) withDefaults() Limits {
	def := DefaultLimits()
	if l.MaxBytes <= 0 {
		l.MaxBytes = def.MaxBytes
	}
	if l.MaxDisclosures <= 0 {
		l.MaxDisclosures = def.MaxDisclosures
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = def.MaxDepth
	}
	return l
}

// parseIssuerJWT checks that the Issuer-signed JWT is a compact JWS whose header and
// payload decode, and fills in the unverified header.
// RFC 9901 §4: JWT = BASE64URL "." BASE64URL "." BASE64URL — jose.ParseJWS checks the
// three parts and decodes header and signature; the payload is decoded here.
func parseIssuerJWT(s *SDJWT, maxDepth int) error {
	jws, err := jose.ParseJWS(s.IssuerJWT)
	if err != nil {
		return wrapError(CodeMalformed, "issuer-signed JWT header", err)
	}
	payload, err := decodePayload(jws.EncodedPayload(), maxDepth)
	if err != nil {
		return wrapError(CodeMalformed, "issuer-signed JWT", err)
	}
	s.Header = jws.Header
	s.parsed.issuerJWT, s.parsed.issuer = s.IssuerJWT, jws
	// Verify decodes under the default depth; a payload decoded under a larger limit is
	// not kept, so that Verify decodes (and refuses) it again.
	if maxDepth <= DefaultLimits().MaxDepth {
		s.parsed.payload = payload
	}
	return nil
}

// presented is the SD-JWT part of a presentation: the Issuer-signed JWT and the
// disclosures, each followed by '~' (RFC 9901 §4.3.1, the input of sd_hash).
func (s *SDJWT) presented() string {
	if p := s.parsed.presented; p != "" && s.serializes(p) {
		return p
	}
	n := len(s.IssuerJWT) + 1
	for _, d := range s.Disclosures {
		n += len(d.Encoded) + 1
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteString(s.IssuerJWT)
	b.WriteByte('~')
	for _, d := range s.Disclosures {
		b.WriteString(d.Encoded)
		b.WriteByte('~')
	}
	return b.String()
}

// serializes reports whether p is the presented part of s as it is now: the Issuer-signed
// JWT and the disclosures, each followed by '~'. Strings that share their bytes with p, as
// after Parse, compare without reading them.
func (s *SDJWT) serializes(p string) bool {
	rest, ok := cutPart(p, s.IssuerJWT)
	for _, d := range s.Disclosures {
		if !ok {
			return false
		}
		rest, ok = cutPart(rest, d.Encoded)
	}
	return ok && rest == ""
}

// cutPart cuts part and the '~' after it from the start of s.
func cutPart(s, part string) (string, bool) {
	if len(s) <= len(part) || s[len(part)] != '~' || s[:len(part)] != part {
		return "", false
	}
	return s[len(part)+1:], true
}

// String serializes s again: the presented SD-JWT followed by the KB-JWT, if any.
func (s *SDJWT) String() string { return s.presented() + s.KeyBindingJWT }
