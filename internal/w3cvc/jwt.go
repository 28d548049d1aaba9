package w3cvc

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/internal/jose"
)

// allowedAlgs is checked before any key is looked up, so "none" and HMAC are refused without
// a DID resolution; internal/jose checks it again, and that the alg fits the key.
var allowedAlgs = map[string]bool{"ES256": true, "ES384": true, "EdDSA": true}

// typJWT is the only typ VC-DM 1.1 §6.3.1 allows: "typ, if present, MUST be set to JWT."
const typJWT = "JWT"

// verifyJWT checks a JWT VC or VP the way both need it and returns its verified claims:
// header (typ, alg, kid), signature with the key of kid, kid a DID URL of iss, and the
// validity period. VC-DM 1.1 §6.3.1: "The JWS proves that the iss of the JWT signed the
// contained JWT payload"; that only holds when the signing key belongs to iss.
func verifyJWT(ctx context.Context, compact string, opts VerifyOptions) (map[string]any, error) {
	opts = opts.withDefaults()
	h, err := jose.ParseHeader(compact)
	if err != nil {
		return nil, malformed(err, "not a compact JWS")
	}
	if h.Typ != "" && h.Typ != typJWT {
		return nil, malformed(nil, "typ is not %s", typJWT)
	}
	if !allowedAlgs[h.Alg] {
		return nil, newError(ReasonSignature, nil, "signature algorithm not allowed")
	}
	kidDID, err := kidOf(h.Kid)
	if err != nil {
		return nil, err
	}
	claims, err := verifySignature(ctx, compact, h.Kid, opts)
	if err != nil {
		return nil, err
	}
	iss, err := stringClaim(claims, "iss")
	if err != nil {
		return nil, err
	}
	if iss != kidDID {
		return nil, newError(ReasonIssuerMismatch, nil, "kid is not a key of the iss DID")
	}
	if err := checkValidity(claims, opts.Now(), opts.Skew); err != nil {
		return nil, err
	}
	return claims, nil
}

// kidOf returns the DID of a kid, which must be a DID URL with a fragment naming one
// verification method (VC-DM 1.1 §6.3.1: "the kid can refer to a key in a DID document").
func kidOf(kid string) (string, error) {
	if kid == "" {
		return "", malformed(nil, "no kid header")
	}
	d, fragment, err := did.ParseDIDURL(kid)
	if err != nil || fragment == "" {
		return "", malformed(err, "kid is not a DID URL with a fragment")
	}
	return d, nil
}

// verifySignature looks up the key of kid and verifies the JWS with internal/jose, then
// decodes the payload as a JSON object.
func verifySignature(ctx context.Context, compact, kid string, opts VerifyOptions) (map[string]any, error) {
	if opts.Key == nil {
		return nil, newError(ReasonKey, nil, "no key lookup configured")
	}
	pub, err := opts.Key(ctx, kid)
	if err != nil {
		return nil, newError(ReasonKey, err, "no key for kid")
	}
	payload, _, err := jose.Verify(compact, pub)
	if errors.Is(err, jose.ErrAlgorithm) {
		return nil, newError(ReasonSignature, err, "signature algorithm does not fit the key")
	}
	if err != nil {
		return nil, newError(ReasonSignature, err, "signature does not verify")
	}
	var claims map[string]any
	if err := json.Unmarshal(payload, &claims); err != nil || claims == nil {
		return nil, malformed(nil, "payload is not a JSON object")
	}
	return claims, nil
}

// checkValidity checks exp, nbf and iat against now, allowing skew either way.
func checkValidity(claims map[string]any, now time.Time, skew time.Duration) error {
	switch p, claim, at := jose.CheckTimes(claims, now, skew); p {
	case jose.TimeMalformed:
		return malformed(nil, "%s is not a NumericDate", claim)
	case jose.TimeExpired:
		return newError(ReasonExpired, nil, "expired at %s", at.UTC().Format(time.RFC3339))
	case jose.TimeNotYetValid:
		return newError(ReasonNotYetValid, nil, "not valid before %s", at.UTC().Format(time.RFC3339))
	case jose.TimeIssuedAhead:
		return newError(ReasonNotYetValid, nil, "issued in the future, at %s", at.UTC().Format(time.RFC3339))
	}
	return nil
}

// numericDate reads an RFC 7519 NumericDate claim (jose.NumericDate) with this package's
// error; ok is false when it is absent.
func numericDate(claims map[string]any, name string) (t time.Time, ok bool, err error) {
	t, ok, err = jose.NumericDate(claims, name)
	if err != nil {
		return time.Time{}, false, malformed(nil, "%s is not a NumericDate", name)
	}
	return t, ok, nil
}

// stringClaim reads a required, non-empty string claim.
func stringClaim(claims map[string]any, name string) (string, error) {
	s, ok := claims[name].(string)
	if !ok || s == "" {
		return "", malformed(nil, "%s is missing or not a string", name)
	}
	return s, nil
}

// optString reads an optional string claim; present but not a string is malformed.
func optString(m map[string]any, name string) (string, error) {
	v, present := m[name]
	if !present {
		return "", nil
	}
	s, ok := v.(string)
	if !ok {
		return "", malformed(nil, "%s is not a string", name)
	}
	return s, nil
}
