package oid4vp

import (
	"encoding/json"
	"net/http"
)

// AuthorizationRequest holds the Authorization Request parameters (§5), as claims of a
// Request Object (JAR, RFC 9101) or as parameters passed by value.
type AuthorizationRequest struct {
	ClientID     string `json:"client_id,omitempty"`
	ResponseType string `json:"response_type"`
	ResponseMode string `json:"response_mode,omitempty"`
	// ResponseURI is §8.2: "REQUIRED when the Response Mode direct_post is used".
	ResponseURI string `json:"response_uri,omitempty"`
	RedirectURI string `json:"redirect_uri,omitempty"`
	Nonce       string `json:"nonce"`
	State       string `json:"state,omitempty"`
	// DCQLQuery and Scope: §5.1 "Either a dcql_query or a scope parameter representing a DCQL
	// Query MUST be present in the Authorization Request, but not both."
	DCQLQuery        *Query          `json:"dcql_query,omitempty"`
	Scope            string          `json:"scope,omitempty"`
	ClientMetadata   *ClientMetadata `json:"client_metadata,omitempty"`
	RequestURIMethod string          `json:"request_uri_method,omitempty"`
	TransactionData  []string        `json:"transaction_data,omitempty"`
	VerifierInfo     []VerifierInfo  `json:"verifier_info,omitempty"`
	// WalletNonce echoes the wallet_nonce of a Request URI POST (§5.10.1).
	WalletNonce string `json:"wallet_nonce,omitempty"`
	// JWT claims of the Request Object. §5: "the iss claim MAY be present in the Request
	// Object. However, if it is present, the Wallet MUST ignore it." §5.8 sets aud.
	Aud string `json:"aud,omitempty"`
	Iss string `json:"iss,omitempty"`
	Iat int64  `json:"iat,omitempty"`
	Exp int64  `json:"exp,omitempty"`
}

// ClientMetadata is the client_metadata parameter (§5.1, §11.1).
type ClientMetadata struct {
	// JWKS holds keys such as those to encrypt the response to (§8.3). §5.1: "Each JWK in
	// the set MUST have a kid (Key ID) parameter".
	JWKS                                *JWKS               `json:"jwks,omitempty"`
	EncryptedResponseEncValuesSupported []string            `json:"encrypted_response_enc_values_supported,omitempty"`
	VPFormatsSupported                  map[string]VPFormat `json:"vp_formats_supported,omitempty"`
}

// JWKS is a JSON Web Key Set (RFC 7517 §5). Keys are kept as JSON; did.ParseJWK reads them.
type JWKS struct {
	Keys []json.RawMessage `json:"keys"`
}

// VPFormat holds the format-specific parameters of vp_formats_supported (Appendix B).
type VPFormat struct {
	SDJWTAlgValues      []string `json:"sd-jwt_alg_values,omitempty"`     // B.3.4
	KBJWTAlgValues      []string `json:"kb-jwt_alg_values,omitempty"`     // B.3.4
	IssuerAuthAlgValues []int    `json:"issuerauth_alg_values,omitempty"` // B.2.2
	DeviceAuthAlgValues []int    `json:"deviceauth_alg_values,omitempty"` // B.2.2
	AlgValues           []string `json:"alg_values,omitempty"`            // B.1.3.1.3
	ProofTypeValues     []string `json:"proof_type_values,omitempty"`     // B.1.3.2.3
	CryptosuiteValues   []string `json:"cryptosuite_values,omitempty"`    // B.1.3.2.3
}

// VerifierInfo is one attestation of verifier_info (§5.1, §5.11). Data is a string (e.g. a
// JWT) or an object.
type VerifierInfo struct {
	Format        string          `json:"format"`
	Data          json.RawMessage `json:"data"`
	CredentialIDs []string        `json:"credential_ids,omitempty"`
}

// WalletMetadata is the wallet_metadata of a Request URI POST (§5.10, §10.1).
type WalletMetadata struct {
	VPFormatsSupported                        map[string]VPFormat `json:"vp_formats_supported,omitempty"`
	ClientIDPrefixesSupported                 []string            `json:"client_id_prefixes_supported,omitempty"`
	JWKS                                      *JWKS               `json:"jwks,omitempty"`
	AuthorizationEncryptionAlgValuesSupported []string            `json:"authorization_encryption_alg_values_supported,omitempty"`
	AuthorizationEncryptionEncValuesSupported []string            `json:"authorization_encryption_enc_values_supported,omitempty"`
	RequestObjectSigningAlgValuesSupported    []string            `json:"request_object_signing_alg_values_supported,omitempty"`
	ResponseTypesSupported                    []string            `json:"response_types_supported,omitempty"`
	ResponseModesSupported                    []string            `json:"response_modes_supported,omitempty"`
}

// DirectPostResponse is the JSON object the Response URI returns to the Wallet (§8.2):
// "When this parameter is present the Wallet MUST redirect the user agent to this URI."
type DirectPostResponse struct {
	RedirectURI string `json:"redirect_uri,omitempty"`
}

// ParseAuthorizationRequest decodes the claims of a Request Object (already verified by
// the caller) and validates them.
func ParseAuthorizationRequest(payload []byte) (AuthorizationRequest, error) {
	var r AuthorizationRequest
	if err := json.Unmarshal(payload, &r); err != nil {
		return AuthorizationRequest{}, NewError(http.StatusBadRequest, ErrInvalidRequestObject, "request object is not a valid JSON object", err)
	}
	var raw struct {
		DCQLQuery json.RawMessage `json:"dcql_query"`
	}
	if err := json.Unmarshal(payload, &raw); err == nil && len(raw.DCQLQuery) > 0 && r.DCQLQuery != nil {
		if err := checkMetaPresent(raw.DCQLQuery); err != nil {
			return AuthorizationRequest{}, err
		}
	}
	if err := r.Validate(); err != nil {
		return AuthorizationRequest{}, err
	}
	return r, nil
}
