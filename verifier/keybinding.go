package verifier

import (
	"crypto"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"math"
	"strings"
	"time"

	"github.com/sociaaldomein/bewijs/internal/jose"
	"github.com/sociaaldomein/bewijs/internal/sdjwt"
)

// kbTyp is the KB-JWT type. RFC 9901 §4.3: "typ: REQUIRED. MUST be kb+jwt".
const kbTyp = "kb+jwt"

// keyBindingFailure picks the Reason of a key binding error of sdjwt.Verify, which uses
// one code for all of them. sdjwt checks the KB-JWT last, so the Issuer-signed JWT, the
// disclosures and the validity period are fine here; this repeats the RFC 9901 §7.3 step 5
// checks in the same order to find the first that fails. It runs only on failure.
func keyBindingFailure(sd *sdjwt.SDJWT, presentation string, issuerKey crypto.PublicKey, vo sdjwt.VerifyOptions, cause error) *Failure {
	// RFC 9901 §7.3 step 2: "If Key Binding is required and the Holder has provided an
	// SD-JWT (without Key Binding), the Verifier MUST reject the presentation."
	if sd.KeyBindingJWT == "" {
		return newFailure(ReasonKeyBindingMissing, cause, "the presentation has no key binding JWT")
	}
	holder := holderKeyOf(sd, issuerKey, vo)
	if holder == nil {
		return newFailure(ReasonKeyBinding, cause, "the credential has no cnf.jwk to bind it to a holder")
	}
	// Steps 5.2-5.4: signature by the cnf.jwk key, typ kb+jwt.
	raw, hdr, err := jose.Verify(sd.KeyBindingJWT, holder)
	if err != nil {
		return newFailure(ReasonKeyBinding, cause, "the key binding JWT is not signed by the holder key")
	}
	if hdr.Typ != kbTyp {
		return newFailure(ReasonKeyBinding, cause, "the key binding JWT typ is not %s", kbTyp)
	}
	return kbClaimsFailure(raw, presentation, vo, cause)
}

// kbClaims is the KB-JWT payload of RFC 9901 §4.3, values as decoded.
type kbClaims struct {
	IssuedAt any `json:"iat"`
	Audience any `json:"aud"`
	Nonce    any `json:"nonce"`
	SDHash   any `json:"sd_hash"`
}

// kbClaimsFailure checks the claims of a KB-JWT whose signature verified (RFC 9901 §7.3
// steps 5.5 to 5.7) and names the first that is wrong.
func kbClaimsFailure(raw []byte, presentation string, vo sdjwt.VerifyOptions, cause error) *Failure {
	var kb kbClaims
	if err := json.Unmarshal(raw, &kb); err != nil {
		return newFailure(ReasonKeyBinding, cause, "the key binding JWT payload is not a JSON object")
	}
	if f := checkKBIssuedAt(kb.IssuedAt, vo.Now(), vo); f != nil {
		f.Err = cause
		return f
	}
	// Step 5.6: "validating nonce and aud claims"; OpenID4VP 1.0 B.3.6: aud is the Client
	// Identifier, nonce the nonce of the Authorization Request.
	if !sameString(kb.Audience, vo.Audience) {
		return newFailure(ReasonAudience, cause, "the key binding JWT is meant for another verifier")
	}
	if !sameString(kb.Nonce, vo.Nonce) {
		return newFailure(ReasonNonce, cause, "the key binding JWT nonce is not the nonce of the request")
	}
	// Step 5.7: sd_hash over the Issuer-signed JWT and the Disclosures, up to and including
	// the last '~' (§4.3.1).
	presented := presentation[:strings.LastIndexByte(presentation, '~')+1]
	sum := sha256.Sum256([]byte(presented))
	if !sameString(kb.SDHash, base64.RawURLEncoding.EncodeToString(sum[:])) {
		return newFailure(ReasonSDHash, cause, "the key binding JWT sd_hash does not match the presented credential")
	}
	return newFailure(ReasonKeyBinding, cause, "the key binding JWT is invalid")
}

// holderKeyOf verifies the SD-JWT again without its KB-JWT to read cnf.jwk from the
// verified payload; nil if there is none.
func holderKeyOf(sd *sdjwt.SDJWT, issuerKey crypto.PublicKey, vo sdjwt.VerifyOptions) crypto.PublicKey {
	bare := *sd
	bare.KeyBindingJWT = ""
	vo.RequireKeyBinding = false
	v, err := bare.Verify(issuerKey, vo)
	if err != nil {
		return nil
	}
	return v.HolderKey
}

// checkKBIssuedAt is RFC 9901 §7.3 step 5.5: "Check that the creation time of the Key
// Binding JWT, as determined by the iat claim, is within an acceptable window": not older
// than KBMaxAge (plus skew), not later than now plus skew. §4.3: "iat: REQUIRED".
func checkKBIssuedAt(v any, now time.Time, vo sdjwt.VerifyOptions) *Failure {
	f, ok := v.(float64)
	if !ok || math.IsNaN(f) || math.Abs(f) > 1<<53 {
		return newFailure(ReasonKeyBinding, nil, "the key binding JWT has no valid iat")
	}
	iat := time.Unix(int64(f), 0)
	if now.Add(vo.Skew).Before(iat) {
		return newFailure(ReasonStale, nil, "the key binding JWT is issued in the future")
	}
	if iat.Add(vo.KBMaxAge + vo.Skew).Before(now) {
		return newFailure(ReasonStale, nil, "the key binding JWT is older than %s", vo.KBMaxAge)
	}
	return nil
}

// sameString reports whether v is a string equal to want, in constant time.
func sameString(v any, want string) bool {
	got, ok := v.(string)
	return ok && want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
