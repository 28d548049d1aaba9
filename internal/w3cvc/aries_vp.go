package w3cvc

import (
	"encoding/json"

	josejwt "github.com/go-jose/go-jose/v3/jwt"
	"github.com/hyperledger/aries-framework-go/pkg/doc/verifiable"
)

// This file is the boundary to aries' verifiable package for presentations.

// ariesPresentationOpts makes aries check a vp object against the VC Data Model 1.1
// presentation schema only: no proof check (the JWS is the proof; embedded JWT VCs are
// decoded, not verified), no JSON-LD processing.
func ariesPresentationOpts() []verifiable.PresentationOpt {
	return []verifiable.PresentationOpt{
		verifiable.WithPresDisabledProofCheck(),
		verifiable.WithDisabledJSONLDChecks(),
	}
}

// vpClaims are aries' JWT claims of a presentation plus the nonce, which aries has no
// field for.
type vpClaims struct {
	*verifiable.JWTPresClaims
	Nonce string `json:"nonce,omitempty"`
}

// presentationClaims builds the presentation with aries, validates it as a verifier will,
// and returns its JWT claims: the vp object kept whole (minimizeVP false), iss, jti, aud,
// iat and nbf, exp, nonce. checkPresentation has accepted p.
func presentationClaims(p Presentation) (*vpClaims, error) {
	var claims *verifiable.JWTPresClaims
	err := guard("presentation does not satisfy the VC Data Model 1.1", func() error {
		vp, err := verifiable.NewPresentation(verifiable.WithJWTCredentials(p.Credentials...))
		if err != nil {
			return err
		}
		vp.ID, vp.Holder = p.ID, p.Holder
		data, err := vp.MarshalJSON()
		if err != nil {
			return err
		}
		if _, err := verifiable.ParsePresentation(data, ariesPresentationOpts()...); err != nil {
			return err
		}
		claims, err = vp.JWTClaims([]string{p.Audience}, false)
		return err
	})
	if err != nil {
		return nil, err
	}
	iat := josejwt.NewNumericDate(jwtTime(p.IssuedAt))
	claims.IssuedAt, claims.NotBefore = iat, iat
	if !p.Expires.IsZero() {
		claims.Expiry = josejwt.NewNumericDate(jwtTime(p.Expires))
	}
	return &vpClaims{JWTPresClaims: claims, Nonce: p.Nonce}, nil
}

// parseVPObject validates a vp object with aries and returns its id, holder and the
// compact JWT VCs it holds. Credentials in any other form (embedded JSON) are refused:
// bewijs accepts jwt_vc_json only.
func parseVPObject(obj map[string]any) (Presentation, error) {
	data, err := json.Marshal(obj)
	if err != nil {
		return Presentation{}, malformed(err, "vp object does not encode")
	}
	var vp *verifiable.Presentation
	err = guard("vp object does not satisfy the VC Data Model 1.1", func() (err error) {
		vp, err = verifiable.ParsePresentation(data, ariesPresentationOpts()...)
		return err
	})
	if err != nil {
		return Presentation{}, err
	}
	p := Presentation{ID: vp.ID, Holder: vp.Holder}
	sent := stringsOf(obj["verifiableCredential"])
	if len(sent) != len(vp.Credentials()) {
		return Presentation{}, malformed(nil, "verifiableCredential holds a credential that is not a JWT")
	}
	for i, c := range vp.Credentials() {
		// aries keeps the JWT it decoded; it must be the string that was presented (aries
		// cuts SD-JWT disclosures off, for one).
		vc, ok := c.(*verifiable.Credential)
		if !ok || vc.JWT == "" || vc.JWT != sent[i] {
			return Presentation{}, malformed(nil, "verifiableCredential holds a credential that is not a JWT")
		}
		p.Credentials = append(p.Credentials, vc.JWT)
	}
	return p, nil
}
