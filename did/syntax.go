package did

import "strings"

// MaxLength bounds the length of DIDs and DID URLs this package accepts. It is far above
// anything did:web, did:key or did:jwk (with an EC or OKP key) produce.
const MaxLength = 4096

// DID Core §3.1 DID Syntax:
//
//	did                = "did:" method-name ":" method-specific-id
//	method-name        = 1*method-char
//	method-char        = %x61-7A / DIGIT
//	method-specific-id = *( *idchar ":" ) 1*idchar
//	idchar             = ALPHA / DIGIT / "." / "-" / "_" / pct-encoded
//	pct-encoded        = "%" HEXDIG HEXDIG

// ParseDID checks that s is a DID (not a DID URL) and returns its method name and
// method-specific identifier.
func ParseDID(s string) (method, specificID string, err error) {
	if len(s) > MaxLength {
		return "", "", Errorf(InvalidDID, "", "longer than %d bytes", MaxLength)
	}
	rest, ok := strings.CutPrefix(s, "did:")
	if !ok {
		return "", "", Errorf(InvalidDID, s, "does not start with \"did:\"")
	}
	method, specificID, ok = strings.Cut(rest, ":")
	if !ok || !validMethodName(method) {
		return "", "", Errorf(InvalidDID, s, "invalid method name")
	}
	if !validSpecificID(specificID) {
		return "", "", Errorf(InvalidDID, s, "invalid method-specific identifier")
	}
	return method, specificID, nil
}

// Method returns the method name of a DID or DID URL ("web" for "did:web:example.com#key-1"),
// or "" when s is not a valid DID URL.
func Method(s string) string {
	d, _, _, _, err := splitDIDURL(s)
	if err != nil {
		return ""
	}
	method, _, _ := strings.Cut(strings.TrimPrefix(d, "did:"), ":")
	return method
}

// ParseDIDURL splits a DID URL of the form did[#fragment] into the DID and the fragment
// (without "#"). DID URLs with a path or query are refused: key references never need them.
func ParseDIDURL(s string) (did, fragment string, err error) {
	d, _, _, fragment, err := splitDIDURL(s)
	if err != nil {
		return "", "", err
	}
	// Anything between the DID and "#" is a path or query, even when empty ("did:x:y?").
	if beforeFragment, _, _ := strings.Cut(s, "#"); beforeFragment != d {
		return "", "", Errorf(InvalidDID, d, "DID URL paths and queries are not supported")
	}
	return d, fragment, nil
}

// DID Core §3.2 DID URL Syntax:
//
//	did-url = did path-abempty [ "?" query ] [ "#" fragment ]
//
// with path-abempty, query and fragment as in RFC 3986.
func splitDIDURL(s string) (did, path, query, fragment string, err error) {
	if len(s) > MaxLength {
		return "", "", "", "", Errorf(InvalidDID, "", "longer than %d bytes", MaxLength)
	}
	rest, fragment, hasFragment := strings.Cut(s, "#")
	rest, query, hasQuery := strings.Cut(rest, "?")
	did, path, hasPath := strings.Cut(rest, "/")
	if _, _, err := ParseDID(did); err != nil {
		return "", "", "", "", err
	}
	if hasPath {
		path = "/" + path
	}
	if (hasPath && !validURLPart(path, "/")) || (hasQuery && !validURLPart(query, "/?")) ||
		(hasFragment && !validURLPart(fragment, "/?")) {
		return "", "", "", "", Errorf(InvalidDID, did, "invalid characters in DID URL")
	}
	return did, path, query, fragment, nil
}

func validMethodName(m string) bool {
	if m == "" {
		return false
	}
	for i := 0; i < len(m); i++ {
		if c := m[i]; !(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

func validSpecificID(id string) bool {
	segments := strings.Split(id, ":")
	if segments[len(segments)-1] == "" {
		return false // 1*idchar after the last colon
	}
	for _, seg := range segments {
		if !validChars(seg, isIDChar) {
			return false
		}
	}
	return true
}

func isIDChar(c byte) bool {
	return isAlphaNum(c) || c == '.' || c == '-' || c == '_'
}

// RFC 3986: pchar = unreserved / pct-encoded / sub-delims / ":" / "@".
func isPChar(c byte) bool {
	return isAlphaNum(c) || strings.IndexByte("-._~!$&'()*+,;=:@", c) >= 0
}

func validURLPart(s, extra string) bool {
	return validChars(s, func(c byte) bool { return isPChar(c) || strings.IndexByte(extra, c) >= 0 })
}

// validChars reports whether s consists of characters accepted by ok and well-formed
// percent-encodings.
func validChars(s string, ok func(byte) bool) bool {
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '%':
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return false
			}
			i += 2
		case !ok(s[i]):
			return false
		}
	}
	return true
}

func isAlphaNum(c byte) bool {
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}
