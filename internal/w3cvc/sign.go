package w3cvc

import (
	"encoding/json"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/internal/jose"
)

// SignJWT issues c as a JWT VC (VC-DM 1.1 §6.3.1, format jwt_vc_json), signed by s: header
// typ "JWT", kid s.KeyID (a DID URL of c.Issuer), alg from the key. The claims are iss, sub,
// jti, nbf, exp and iat, and the vc object, built and validated by aries, keeps issuer, id,
// issuanceDate and expirationDate too ("instead of, or in addition to": in addition, so a
// verifier that reads only the vc object sees the same credential).
func SignJWT(c Credential, s jose.Signer) (string, error) {
	if err := checkCredential(c); err != nil {
		return "", err
	}
	if err := checkSigner(s, c.Issuer); err != nil {
		return "", err
	}
	vc := toAries(c)
	if err := validateAries(vc); err != nil {
		return "", err
	}
	claims, err := credentialClaims(vc, c.IssuedAt)
	if err != nil {
		return "", err
	}
	return signClaims(claims, s)
}

// checkCredential refuses a credential that VC-DM 1.1 or a JWT cannot carry.
func checkCredential(c Credential) error {
	// VC-DM 1.1 §4.2: "The value of the id property MUST be a single URI."
	if !isURL(c.ID) {
		return malformed(nil, "credential id must be a URI")
	}
	if _, _, err := did.ParseDID(c.Issuer); err != nil {
		return malformed(err, "issuer must be a DID")
	}
	// VC-DM 1.1 §4.6: "A credential MUST have an issuanceDate property."
	if c.ValidFrom.IsZero() {
		return malformed(nil, "ValidFrom (issuanceDate) is required")
	}
	if !c.ValidUntil.IsZero() && !jwtTime(c.ValidUntil).After(jwtTime(c.ValidFrom)) {
		return malformed(nil, "ValidUntil must lie after ValidFrom")
	}
	if c.Subject != "" && !isURL(c.Subject) {
		return malformed(nil, "subject must be a URI")
	}
	if _, ok := c.Claims["id"]; ok {
		return malformed(errNoSubjectID, "claims hold an id")
	}
	for _, t := range c.Types {
		if t == "" {
			return malformed(nil, "empty type")
		}
	}
	return checkStatus(c.Status)
}

// checkSigner checks that the signer's kid is a DID URL of the DID that will be iss.
func checkSigner(s jose.Signer, iss string) error {
	if s.Key == nil {
		return malformed(nil, "signer has no key")
	}
	kidDID, err := kidOf(s.KeyID)
	if err != nil {
		return err
	}
	if kidDID != iss {
		return newError(ReasonIssuerMismatch, nil, "signer kid is not a key of %s", iss)
	}
	return nil
}

// signClaims encodes claims and signs them with typ "JWT" (VC-DM 1.1 §6.3.1: "typ, if
// present, MUST be set to JWT").
func signClaims(claims any, s jose.Signer) (string, error) {
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", malformed(err, "claims do not encode")
	}
	out, err := jose.Sign(payload, s, map[string]any{"typ": typJWT})
	if err != nil {
		return "", newError(ReasonSignature, err, "signing failed")
	}
	return out, nil
}
