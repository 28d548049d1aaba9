package statuslist

import (
	"net/url"
	"time"
)

// TokenClaims builds the payload of a Status List Token in JWT format (§5.1): sub = uri, iat,
// exp, ttl and status_list {bits, lst}. The caller signs it with header typ TokenType.
// A zero exp or ttl leaves that claim out (both are RECOMMENDED, not REQUIRED).
func TokenClaims(uri string, l *List, iat time.Time, exp time.Time, ttl time.Duration) (map[string]any, error) {
	if l == nil {
		return nil, claimsError("no list")
	}
	if err := checkURI(uri); err != nil {
		return nil, err
	}
	// "iat: REQUIRED ... MUST specify the time at which the Status List Token was issued."
	if iat.IsZero() {
		return nil, claimsError("iat is required")
	}
	lst, err := l.Encode()
	if err != nil {
		return nil, err
	}
	claims := map[string]any{
		// "sub: REQUIRED ... The value MUST be equal to that of the uri claim contained in the
		// status_list claim of the Referenced Token."
		"sub": uri,
		"iat": iat.Unix(),
		// "status_list: REQUIRED ... conforming to the structure defined in Section 4.2."
		"status_list": map[string]any{"bits": l.Bits(), "lst": lst},
	}
	if err := addExp(claims, iat, exp); err != nil {
		return nil, err
	}
	if err := addTTL(claims, ttl); err != nil {
		return nil, err
	}
	return claims, nil
}

// §6.2: "The value of uri MUST be a URI conforming to [RFC3986]." We issue absolute https or
// http URIs only, since relying parties fetch them (§8.1).
func checkURI(uri string) error {
	u, err := url.Parse(uri)
	if err != nil || !u.IsAbs() || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return claimsError("sub must be an absolute http(s) URI")
	}
	return nil
}

// "exp: RECOMMENDED ... if present, MUST specify the time at which the Status List Token is
// considered expired by the Status Issuer."
func addExp(claims map[string]any, iat, exp time.Time) error {
	if exp.IsZero() {
		return nil
	}
	if !exp.After(iat) {
		return claimsError("exp must be after iat")
	}
	claims["exp"] = exp.Unix()
	return nil
}

// "ttl: RECOMMENDED ... the maximum amount of time, in seconds, that the Status List Token can
// be cached by a consumer ... The value of the claim MUST be a positive number".
func addTTL(claims map[string]any, ttl time.Duration) error {
	if ttl == 0 {
		return nil
	}
	secs := int64(ttl / time.Second)
	if secs < 1 {
		return claimsError("ttl must be at least one second")
	}
	claims["ttl"] = secs
	return nil
}
