package w3cvc

import (
	"context"
	"maps"
	"time"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/internal/jose"
)

// Presentation is a W3C verifiable presentation as JWT (VC-DM 1.1 §6.3.1): the holder (an
// aanbieder's DID) presents JWT VCs to one verifier, bound to its nonce.
type Presentation struct {
	// ID is the presentation's id and the JWT jti (a urn:uuid); optional.
	ID string
	// Holder is the holder's DID (iss); the JWT is signed with one of its keys.
	Holder string
	// Audience is aud: the verifier the holder means the presentation for.
	Audience string
	// Nonce is the verifier's nonce, against replay.
	Nonce string
	// IssuedAt is iat and nbf; Expires is exp (zero: none).
	IssuedAt, Expires time.Time
	// Credentials are JWT VCs in compact form. ParsePresentationJWT returns them
	// unverified: verify each with ParseJWT.
	Credentials []string
}

// SignPresentationJWT signs p as a JWT VP, signed by s, whose kid must be a DID URL of
// p.Holder. VC-DM 1.1 §6.3.1: iss "MUST represent ... the holder property of a verifiable
// presentation", aud "MUST represent ... the intended audience", jti "MUST represent the id
// property"; the vp claim holds the presentation, built and validated by aries. Audience
// and Nonce are required: a presentation without them can be replayed to any verifier.
func SignPresentationJWT(p Presentation, s jose.Signer) (string, error) {
	if err := checkPresentation(p); err != nil {
		return "", err
	}
	if err := checkSigner(s, p.Holder); err != nil {
		return "", err
	}
	claims, err := presentationClaims(p)
	if err != nil {
		return "", err
	}
	return signClaims(claims, s)
}

// checkPresentation refuses a presentation that VC-DM 1.1 or a JWT cannot carry.
func checkPresentation(p Presentation) error {
	if _, _, err := did.ParseDID(p.Holder); err != nil {
		return malformed(err, "holder must be a DID")
	}
	if p.ID != "" && !isURL(p.ID) {
		return malformed(nil, "presentation id must be a URI")
	}
	if p.Audience == "" || p.Nonce == "" {
		return malformed(nil, "audience and nonce are required")
	}
	if p.IssuedAt.IsZero() {
		return malformed(nil, "IssuedAt is required")
	}
	if !p.Expires.IsZero() && !jwtTime(p.Expires).After(jwtTime(p.IssuedAt)) {
		return malformed(nil, "Expires must lie after IssuedAt")
	}
	for _, c := range p.Credentials {
		if _, err := jose.ParseHeader(c); err != nil {
			return malformed(err, "credential is not a compact JWS")
		}
	}
	return nil
}

// ParsePresentationJWT verifies a JWT VP: the holder's signature (kid a DID URL of iss),
// typ, alg, and exp, nbf and iat with opts.Now and opts.Skew, then decodes the vp claim
// (VC-DM 1.1 §6.3.1 "JWT Decoding": iss sets holder, jti sets id) and validates it with
// aries against the VC Data Model 1.1 presentation schema. The caller compares Audience and
// Nonce with its own, and verifies each of Credentials with ParseJWT.
func ParsePresentationJWT(ctx context.Context, jwt string, opts VerifyOptions) (Presentation, error) {
	claims, err := verifyJWT(ctx, jwt, opts)
	if err != nil {
		return Presentation{}, err
	}
	obj, err := presentationObject(claims)
	if err != nil {
		return Presentation{}, err
	}
	p, err := parseVPObject(obj)
	if err != nil {
		return Presentation{}, err
	}
	if iss, _ := claims["iss"].(string); p.Holder != iss {
		return Presentation{}, newError(ReasonIssuerMismatch, nil, "holder differs from iss")
	}
	if p.Audience, err = audienceOf(claims); err != nil {
		return Presentation{}, err
	}
	if p.Nonce, err = optString(claims, "nonce"); err != nil {
		return Presentation{}, err
	}
	p.IssuedAt, _, _ = numericDate(claims, "iat")
	p.Expires, _, _ = numericDate(claims, "exp")
	return p, nil
}

// presentationObject builds the presentation from the verified claims (§6.3.1 "JWT
// Decoding"): "Add the content from the ... vp claim to the new JSON object"; "If iss is
// present, the value MUST be used to set ... the holder property"; "If jti is present, the
// value MUST be used to set the value of the id property".
func presentationObject(claims map[string]any) (map[string]any, error) {
	// §6.3.1: "vp: JSON object, which MUST be present in a JWT verifiable presentation."
	vp, ok := claims["vp"].(map[string]any)
	if !ok {
		return nil, malformed(nil, "vp claim is missing or not an object")
	}
	obj := maps.Clone(vp)
	iss, _ := claims["iss"].(string)
	if h, present := obj["holder"]; present && h != iss {
		return nil, newError(ReasonIssuerMismatch, nil, "vp holder differs from iss")
	}
	obj["holder"] = iss
	jti, err := optString(claims, "jti")
	if err != nil {
		return nil, err
	}
	return obj, setString(obj, "id", jti)
}

// audienceOf reads aud: RFC 7519 §4.1.3 allows a string or an array of strings; a
// presentation is for one verifier, so an array must have exactly one.
func audienceOf(claims map[string]any) (string, error) {
	switch v := claims["aud"].(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	case []any:
		if len(v) == 1 {
			if s, ok := v[0].(string); ok {
				return s, nil
			}
		}
	}
	return "", malformed(nil, "aud must be one string")
}
