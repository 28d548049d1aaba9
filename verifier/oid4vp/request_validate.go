package oid4vp

import (
	"encoding/json"
	"net/http"
)

// Validate checks the parameters of an Authorization Request as the Wallet must before
// processing it (§5, §5.9, §8.2, §8.3). It does not verify the Request Object's signature,
// its typ, iat/exp, nor that wallet_nonce equals the one the Wallet sent (§5.10.1): that is
// the caller's job. Errors are *Error with the §8.5 code.
func (r *AuthorizationRequest) Validate() error {
	// §5.6: the Response Type this specification defines is vp_token.
	if r.ResponseType != ResponseTypeVPToken {
		return NewError(http.StatusBadRequest, ErrUnsupportedResponseType, "response_type must be vp_token", nil)
	}
	prefix, err := r.validateClient()
	if err != nil {
		return err
	}
	// §5.2 nonce: "REQUIRED ... Values MUST only contain ASCII URL safe characters".
	if r.Nonce == "" || !urlSafe(r.Nonce) {
		return invalidRequest("nonce is required and must only contain ASCII URL safe characters")
	}
	// §5.2 state: "state values MUST only contain ASCII URL safe characters".
	if !urlSafe(r.State) {
		return invalidRequest("state must only contain ASCII URL safe characters")
	}
	if err := r.validateQuery(); err != nil {
		return err
	}
	if err := r.validateResponseMode(); err != nil {
		return err
	}
	// §8.5 invalid_request_uri_method: "The value of the request_uri_method request
	// parameter is neither get nor post (case-sensitive)."
	if r.RequestURIMethod != "" && r.RequestURIMethod != RequestURIMethodGet && r.RequestURIMethod != RequestURIMethodPost {
		return NewError(http.StatusBadRequest, ErrInvalidRequestURIMethod, "request_uri_method must be get or post", nil)
	}
	// §5.1 transaction_data: "OPTIONAL. Non-empty array of strings".
	if r.TransactionData != nil && len(r.TransactionData) == 0 {
		return NewError(http.StatusBadRequest, ErrInvalidTransactionData, "transaction_data must be a non-empty array", nil)
	}
	// §5.9.3 openid_federation: "The client_metadata parameter, if present in the
	// Authorization Request, MUST be ignored when this Client Identifier Prefix is used."
	if prefix == PrefixOpenIDFederation {
		return nil
	}
	return r.validateClientMetadata()
}

// validateClient checks client_id and, for the redirect_uri prefix, that the Response or
// Redirect URI is the client identifier.
func (r *AuthorizationRequest) validateClient() (prefix string, err error) {
	prefix, value, err := ParseClientID(r.ClientID)
	if err != nil {
		return "", err
	}
	if prefix != PrefixRedirectURI {
		return prefix, nil
	}
	// §5.9.3 redirect_uri: "the original Client Identifier part ... is the Verifier's
	// Redirect URI (or Response URI when Response Mode direct_post is used)".
	target := r.RedirectURI
	if r.ResponseURI != "" {
		target = r.ResponseURI
	}
	if target != "" && target != value {
		return "", invalidRequest("client_id with prefix redirect_uri must equal the response_uri or redirect_uri")
	}
	return prefix, nil
}

func (r *AuthorizationRequest) validateQuery() error {
	// §5.1 dcql_query: "Either a dcql_query or a scope parameter representing a DCQL Query
	// MUST be present in the Authorization Request, but not both." §8.5 invalid_request.
	if (r.DCQLQuery == nil) == (r.Scope == "") {
		return invalidRequest("exactly one of dcql_query and scope must be present")
	}
	if r.DCQLQuery != nil {
		return r.DCQLQuery.Validate()
	}
	return nil
}

func (r *AuthorizationRequest) validateResponseMode() error {
	// §5.2 response_mode: "REQUIRED."
	if r.ResponseMode == "" {
		return invalidRequest("response_mode is required")
	}
	if r.ResponseMode != ResponseModeDirectPost && r.ResponseMode != ResponseModeDirectPostJWT {
		return nil
	}
	// §8.2 response_uri: "REQUIRED when the Response Mode direct_post is used" and "When the
	// response_uri parameter is present, the redirect_uri Authorization Request parameter MUST
	// NOT be present. If the redirect_uri Authorization Request parameter is present when the
	// Response Mode is direct_post, the Wallet MUST return an invalid_request Authorization
	// Response error." §8.3.1 applies the same to direct_post.jwt.
	if r.ResponseURI == "" {
		return invalidRequest("response_uri is required with response_mode %s", r.ResponseMode)
	}
	if r.RedirectURI != "" {
		return invalidRequest("redirect_uri must not be present with response_mode %s", r.ResponseMode)
	}
	return nil
}

// validateClientMetadata checks client_metadata (§5.1) and, for encrypted Response Modes,
// the keys to encrypt to (§8.3).
func (r *AuthorizationRequest) validateClientMetadata() error {
	encrypted := r.ResponseMode == ResponseModeDirectPostJWT || r.ResponseMode == ResponseModeDCAPIJWT
	md := r.ClientMetadata
	if md == nil {
		if encrypted {
			return invalidRequest("client_metadata with jwks is required with response_mode %s", r.ResponseMode)
		}
		return nil
	}
	// §5.1 encrypted_response_enc_values_supported: "OPTIONAL. Non-empty array of strings".
	if md.EncryptedResponseEncValuesSupported != nil && len(md.EncryptedResponseEncValuesSupported) == 0 {
		return invalidRequest("client_metadata.encrypted_response_enc_values_supported must be a non-empty array")
	}
	if md.JWKS != nil {
		if err := validateJWKS(md.JWKS, encrypted); err != nil {
			return err
		}
	}
	if encrypted && (md.JWKS == nil || len(md.JWKS.Keys) == 0) {
		return invalidRequest("client_metadata.jwks is required with response_mode %s", r.ResponseMode)
	}
	return nil
}

// validateJWKS: §5.1 jwks: "Each JWK in the set MUST have a kid (Key ID) parameter that
// uniquely identifies the key within the context of the request." §8.3: "The alg parameter
// MUST be present in the JWKs" used for response encryption.
func validateJWKS(set *JWKS, needAlg bool) error {
	seen := make(map[string]bool, len(set.Keys))
	for i, raw := range set.Keys {
		var k struct {
			Kid string `json:"kid"`
			Alg string `json:"alg"`
			D   any    `json:"d"`
		}
		if err := json.Unmarshal(raw, &k); err != nil {
			return invalidRequest("client_metadata.jwks.keys[%d] is not a JWK", i)
		}
		if k.Kid == "" || seen[k.Kid] {
			return invalidRequest("client_metadata.jwks.keys[%d] needs a kid unique in the set", i)
		}
		seen[k.Kid] = true
		if needAlg && k.Alg == "" {
			return invalidRequest("client_metadata.jwks.keys[%d] needs alg for response encryption", i)
		}
		if k.D != nil {
			return invalidRequest("client_metadata.jwks.keys[%d] is a private key", i)
		}
	}
	return nil
}
