package sdjwt

import (
	"crypto"
	"encoding/json"
	"time"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/internal/jose"
)

// VerifyOptions are the verifier's policy for one SD-JWT.
type VerifyOptions struct {
	Now  func() time.Time // nil: time.Now
	Skew time.Duration    // allowed clock skew for iat/nbf/exp and KB iat (0: 60s)
	// Key binding: when RequireKeyBinding, a KB-JWT must be present: typ "kb+jwt", signed by the cnf.jwk of the issuer JWT,
	// aud == Audience, nonce == Nonce, iat within KBMaxAge (default 5m) and not in the future beyond Skew,
	// sd_hash == base64url(sha-256(presented SD-JWT up to and including the last '~' before the KB-JWT)).
	// A KB-JWT that is present is checked in the same way even when it is not required.
	RequireKeyBinding bool
	Audience          string
	Nonce             string
	KBMaxAge          time.Duration
}

// Verified is the outcome of a successful Verify.
type Verified struct {
	Header    jose.Header
	Claims    map[string]any   // processed payload: disclosed claims put in place, _sd and _sd_alg and "..." entries removed, undisclosed members absent
	Disclosed []Disclosure     // those that were presented
	HolderKey crypto.PublicKey // from cnf.jwk, nil if absent
	KeyBound  bool
}

const (
	defaultSkew     = 60 * time.Second
	defaultKBMaxAge = 5 * time.Minute
)

func (o VerifyOptions) withDefaults() VerifyOptions {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Skew <= 0 {
		o.Skew = defaultSkew
	}
	if o.KBMaxAge <= 0 {
		o.KBMaxAge = defaultKBMaxAge
	}
	return o
}

// Verify checks the SD-JWT as RFC 9901 §7.1 and §7.3 prescribe: the issuer signature with
// issuerKey, _sd_alg, every disclosure's digest, exp/nbf/iat, and the key binding per
// opts. It does not check typ (the caller does, from Verified.Header) nor the issuer's
// identity; the caller chose issuerKey for the issuer it trusts.
func (s *SDJWT) Verify(issuerKey crypto.PublicKey, opts VerifyOptions) (Verified, error) {
	opts = opts.withDefaults()
	// RFC 9901 §7.1 step 2.1-2.2: "The none algorithm MUST NOT be accepted"; validate the
	// signature per RFC 7515 §5.2. jose.Verify allows only ES256, ES384 and EdDSA.
	payload, hdr, err := s.verifiedPayload(issuerKey)
	if err != nil {
		return Verified{}, err
	}
	if err := checkSDAlg(payload); err != nil {
		return Verified{}, err
	}
	res, err := process(payload, s.Disclosures)
	if err != nil {
		return Verified{}, err
	}
	now := opts.Now()
	if err := checkValidity(res.claims, now, opts.Skew); err != nil {
		return Verified{}, err
	}
	holder, err := holderKey(res.claims)
	if err != nil {
		return Verified{}, err
	}
	out := Verified{Header: hdr, Claims: res.claims, Disclosed: s.Disclosures, HolderKey: holder}
	// RFC 9901 §7.3 step 2: "If Key Binding is required and the Holder has provided an
	// SD-JWT (without Key Binding), the Verifier MUST reject the presentation."
	if s.KeyBindingJWT == "" {
		if opts.RequireKeyBinding {
			return Verified{}, newError(CodeKeyBinding, "key binding is required but no KB-JWT was presented")
		}
		return out, nil
	}
	if err := s.verifyKeyBinding(holder, now, opts); err != nil {
		return Verified{}, err
	}
	out.KeyBound = true
	return out, nil
}

