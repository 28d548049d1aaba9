package verifier

import (
	"math"
	"time"

	"github.com/sociaaldomein/bewijs/internal/jose"
	"github.com/sociaaldomein/bewijs/internal/sdjwt"
)

// Status values of Credential.Status (Token Status List draft -20 §7.1 names, lower case).
// Only StatusValid is ever returned: the others fail verification.
const (
	StatusValid     = "valid"
	StatusInvalid   = "invalid"
	StatusSuspended = "suspended"
)

// Credential is one verified credential.
type Credential struct {
	// QueryID is the DCQL Credential Query the presentation answered ("" from VerifyPresentation).
	QueryID string
	// Issuer is the iss claim: the DID whose key signed the credential.
	Issuer string
	VCT    string
	// Claims is the processed payload (RFC 9901 §7.1): the claims that are always visible
	// (iss, vct, iat, nbf, exp, cnf, status and the issuer's plain claims) and the disclosed
	// ones, in place; undisclosed claims are absent. Numbers are float64.
	Claims map[string]any
	// Status is StatusValid.
	Status string
	// ExpiresAt is the exp claim; zero if the credential has none.
	ExpiresAt time.Time
	// HolderKeyThumbprint is the RFC 7638 SHA-256 thumbprint of cnf.jwk, base64url: the key
	// that signed the KB-JWT.
	HolderKeyThumbprint string
	// TrustReasons are the trust policy's reasons for accepting the issuer for this vct.
	TrustReasons []string
}

// Result is the outcome of VerifyVPToken: every credential, ordered by Credential Query id
// and then by position in the vp_token.
type Result struct {
	Credentials []Credential
}

// credentialOf builds the Credential of a verified SD-JWT whose key belongs to issuerDID.
func credentialOf(v sdjwt.Verified, issuerDID string) (Credential, error) {
	// bewijs' key discovery (see issuerKeyFor): the DID of the kid is the issuer. RFC 9901
	// §7.1 step 2.3: "Validate the Issuer and that the signing key belongs to this Issuer."
	iss, _ := v.Claims["iss"].(string)
	if iss != issuerDID {
		return Credential{}, newFailure(ReasonIssuerMismatch, nil, "the iss claim is not the DID of the signing key")
	}
	// SD-JWT VC draft -16 §2.2.2.1: "vct: REQUIRED."
	vct, _ := v.Claims["vct"].(string)
	if vct == "" {
		return Credential{}, newFailure(ReasonUnknownVCT, nil, "the credential has no vct")
	}
	// RFC 9901 §7.3 step 5.1: the KB-JWT was verified with cnf.jwk, so a key is there.
	tp, err := jose.Thumbprint(v.HolderKey)
	if err != nil {
		return Credential{}, newFailure(ReasonKeyBinding, err, "the holder key has no thumbprint")
	}
	return Credential{
		Issuer:              iss,
		VCT:                 vct,
		Claims:              v.Claims,
		ExpiresAt:           expiry(v.Claims),
		HolderKeyThumbprint: tp,
	}, nil
}

// expiry reads exp, which sdjwt.Verify has already checked to be a NumericDate.
func expiry(claims map[string]any) time.Time {
	f, ok := claims["exp"].(float64)
	if !ok {
		return time.Time{}
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC()
}
