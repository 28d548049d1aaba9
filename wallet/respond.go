package wallet

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/internal/jose"
	"github.com/sociaaldomein/bewijs/verifier/oid4vp"
)

// sendResponse posts an Authorization Response (or Error Response) to the Response URI
// (§8.2, §8.3.1) and returns the redirect_uri of its answer, if any.
func (c *Client) sendResponse(ctx context.Context, req Request, resp oid4vp.AuthorizationResponse) (string, error) {
	form, err := responseForm(req.Authorization, resp)
	if err != nil {
		return "", err
	}
	// §8.2: "The Authorization Response MUST be encoded in the request body using the format
	// defined by the application/x-www-form-urlencoded HTTP content type."
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, req.ResponseURI, strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	hr.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	hr.Header.Set("Accept", "application/json")
	body, _, err := c.sendToVerifier(hr, maxResponseURIBytes)
	if err != nil {
		return "", err
	}
	// §8.2: the Response URI "MUST respond with an HTTP status code of 200 with Content-Type
	// of application/json and a JSON object"; "The Wallet MUST ignore any unrecognized
	// parameters." A body that is no JSON object carries no redirect_uri.
	var out oid4vp.DirectPostResponse
	_ = json.Unmarshal(body, &out)
	return out.RedirectURI, nil
}

// responseForm encodes the response for the request's response mode: the form of
// direct_post (§8.2), or one "response" parameter holding the encrypted JWT (§8.3.1).
func responseForm(ar oid4vp.AuthorizationRequest, resp oid4vp.AuthorizationResponse) (url.Values, error) {
	if ar.ResponseMode != oid4vp.ResponseModeDirectPostJWT {
		return resp.Form()
	}
	enc, err := responseEncryption(ar.ClientMetadata)
	if err != nil {
		return nil, err
	}
	// §8.3: "The payload of the encrypted JWT response MUST include the contents of the
	// response as defined in (#response-parameters) as top-level JSON members."
	payload, err := json.Marshal(resp)
	if err != nil {
		return nil, err
	}
	jwe, err := jose.EncryptECDHES(payload, enc.key, enc.kid, enc.enc)
	if err != nil {
		return nil, err
	}
	return url.Values{oid4vp.ParamResponse: {jwe}}, nil
}

// encryption is the verifier key and content encryption chosen for a response.
type encryption struct {
	key *ecdsa.PublicKey
	kid string
	enc string
}

// responseEncryption chooses the key and enc for an encrypted response (§8.3).
func responseEncryption(md *oid4vp.ClientMetadata) (encryption, error) {
	if md == nil || md.JWKS == nil {
		return encryption{}, refuse(ReasonUnsupported, "direct_post.jwt without client_metadata.jwks")
	}
	enc, err := responseEnc(md.EncryptedResponseEncValuesSupported)
	if err != nil {
		return encryption{}, err
	}
	for _, raw := range md.JWKS.Keys {
		if key, kid, ok := encryptionKey(raw); ok {
			return encryption{key: key, kid: kid, enc: enc}, nil
		}
	}
	return encryption{}, refuse(ReasonUnsupported, "client_metadata.jwks has no P-256 ECDH-ES key for encryption")
}

// encryptionKey accepts a JWK this wallet can encrypt to. §8.3: "JWKs whose use parameter is
// absent or has the value enc are for encryption of the Authorization Response. The Wallet
// SHOULD NOT select a key whose use parameter indicates a different purpose" and "The JWE
// alg algorithm used MUST be equal to the alg value of the chosen jwk."
func encryptionKey(raw json.RawMessage) (*ecdsa.PublicKey, string, bool) {
	var m struct{ Kty, Crv, Use, Alg, Kid string }
	if json.Unmarshal(raw, &m) != nil || m.Kty != "EC" || m.Crv != "P-256" || m.Alg != jose.AlgECDHES {
		return nil, "", false
	}
	if m.Use != "" && m.Use != "enc" {
		return nil, "", false
	}
	pub, err := did.ParseJWK(raw)
	if err != nil {
		return nil, "", false
	}
	ec, ok := pub.(*ecdsa.PublicKey)
	return ec, m.Kid, ok
}

// responseEnc: §8.3 "The JWE enc content encryption algorithm used is obtained from the
// encrypted_response_enc_values_supported parameter of client metadata ... allowing for the
// default value of A128GCM when not explicitly set."
func responseEnc(supported []string) (string, error) {
	if len(supported) == 0 {
		return oid4vp.DefaultResponseEnc, nil
	}
	for _, enc := range supported {
		if enc == jose.EncA128GCM || enc == jose.EncA256GCM {
			return enc, nil
		}
	}
	return "", refuse(ReasonUnsupported, "none of encrypted_response_enc_values_supported %v is A128GCM or A256GCM", supported)
}

// Decline tells the verifier the holder refused, in the request's response mode (§8.5
// access_denied: "The End-User did not give consent to share the requested Credentials with
// the Verifier."). No credential data is sent.
func (c *Client) Decline(ctx context.Context, req Request) error {
	resp := oid4vp.AuthorizationResponse{Error: oid4vp.ErrAccessDenied,
		ErrorDescription: "the holder declined to share", State: req.Authorization.State}
	_, err := c.sendResponse(ctx, req, resp)
	return err
}
