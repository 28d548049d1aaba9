// Package oid4vci holds the OpenID for Verifiable Credential Issuance 1.0 (final, September 2025)
// wire types and error codes, shared by the issuer (server) and the wallet (client). It is a leaf:
// no HTTP framework, no storage.
package oid4vci

// Well-known paths. OpenID4VCI 1.0 §12.2.2: the issuer metadata is at the well-known URI
// inserted between the host and the path of the Credential Issuer Identifier; RFC 8414 §3 does
// the same for the authorization server metadata.
const (
	WellKnownIssuer = "/.well-known/openid-credential-issuer"
	WellKnownAS     = "/.well-known/oauth-authorization-server"
)

// Grant types.
const (
	GrantPreAuthorizedCode = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
	GrantAuthorizationCode = "authorization_code"
)

// Formats and proof types.
const (
	FormatSDJWTVC    = "dc+sd-jwt"
	FormatJWTVCJSON  = "jwt_vc_json" // W3C VC as JWT (OpenID4VCI 1.0 Appendix A.1.1)
	ProofTypeJWT     = "jwt"
	ProofJWTType     = "openid4vci-proof+jwt"
	AuthzDetailsType = "openid_credential"
	OfferScheme      = "openid-credential-offer://"
)

// CredentialOffer is §4.1.1.
type CredentialOffer struct {
	CredentialIssuer           string   `json:"credential_issuer"`
	CredentialConfigurationIDs []string `json:"credential_configuration_ids"`
	Grants                     *Grants  `json:"grants,omitempty"`
}

// Grants of a credential offer.
type Grants struct {
	AuthorizationCode *AuthorizationCodeGrant `json:"authorization_code,omitempty"`
	PreAuthorizedCode *PreAuthorizedCodeGrant `json:"urn:ietf:params:oauth:grant-type:pre-authorized_code,omitempty"`
}

// AuthorizationCodeGrant is the authorization_code grant of an offer.
type AuthorizationCodeGrant struct {
	IssuerState         string `json:"issuer_state,omitempty"`
	AuthorizationServer string `json:"authorization_server,omitempty"`
}

// PreAuthorizedCodeGrant is the pre-authorized code grant of an offer.
type PreAuthorizedCodeGrant struct {
	PreAuthorizedCode   string  `json:"pre-authorized_code"`
	TxCode              *TxCode `json:"tx_code,omitempty"`
	AuthorizationServer string  `json:"authorization_server,omitempty"`
}

// TxCode describes the transaction code the wallet must ask the user for (§4.1.1).
type TxCode struct {
	InputMode   string `json:"input_mode,omitempty"`
	Length      int    `json:"length,omitempty"`
	Description string `json:"description,omitempty"`
}

// IssuerMetadata is §12.2.4.
type IssuerMetadata struct {
	CredentialIssuer                  string                             `json:"credential_issuer"`
	AuthorizationServers              []string                           `json:"authorization_servers,omitempty"`
	CredentialEndpoint                string                             `json:"credential_endpoint"`
	NonceEndpoint                     string                             `json:"nonce_endpoint,omitempty"`
	DeferredCredentialEndpoint        string                             `json:"deferred_credential_endpoint,omitempty"`
	NotificationEndpoint              string                             `json:"notification_endpoint,omitempty"`
	BatchCredentialIssuance           *BatchCredentialIssuance           `json:"batch_credential_issuance,omitempty"`
	Display                           []Display                          `json:"display,omitempty"`
	CredentialConfigurationsSupported map[string]CredentialConfiguration `json:"credential_configurations_supported"`
}

// BatchCredentialIssuance says how many credentials one request may ask for.
type BatchCredentialIssuance struct {
	BatchSize int `json:"batch_size"`
}

// Display is a localised name (and colours) of an issuer or a credential.
type Display struct {
	Name            string `json:"name"`
	Locale          string `json:"locale,omitempty"`
	Description     string `json:"description,omitempty"`
	BackgroundColor string `json:"background_color,omitempty"`
	TextColor       string `json:"text_color,omitempty"`
}

// CredentialConfiguration is one entry of credential_configurations_supported (§12.2.4, and
// Appendix A.3 for dc+sd-jwt).
type CredentialConfiguration struct {
	Format                               string               `json:"format"`
	Scope                                string               `json:"scope,omitempty"`
	VCT                                  string               `json:"vct,omitempty"`
	CryptographicBindingMethodsSupported []string             `json:"cryptographic_binding_methods_supported,omitempty"`
	CredentialSigningAlgValuesSupported  []string             `json:"credential_signing_alg_values_supported,omitempty"`
	ProofTypesSupported                  map[string]ProofType `json:"proof_types_supported,omitempty"`
	CredentialMetadata                   *CredentialMetadata  `json:"credential_metadata,omitempty"`
	// CredentialDefinition is the jwt_vc_json type (Appendix A.1.1.2).
	CredentialDefinition *CredentialDefinition `json:"credential_definition,omitempty"`
}

// CredentialDefinition describes a W3C VC configuration: its types.
type CredentialDefinition struct {
	Type []string `json:"type"`
}

// ProofType lists the algorithms a proof type accepts.
type ProofType struct {
	ProofSigningAlgValuesSupported []string `json:"proof_signing_alg_values_supported"`
}

// CredentialMetadata is the display information of a credential configuration.
type CredentialMetadata struct {
	Display []Display          `json:"display,omitempty"`
	Claims  []ClaimDescription `json:"claims,omitempty"`
}

// ClaimDescription describes one claim by its path.
type ClaimDescription struct {
	Path      []any          `json:"path"`
	Mandatory bool           `json:"mandatory,omitempty"`
	Display   []ClaimDisplay `json:"display,omitempty"`
}

// ClaimDisplay is a localised label.
type ClaimDisplay struct {
	Name   string `json:"name,omitempty"`
	Locale string `json:"locale,omitempty"`
}

// AuthorizationServerMetadata is RFC 8414 §2 plus the OpenID4VCI and RFC 9126/9449 members.
type AuthorizationServerMetadata struct {
	Issuer                             string   `json:"issuer"`
	AuthorizationEndpoint              string   `json:"authorization_endpoint,omitempty"`
	TokenEndpoint                      string   `json:"token_endpoint"`
	PushedAuthorizationRequestEndpoint string   `json:"pushed_authorization_request_endpoint,omitempty"`
	RequirePushedAuthorizationRequests bool     `json:"require_pushed_authorization_requests,omitempty"`
	ResponseTypesSupported             []string `json:"response_types_supported"`
	GrantTypesSupported                []string `json:"grant_types_supported"`
	CodeChallengeMethodsSupported      []string `json:"code_challenge_methods_supported,omitempty"`
	TokenEndpointAuthMethodsSupported  []string `json:"token_endpoint_auth_methods_supported,omitempty"`
	DPoPSigningAlgValuesSupported      []string `json:"dpop_signing_alg_values_supported,omitempty"`
	PreAuthorizedGrantAnonymousAccess  bool     `json:"pre-authorized_grant_anonymous_access_supported"`
	AuthorizationDetailsTypesSupported []string `json:"authorization_details_types_supported,omitempty"`
}