// verifiedPayload verifies the Issuer-signed JWT with issuerKey and returns its decoded
// payload and header: those Parse decoded if IssuerJWT is still what Parse saw, else
// decoded anew. The payload is shared with s; process copies what it returns.
func (s *SDJWT) verifiedPayload(issuerKey crypto.PublicKey) (map[string]any, jose.Header, error) {
	if p := s.parsed; p.issuer != nil && p.payload != nil && p.issuerJWT == s.IssuerJWT {
		if err := p.issuer.Verify(issuerKey); err != nil {
			return nil, jose.Header{}, wrapError(CodeSignature, "issuer-signed JWT", err)
		}
		return p.payload, p.issuer.Header, nil
	}
	raw, hdr, err := jose.Verify(s.IssuerJWT, issuerKey)
	if err != nil {
		return nil, jose.Header{}, wrapError(CodeSignature, "issuer-signed JWT", err)
	}
	payload, err := decodeObject(raw, DefaultLimits().MaxDepth)
	if err != nil {
		return nil, jose.Header{}, wrapError(CodeMalformed, "issuer-signed JWT payload", err)
	}
	return payload, hdr, nil
}

// checkSDAlg: RFC 9901 §7.1 step 2.5 "Check that the _sd_alg claim value is understood
// and the hash algorithm is deemed secure"; §4.1.1: without it, sha-256 is used.
func checkSDAlg(payload map[string]any) error {
	alg, ok := payload[sdAlgKey]
	if !ok {
		return nil
	}
	if s, isString := alg.(string); !isString || s != hashAlg {
		return newError(CodeUnsupported, "_sd_alg %v is not sha-256", alg)
	}
	return nil
}

// checkValidity is RFC 9901 §7.1 step 6: "Check that the SD-JWT is valid using claims
// such as nbf, exp, and aud in the processed payload, if present." aud is the caller's
// to check; iat may lie in the future by at most skew (RFC 7519 §4.1.6).
func checkValidity(claims map[string]any, now time.Time, skew time.Duration) error {
	switch p, claim, at := jose.CheckTimes(claims, now, skew); p {
	case jose.TimeMalformed:
		return newError(CodeMalformed, "%s is not a NumericDate", claim)
	case jose.TimeExpired:
		return newError(CodeExpired, "expired at %s", at.UTC().Format(time.RFC3339))
	case jose.TimeNotYetValid:
		return newError(CodeNotYetValid, "not valid before %s", at.UTC().Format(time.RFC3339))
	case jose.TimeIssuedAhead:
		return newError(CodeNotYetValid, "issued in the future, at %s", at.UTC().Format(time.RFC3339))
	}
	return nil
}

// numericDate reads an RFC 7519 NumericDate claim (jose.NumericDate) with this package's
// error; ok is false when it is absent.
func numericDate(claims map[string]any, name string) (t time.Time, ok bool, err error) {
	t, ok, err = jose.NumericDate(claims, name)
	if err != nil {
		return time.Time{}, false, newError(CodeMalformed, "%s is not a NumericDate", name)
	}
	return t, ok, nil
}

// holderKey is the key of cnf.jwk (RFC 7800 §3.2, RFC 9901 §4.1.2), nil without cnf.jwk.
// It accepts what did.ParseJWK accepts; the common JWKs are converted directly
// (publicJWKOf), anything else goes through did.ParseJWK.
func holderKey(claims map[string]any) (crypto.PublicKey, error) {
	cnf, ok := claims["cnf"]
	if !ok {
		return nil, nil
	}
	obj, ok := cnf.(map[string]any)
	if !ok {
		return nil, newError(CodeMalformed, "cnf is not an object")
	}
	jwk, ok := obj["jwk"]
	if !ok {
		return nil, nil
	}
	if members, isObject := jwk.(map[string]any); isObject {
		if pub, ok := publicJWKOf(members); ok {
			return pub, nil
		}
	}
	raw, err := json.Marshal(jwk)
	if err != nil {
		return nil, newError(CodeMalformed, "cnf.jwk: %v", err)
	}
	pub, err := did.ParseJWK(raw)
	if err != nil {
		return nil, wrapError(CodeMalformed, "cnf.jwk", err)
	}
	return pub, nil
}
