package verifier

import (
	"context"
	"crypto"
	"slices"
	"time"

	"github.com/sociaaldomein/bewijs/internal/sdjwt"
)

// TypSDJWTVC is the typ of the Issuer-signed JWT of an SD-JWT VC.
const TypSDJWTVC = "dc+sd-jwt"

// VerifyPresentation verifies one SD-JWT VC presentation (an SD-JWT+KB) against opts and
// returns the credential it carries. opts.Query is not consulted; VerifyVPToken does that.
//
// SD-JWT VC draft -16 §2.4: "The recipient (Holder or Verifier) of an SD-JWT VC MUST
// process and verify an SD-JWT VC as described in Section 7 of RFC9901."
func (v *Verifier) VerifyPresentation(ctx context.Context, presentation string, opts Options) (Credential, error) {
	opts = opts.withDefaults()
	if err := checkRequest(opts); err != nil {
		return Credential{}, err
	}
	now := opts.Now()
	sd, err := parsePresentation(presentation, opts.MaxPresentationBytes)
	if err != nil {
		return Credential{}, err
	}
	ik, err := v.issuerKeyFor(ctx, sd.Header.Kid, now)
	if err != nil {
		return Credential{}, err
	}
	verified, err := verifySDJWT(sd, presentation, ik.key, opts, now)
	if err != nil {
		return Credential{}, err
	}
	cred, err := credentialOf(verified, ik.did)
	if err != nil {
		return Credential{}, err
	}
	if err := checkVCT(cred.VCT, opts.KnownVCTs); err != nil {
		return Credential{}, err
	}
	// Trust comes before status: the status list URI is the issuer's choice, and an
	// untrusted issuer must not make this verifier fetch anything.
	if cred.TrustReasons, err = v.checkTrust(ctx, cred.Issuer, cred.VCT); err != nil {
		return Credential{}, err
	}
	if cred.Status, err = v.checkStatus(ctx, verified.Claims, ik.did, now, opts.Skew); err != nil {
		return Credential{}, err
	}
	return cred, nil
}

// checkRequest refuses Options that cannot bind a presentation to a request. RFC 9901
// §7.3 step 5.6 checks nonce and aud "against the expected values"; without them every
// KB-JWT would be refused for a reason that is not the wallet's.
func checkRequest(opts Options) error {
	if opts.Audience == "" || opts.Nonce == "" {
		return newFailure(ReasonInvalidRequest, nil, "the request has no audience or no nonce")
	}
	return nil
}

// parsePresentation applies the size limit, parses the SD-JWT+KB and checks typ.
func parsePresentation(presentation string, maxBytes int) (*sdjwt.SDJWT, error) {
	if len(presentation) > maxBytes {
		return nil, newFailure(ReasonTooLarge, nil, "the presentation of %d bytes exceeds the limit of %d", len(presentation), maxBytes)
	}
	sd, err := sdjwt.ParseWithLimits(presentation, sdjwt.Limits{MaxBytes: maxBytes})
	if err != nil {
		return nil, newFailure(ReasonMalformed, err, "the presentation is not an SD-JWT")
	}
	// SD-JWT VC draft -16 §2.2.1: "The Issuer MUST include the typ header parameter in the
	// SD-JWT. The typ value MUST use dc+sd-jwt." The header is not yet verified here, but
	// the signature checked next covers it.
	if sd.Header.Typ != TypSDJWTVC {
		return nil, newFailure(ReasonTyp, nil, "the credential typ is not %s", TypSDJWTVC)
	}
	return sd, nil
}

// verifySDJWT runs RFC 9901 §7.1 and §7.3 (sdjwt.Verify) with key binding required, and
// turns its error codes into Reasons.
func verifySDJWT(sd *sdjwt.SDJWT, presentation string, key crypto.PublicKey, opts Options, now time.Time) (sdjwt.Verified, error) {
	vo := sdjwt.VerifyOptions{
		Now:  func() time.Time { return now },
		Skew: opts.Skew,
		// OpenID4VP 1.0 B.3.6 and §6.1 require_cryptographic_holder_binding (default true):
		// bewijs always asks for holder binding, so a KB-JWT is always required.
		RequireKeyBinding: true,
		Audience:          opts.Audience,
		Nonce:             opts.Nonce,
		KBMaxAge:          opts.KBMaxAge,
	}
	verified, err := sd.Verify(key, vo)
	if err == nil {
		return verified, nil
	}
	switch sdjwt.CodeOf(err) {
	case sdjwt.CodeSignature:
		return sdjwt.Verified{}, newFailure(ReasonSignature, err, "the issuer signature does not verify")
	case sdjwt.CodeExpired:
		return sdjwt.Verified{}, newFailure(ReasonExpired, err, "the credential has expired")
	case sdjwt.CodeNotYetValid:
		return sdjwt.Verified{}, newFailure(ReasonNotYetValid, err, "the credential is not yet valid")
	case sdjwt.CodeDigest:
		return sdjwt.Verified{}, newFailure(ReasonDisclosure, err, "a disclosure does not belong to the credential or is repeated")
	case sdjwt.CodeKeyBinding:
		return sdjwt.Verified{}, keyBindingFailure(sd, presentation, key, vo, err)
	}
	return sdjwt.Verified{}, newFailure(ReasonMalformed, err, "the credential is malformed")
}

// checkVCT: the vct must be a type this verifier accepts.
func checkVCT(vct string, known []string) error {
	if !slices.Contains(known, vct) {
		return newFailure(ReasonUnknownVCT, nil, "the credential type is not accepted here")
	}
	return nil
}

// checkTrust asks the trust policy whether issuer may issue vct, and returns its reasons.
func (v *Verifier) checkTrust(ctx context.Context, issuer, vct string) ([]string, error) {
	if v.trust == nil {
		return nil, newFailure(ReasonUntrustedIssuer, nil, "no trust policy is configured")
	}
	ok, reasons, err := v.trust.Trusted(ctx, issuer, vct)
	if err != nil {
		return nil, newFailure(ReasonTrustUnavailable, err, "the trust policy could not be evaluated")
	}
	if !ok {
		return nil, newFailure(ReasonUntrustedIssuer, nil, "the issuer is not trusted for this credential type: %s", joinReasons(reasons))
	}
	return reasons, nil
}

func joinReasons(reasons []string) string {
	if len(reasons) == 0 {
		return "no reason given"
	}
	out := reasons[0]
	for _, r := range reasons[1:] {
		out += "; " + r
	}
	return out
}
