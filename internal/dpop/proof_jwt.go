package dpop

import (
	"bytes"
	"crypto"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"time"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/internal/jose"
)

// maxProofLen bounds the proof before anything is parsed. A proof with a P-384 jwk, a
// nonce and ath is well under 1 KiB.
const maxProofLen = 8 << 10

// algs is the local allow-list of RFC 9449 §4.3 (5); jose.Verify enforces the same list.
var algs = map[string]bool{"ES256": true, "ES384": true, "EdDSA": true}

// verifySignature runs the header checks of RFC 9449 §4.3 and returns the key in the jwk
// header and the verified payload.
func verifySignature(proof string) (crypto.PublicKey, []byte, error) {
	// §4.3 (2): "The DPoP HTTP request header field value is a single and well-formed JWT."
	if !isCompactJWS(proof) {
		return nil, nil, NewInvalidProof("the DPoP proof is not a compact JWT", nil)
	}
	hdr, err := jose.ParseHeader(proof)
	if err != nil {
		return nil, nil, NewInvalidProof("the DPoP proof is not a well-formed JWT", err)
	}
	// §4.3 (4): "The typ JOSE Header Parameter has the value dpop+jwt." (also §11.5)
	if hdr.Typ != ProofType {
		return nil, nil, NewInvalidProof("typ must be "+ProofType, nil)
	}
	// §4.3 (5): alg is a registered asymmetric algorithm, not none, supported and acceptable
	// per local policy; §4.2: "It MUST NOT be none or an identifier for a symmetric
	// algorithm"; §11.6.
	if !algs[hdr.Alg] {
		return nil, nil, NewInvalidProof("alg must be one of ES256, ES384, EdDSA", nil)
	}
	pub, err := headerKey(hdr)
	if err != nil {
		return nil, nil, err
	}
	// §4.3 (6): "The JWT signature verifies with the public key contained in the jwk JOSE
	// Header Parameter." jose.Verify also requires alg to fit the key type.
	payload, _, err := jose.Verify(proof, pub)
	if err != nil {
		return nil, nil, NewInvalidProof("the DPoP proof signature does not verify with its jwk", err)
	}
	return pub, payload, nil
}

// headerKey reads the jwk header (§4.2: "Represents the public key chosen by the client").
func headerKey(hdr jose.Header) (crypto.PublicKey, error) {
	v, ok := hdr.Raw["jwk"]
	if !ok || v == nil {
		return nil, NewInvalidProof("the jwk header is missing", nil)
	}
	data, err := json.Marshal(v)
	if err != nil {
		return nil, NewInvalidProof("the jwk header is not a JWK", err)
	}
	// §4.3 (7): "The jwk JOSE Header Parameter does not contain a private key." did.ParseJWK
	// refuses private members and key types other than P-256, P-384 and Ed25519.
	pub, err := did.ParseJWK(data)
	if errors.Is(err, did.ErrPrivateKeyMaterial) {
		return nil, NewInvalidProof("the jwk header contains a private key", err)
	}
	if err != nil {
		return nil, NewInvalidProof("the jwk header is not a supported public key", err)
	}
	return pub, nil
}

// isCompactJWS reports whether s has the JWS Compact Serialization shape: three base64url
// parts separated by dots (RFC 7515 §7.1). It keeps the JSON serialisation out.
func isCompactJWS(s string) bool {
	if len(s) == 0 || len(s) > maxProofLen || strings.Count(s, ".") != 2 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// maxJTILen bounds the jti. RFC 9449 §11.1: "a server that is tracking jti values should
// reject DPoP proof JWTs with unnecessarily large jti values". 96 random bits base64url are
// 16 characters, a UUID 36.
const maxJTILen = 256

// maxIAT keeps iat inside the range time.Unix handles exactly (about the year 36812).
const maxIAT = 1 << 40

// receivedClaims is the payload of a proof as received. Pointers tell absent from empty.
type receivedClaims struct {
	JTI   *string  `json:"jti"`
	HTM   *string  `json:"htm"`
	HTU   *string  `json:"htu"`
	IAT   *float64 `json:"iat"`
	Nonce *string  `json:"nonce"`
	ATH   *string  `json:"ath"`
}

// sentClaims is the payload New signs (RFC 9449 §4.2).
type sentClaims struct {
	JTI   string `json:"jti"`
	HTM   string `json:"htm"`
	HTU   string `json:"htu"`
	IAT   int64  `json:"iat"`
	Nonce string `json:"nonce,omitempty"`
	ATH   string `json:"ath,omitempty"`
}

// parseClaims reads the payload into a Proof (without key). §4.3 (3): "All required claims
// per Section 4.2 are contained in the JWT": jti, htm, htu and iat.
func parseClaims(payload []byte) (Proof, error) {
	var c receivedClaims
	if !bytes.HasPrefix(bytes.TrimSpace(payload), []byte("{")) {
		return Proof{}, NewInvalidProof("the DPoP proof payload is not a JSON object", nil)
	}
	if err := json.Unmarshal(payload, &c); err != nil {
		return Proof{}, NewInvalidProof("the DPoP proof claims are malformed", err)
	}
	required := []struct {
		name  string
		value *string
	}{{"jti", c.JTI}, {"htm", c.HTM}, {"htu", c.HTU}}
	for _, r := range required {
		if r.value == nil || *r.value == "" {
			return Proof{}, NewInvalidProof("the "+r.name+" claim is missing", nil)
		}
	}
	if c.IAT == nil || *c.IAT < 0 || *c.IAT >= maxIAT || math.IsNaN(*c.IAT) {
		return Proof{}, NewInvalidProof("the iat claim is missing or out of range", nil)
	}
	if len(*c.JTI) > maxJTILen {
		return Proof{}, NewInvalidProof("the jti claim is too long", nil)
	}
	return Proof{
		JTI:      *c.JTI,
		Method:   *c.HTM,
		URL:      *c.HTU,
		IssuedAt: numericDate(*c.IAT),
		Nonce:    deref(c.Nonce),
		ATH:      deref(c.ATH),
	}, nil
}

// numericDate converts a NumericDate (RFC 7519 §2), which may have a fraction, to a time.
func numericDate(v float64) time.Time {
	sec, frac := math.Modf(v)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC()
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
