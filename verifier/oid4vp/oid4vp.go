// Package oid4vp holds the OpenID for Verifiable Presentations 1.0 (final, July 2025) wire
// types, the Digital Credentials Query Language (DCQL, §6) and the error codes, shared by the
// verifier (server) and the wallet (client). It is a leaf: no HTTP framework, no storage, no
// SD-JWT; it imports only the standard library and did.
//
// Section numbers refer to the 1.0 final text (openid-4-verifiable-presentations-1_0).
// Appendix B is "Credential Format Specific Parameters and Rules" (B.1 W3C VCs, B.2 mdoc,
// B.3 IETF SD-JWT VC).
package oid4vp

// Request Objects. §5: "Verifiers MUST include the typ Header Parameter in Request Objects
// with the value oauth-authz-req+jwt"; §5.10.1 serves them as application/oauth-authz-req+jwt.
const (
	RequestObjectType    = "oauth-authz-req+jwt"
	RequestObjectMIME    = "application/oauth-authz-req+jwt"
	AudienceSelfIssuedV2 = "https://self-issued.me/v2" // §5.8, Static Discovery
)

// Response Type. §5.6.
const ResponseTypeVPToken = "vp_token"

// Response Modes. §8.2 (direct_post), §8.3.1 (direct_post.jwt), Appendix A (DC API).
const (
	ResponseModeDirectPost    = "direct_post"
	ResponseModeDirectPostJWT = "direct_post.jwt"
	ResponseModeDCAPI         = "dc_api"
	ResponseModeDCAPIJWT      = "dc_api.jwt"
	ResponseModeFragment      = "fragment"
)

// Request URI methods. §5.1 request_uri_method: "Two case-sensitive valid values are defined
// in this specification: get and post."
const (
	RequestURIMethodGet  = "get"
	RequestURIMethodPost = "post"
)

// Credential Format Identifiers. Appendix B.
const (
	FormatSDJWTVC   = "dc+sd-jwt"   // B.3.1
	FormatMDoc      = "mso_mdoc"    // B.2
	FormatJWTVCJSON = "jwt_vc_json" // B.1.3.1
	FormatLDPVC     = "ldp_vc"      // B.1.3.2
)

// Default content encryption for encrypted responses. §5.1: encrypted_response_enc_values_supported
// "MUST be present for anything other than the default single value of A128GCM".
const DefaultResponseEnc = "A128GCM"

// Form parameter names of the Authorization Response (§8.1, §8.2, §8.3.1) and of the
// Request URI POST (§5.10).
const (
	ParamVPToken          = "vp_token"
	ParamState            = "state"
	ParamResponse         = "response"
	ParamError            = "error"
	ParamErrorDescription = "error_description"
	ParamWalletMetadata   = "wallet_metadata"
	ParamWalletNonce      = "wallet_nonce"
)

// urlSafe reports whether s only contains the characters §5.2 allows in nonce and state:
// "ASCII URL safe characters (uppercase and lowercase letters, decimal digits, hyphen,
// period, underscore, and tilde)".
func urlSafe(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '-', c == '.', c == '_', c == '~':
		default:
			return false
		}
	}
	return true
}

// validID reports whether s is a DCQL identifier. §6.1 and §6.3: "The value MUST be a
// non-empty string consisting of alphanumeric, underscore (_), or hyphen (-) characters."
func validID(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '_', c == '-':
		default:
			return false
		}
	}
	return true
}
