package dpop

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"time"
)

// Defaults of VerifyOptions.
const (
	DefaultMaxAge = 5 * time.Minute
	DefaultSkew   = 60 * time.Second
)

// VerifyOptions says what the request that carried a proof looks like and what the server
// expects of the proof.
type VerifyOptions struct {
	Method      string // expected htm
	URL         string // expected htu (compared after NormalizeURL: scheme/host lowercase, default port dropped, no query or fragment)
	Now         func() time.Time
	MaxAge      time.Duration // iat not older than this (default 5m)
	Skew        time.Duration // iat not further in the future (default 60s)
	Nonce       string        // when non-empty the proof must carry exactly this nonce
	AccessToken string        // when non-empty, ath must be base64url(SHA-256(AccessToken))
	JKT         string        // when non-empty the proof key's thumbprint must equal it (token bound to this key)
}

// Verify checks one DPoP proof JWT as RFC 9449 §4.3 asks: typ dpop+jwt, alg ES256, ES384 or
// EdDSA (none and HMAC refused), a public jwk header whose key made the signature, jti, htm,
// htu and iat present, htm and htu matching the request, iat within [now-MaxAge, now+Skew],
// and, when the options ask for them, nonce, ath and the key binding (jkt).
//
// That the request carries exactly one DPoP header (§4.3 (1)) is the caller's to check, as is
// replay detection (§11.1): store Proof.JTI until Proof.IssuedAt+MaxAge and refuse it again.
// A server that accepts more than one recent nonce leaves opts.Nonce empty, checks
// Proof.Nonce itself and answers a miss with NewUseNonce.
//
// Errors are *Error with code invalid_dpop_proof, or use_dpop_nonce when opts.Nonce is set and
// the proof is otherwise valid but lacks that nonce. Options without Method or a valid URL
// give a plain error: that is the server's bug, not the client's.
func Verify(proof string, opts VerifyOptions) (Proof, error) {
	opts, wantURL, err := opts.withDefaults()
	if err != nil {
		return Proof{}, err
	}
	pub, payload, err := verifySignature(proof)
	if err != nil {
		return Proof{}, err
	}
	p, err := parseClaims(payload)
	if err != nil {
		return Proof{}, err
	}
	p.JWK = pub
	if p.JKT, err = Thumbprint(pub); err != nil {
		return Proof{}, NewInvalidProof("the jwk header has no thumbprint", err)
	}
	for _, check := range []func(Proof, VerifyOptions, string) error{checkRequest, checkTime, checkBinding, checkNonce} {
		if err := check(p, opts, wantURL); err != nil {
			return Proof{}, err
		}
	}
	return p, nil
}

// withDefaults fills in the clock and windows and normalises the expected URL.
func (o VerifyOptions) withDefaults() (VerifyOptions, string, error) {
	if o.Method == "" {
		return o, "", errors.New("dpop: VerifyOptions.Method is required")
	}
	want, err := NormalizeURL(o.URL)
	if err != nil {
		return o, "", fmt.Errorf("dpop: VerifyOptions.URL: %w", err)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.MaxAge <= 0 {
		o.MaxAge = DefaultMaxAge
	}
	if o.Skew <= 0 {
		o.Skew = DefaultSkew
	}
	return o, want, nil
}

// checkRequest compares htm and htu with the request.
func checkRequest(p Proof, opts VerifyOptions, wantURL string) error {
	// §4.3 (8): "The htm claim matches the HTTP method of the current request." Methods are
	// case-sensitive (RFC 9110 §9.1).
	if p.Method != opts.Method {
		return NewInvalidProof("htm does not match the request method", nil)
	}
	// §4.3 (9): "The htu claim matches the HTTP URI value for the HTTP request in which the
	// JWT was received, ignoring any query and fragment parts", after normalisation.
	got, err := NormalizeURL(p.URL)
	if err != nil {
		return NewInvalidProof("htu is not an absolute http(s) URI", err)
	}
	if got != wantURL {
		return NewInvalidProof("htu does not match the request URI", fmt.Errorf("htu %q, want %q", got, wantURL))
	}
	return nil
}

// checkTime: §4.3 (11): "The creation time of the JWT ... is within an acceptable window";
// §11.1: "servers MUST only accept DPoP proofs for a limited time after their creation" and
// "MAY accept DPoP proofs that carry an iat time in the reasonably near future".
func checkTime(p Proof, opts VerifyOptions, _ string) error {
	now := opts.Now()
	if p.IssuedAt.Before(now.Add(-opts.MaxAge)) {
		return NewInvalidProof("the DPoP proof is too old (iat)", fmt.Errorf("iat %s, now %s", p.IssuedAt, now))
	}
	if p.IssuedAt.After(now.Add(opts.Skew)) {
		return NewInvalidProof("the DPoP proof is issued in the future (iat)", fmt.Errorf("iat %s, now %s", p.IssuedAt, now))
	}
	return nil
}

// checkBinding: §4.3 (12): with an access token, "ensure that the value of the ath claim
// equals the hash of that access token, and confirm that the public key to which the access
// token is bound matches the public key from the DPoP proof" (also §6, §7, and §10 for
// dpop_jkt).
func checkBinding(p Proof, opts VerifyOptions, _ string) error {
	if opts.AccessToken != "" && !equal(p.ATH, AccessTokenHash(opts.AccessToken)) {
		return NewInvalidProof("ath is missing or does not match the access token", nil)
	}
	if opts.JKT != "" && !equal(p.JKT, opts.JKT) {
		return NewInvalidProof("the DPoP key is not the key the token is bound to", nil)
	}
	return nil
}

// checkNonce comes last, so use_dpop_nonce means the proof is good but for the nonce and a
// retry with the new nonce can succeed. §4.3 (10): "If the server provided a nonce value to
// the client, the nonce claim matches the server-provided nonce value"; §8: the server then
// answers use_dpop_nonce; §11.3: "A server MUST NOT accept any DPoP proofs without the nonce
// claim when a DPoP nonce has been provided to the client."
func checkNonce(p Proof, opts VerifyOptions, _ string) error {
	switch {
	case opts.Nonce == "":
		return nil
	case p.Nonce == "":
		return NewUseNonce("the server requires a nonce in the DPoP proof")
	case !equal(p.Nonce, opts.Nonce):
		return NewUseNonce("the DPoP proof nonce is not the current nonce")
	}
	return nil
}

func equal(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
