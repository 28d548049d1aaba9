package w3cvc

import (
	"context"
	"maps"
	"time"
)

// ParseJWT verifies a JWT VC and returns its credential. The signature is checked by
// internal/jose with the key opts.Key returns for the kid, which must be a DID URL of iss;
// typ, if present, must be "JWT"; alg must be ES256, ES384 or EdDSA; exp, nbf and iat are
// checked against opts.Now with opts.Skew. The vc object is then decoded as VC-DM 1.1
// §6.3.1 "JWT Decoding" says, validated by aries against the VC Data Model 1.1 JSON schema
// (JSON-LD is not processed, no proof check: the JWS is the proof), and mapped to a
// Credential. Errors are *Error values.
//
// A credentialStatus is returned, not checked: the caller fetches the list credential (with
// ParseJWT) and looks the index up (DecodeBitstring, BitAt).
func ParseJWT(ctx context.Context, jwt string, opts VerifyOptions) (Credential, error) {
	claims, err := verifyJWT(ctx, jwt, opts)
	if err != nil {
		return Credential{}, err
	}
	obj, err := credentialObject(claims)
	if err != nil {
		return Credential{}, err
	}
	vc, err := parseVCObject(obj)
	if err != nil {
		return Credential{}, err
	}
	c, err := fromAries(vc)
	if err != nil {
		return Credential{}, err
	}
	if iat, ok, _ := numericDate(claims, "iat"); ok {
		c.IssuedAt = iat
	}
	return c, sameAsClaims(c, claims)
}

// sameAsClaims checks that what aries returned says what credentialObject set from the
// claims: aries must never substitute another credential for the one that was signed.
func sameAsClaims(c Credential, claims map[string]any) error {
	if iss, _ := claims["iss"].(string); c.Issuer != iss {
		return newError(ReasonIssuerMismatch, nil, "issuer differs from iss")
	}
	if jti, _ := claims["jti"].(string); jti != "" && c.ID != jti {
		return malformed(nil, "id differs from jti")
	}
	if sub, _ := claims["sub"].(string); sub != "" && c.Subject != sub {
		return malformed(nil, "credentialSubject id differs from sub")
	}
	return nil
}

// credentialObject builds the credential from the verified claims, VC-DM 1.1 §6.3.1 "JWT
// Decoding": "Add the content from the vc ... claim to the new JSON object" and "Transform
// the remaining JWT specific headers and claims". The registered claims MUST be used
// "instead of, or in addition to" their counterparts; when both are there they must agree,
// so a credential never reads differently to a verifier that looks only at the vc object.
func credentialObject(claims map[string]any) (map[string]any, error) {
	// §6.3.1: "vc: JSON object, which MUST be present in a JWT verifiable credential."
	vc, ok := claims["vc"].(map[string]any)
	if !ok {
		return nil, malformed(nil, "vc claim is missing or not an object")
	}
	obj := maps.Clone(vc)
	iss, _ := claims["iss"].(string) // verifyJWT checked it
	// "If iss is present, the value MUST be used to set the issuer property".
	if err := setIssuer(obj, iss); err != nil {
		return nil, err
	}
	// "If nbf is present, the UNIX timestamp MUST be converted to an [XMLSCHEMA11-2]
	// date-time, and MUST be used to set the value of the issuanceDate property".
	if err := setDate(obj, claims, "nbf", "issuanceDate"); err != nil {
		return nil, err
	}
	// "If exp is present ... MUST be used to set the value of the expirationDate property".
	if err := setDate(obj, claims, "exp", "expirationDate"); err != nil {
		return nil, err
	}
	// "If sub is present, the value MUST be used to set the value of the id property of
	// credentialSubject".
	if err := setSubject(obj, claims); err != nil {
		return nil, err
	}
	// "If jti is present, the value MUST be used to set the value of the id property".
	jti, err := optString(claims, "jti")
	if err != nil {
		return nil, err
	}
	return obj, setString(obj, "id", jti)
}

// setIssuer sets issuer to iss; an issuer already there (a string, or an object's id) must
// be iss.
func setIssuer(obj map[string]any, iss string) error {
	switch v := obj["issuer"].(type) {
	case nil:
		obj["issuer"] = iss
	case string:
		if v != iss {
			return newError(ReasonIssuerMismatch, nil, "vc issuer differs from iss")
		}
	case map[string]any:
		if id, _ := v["id"].(string); id != iss {
			return newError(ReasonIssuerMismatch, nil, "vc issuer id differs from iss")
		}
	default:
		return malformed(nil, "vc issuer is neither a string nor an object")
	}
	return nil
}

// setDate sets the date-time property prop from the NumericDate claim; a value already there
// must be the same second.
func setDate(obj, claims map[string]any, claim, prop string) error {
	t, ok, err := numericDate(claims, claim)
	if err != nil || !ok {
		return err
	}
	if v, present := obj[prop]; present {
		s, isString := v.(string)
		have, err := time.Parse(time.RFC3339, s)
		if !isString || err != nil {
			return malformed(err, "%s is not a date-time", prop)
		}
		if have.Unix() != t.Unix() {
			return malformed(nil, "%s differs from %s", prop, claim)
		}
	}
	obj[prop] = t.Format(time.RFC3339)
	return nil
}

// setSubject sets credentialSubject.id from sub.
func setSubject(obj, claims map[string]any) error {
	sub, err := optString(claims, "sub")
	if err != nil || sub == "" {
		return err
	}
	cs, ok := obj["credentialSubject"].(map[string]any)
	if !ok {
		return malformed(nil, "sub without a credentialSubject object")
	}
	cs = maps.Clone(cs)
	if err := setString(cs, "id", sub); err != nil {
		return err
	}
	obj["credentialSubject"] = cs
	return nil
}

// setString sets obj[name] to v when v is not empty; a value already there must be v.
func setString(obj map[string]any, name, v string) error {
	if v == "" {
		return nil
	}
	if have, present := obj[name]; present && have != v {
		return malformed(nil, "%s differs from its JWT claim", name)
	}
	obj[name] = v
	return nil
}
