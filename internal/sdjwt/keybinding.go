package sdjwt

import (
	"crypto"
	"crypto/subtle"
	"encoding/json"
	"time"

	"github.com/sociaaldomein/bewijs/internal/jose"
)

// kbTyp is the KB-JWT type. RFC 9901 §4.3: "typ: REQUIRED. MUST be kb+jwt".
const kbTyp = "kb+jwt"

// kbClaims is the KB-JWT payload of RFC 9901 §4.3.
type kbClaims struct {
	IssuedAt int64  `json:"iat"`
	Audience string `json:"aud"`
	Nonce    string `json:"nonce"`
	SDHash   string `json:"sd_hash"`
}

// signKeyBinding makes the KB-JWT for the presented SD-JWT (which ends with '~').
// RFC 9901 §4.3.1: "The sd_hash value MUST be taken over the US-ASCII bytes of the
// encoded SD-JWT ... The bytes of the digest MUST then be base64url-encoded."
func signKeyBinding(presented string, kb KeyBinding) (string, error) {
	iat := kb.IssuedAt
	if iat.IsZero() {
		iat = time.Now()
	}
	// RFC 9901 §4.3: aud "MUST be a single string"; nonce "MUST be a string".
	if kb.Audience == "" || kb.Nonce == "" {
		return "", newError(CodeKeyBinding, "key binding needs an audience and a nonce")
	}
	payload, err := json.Marshal(kbClaims{IssuedAt: iat.Unix(), Audience: kb.Audience, Nonce: kb.Nonce, SDHash: digestOf(presented)})
	if err != nil {
		return "", err
	}
	jwt, err := jose.Sign(payload, kb.Signer, map[string]any{"typ": kbTyp})
	if err != nil {
		return "", wrapError(CodeKeyBinding, "signing the KB-JWT", err)
	}
	return jwt, nil
}

// verifyKeyBinding is RFC 9901 §7.3 step 5 for the KB-JWT of s, with the holder key from
// cnf.jwk.
func (s *SDJWT) verifyKeyBinding(holder crypto.PublicKey, now time.Time, opts VerifyOptions) error {
	// Step 5.1: "Determine the public key for the Holder from the SD-JWT".
	if holder == nil {
		return newError(CodeKeyBinding, "the SD-JWT has no cnf.jwk to verify the KB-JWT with")
	}
	kb := s.parsed.kb
	if kb == nil || s.parsed.kbJWT != s.KeyBindingJWT {
		var err error
		if kb, err = jose.ParseJWS(s.KeyBindingJWT); err != nil {
			return wrapError(CodeKeyBinding, "KB-JWT", err)
		}
	}
	// Steps 5.2-5.3: an allowed algorithm that fits the holder key; the signature.
	if err := kb.Verify(holder); err != nil {
		return wrapError(CodeKeyBinding, "KB-JWT", err)
	}
	raw, err := kb.Payload()
	if err != nil {
		return wrapError(CodeKeyBinding, "KB-JWT", err)
	}
	// Step 5.4: "Check that the typ of the Key Binding JWT is kb+jwt".
	if kb.Header.Typ != kbTyp {
		return newError(CodeKeyBinding, "KB-JWT typ is %q, want %q", kb.Header.Typ, kbTyp)
	}
	claims, err := decodeObject(raw, DefaultLimits().MaxDepth)
	if err != nil {
		return wrapError(CodeKeyBinding, "KB-JWT payload", err)
	}
	if err := checkKBTime(claims, now, opts); err != nil {
		return err
	}
	// Step 5.6: "validating nonce and aud claims". RFC 9901 §4.3: aud "MUST be a single string".
	if !equalString(claims["aud"], opts.Audience) {
		return newError(CodeKeyBinding, "KB-JWT aud is not the expected audience")
	}
	if !equalString(claims["nonce"], opts.Nonce) {
		return newError(CodeKeyBinding, "KB-JWT nonce is not the expected nonce")
	}
	// Step 5.7: "Calculate the digest over the Issuer-signed JWT and Disclosures ... and
	// verify that it matches the value of the sd_hash claim". §4.3.1: "The same hash
	// algorithm as for the Disclosures MUST be used": sha-256, as checkSDAlg ensured.
	if !equalString(claims["sd_hash"], digestOf(s.presented())) {
		return newError(CodeKeyBinding, "KB-JWT sd_hash does not match the presented SD-JWT")
	}
	return nil
}

// checkKBTime is RFC 9901 §7.3 step 5.5: "Check that the creation time of the Key Binding
// JWT, as determined by the iat claim, is within an acceptable window": not older than
// KBMaxAge (plus skew), not later than now plus skew.
func checkKBTime(claims map[string]any, now time.Time, opts VerifyOptions) error {
	// RFC 9901 §4.3: "iat: REQUIRED".
	iat, ok, err := numericDate(claims, "iat")
	if err != nil || !ok {
		return newError(CodeKeyBinding, "KB-JWT has no valid iat")
	}
	if now.Add(opts.Skew).Before(iat) {
		return newError(CodeKeyBinding, "KB-JWT issued in the future, at %s", iat.UTC().Format(time.RFC3339))
	}
	if iat.Add(opts.KBMaxAge + opts.Skew).Before(now) {
		return newError(CodeKeyBinding, "KB-JWT is stale: issued at %s", iat.UTC().Format(time.RFC3339))
	}
	return nil
}

// equalString reports whether v is a string equal to want, in constant time. An empty
// want never matches: aud and nonce must be set by the verifier.
func equalString(v any, want string) bool {
	got, ok := v.(string)
	if !ok || want == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// sameKey reports whether two public keys are equal.
func sameKey(a, b crypto.PublicKey) bool {
	k, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && k.Equal(b)
}
