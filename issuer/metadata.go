package issuer

import (
	"context"

	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/issuer/oid4vci"
	"github.com/sociaaldomein/bewijs/issuer/toewijzing"
)

// Credential configurations: one per wet, format dc+sd-jwt.
const (
	ConfigWmo      = "wmo_beschikking_dc_sd_jwt"
	ConfigJeugdwet = "jeugdwet_beschikking_dc_sd_jwt"
)

func configurationID(wet string) string {
	if wet == "Jeugdwet" {
		return ConfigJeugdwet
	}
	return ConfigWmo
}

// GrantVPToken is the grant type of the declareren token exchange (package
// verifier/declareren answers it at the same token endpoint).
const GrantVPToken = "urn:ietf:params:oauth:grant-type:vp_token-bearer"

// signingAlgs are the proof and DPoP algorithms accepted (no none, no HMAC).
var signingAlgs = []string{"ES256", "ES384", "EdDSA"}

// IssuerMetadata is the Credential Issuer Metadata of a gemeente (OpenID4VCI 1.0 §12.2.4):
// exactly what this issuer supports.
func (i *Issuer) IssuerMetadata(ctx context.Context, slug string) (oid4vci.IssuerMetadata, error) {
	t, err := i.issuingTenant(ctx, slug)
	if err != nil {
		return oid4vci.IssuerMetadata{}, err
	}
	base := i.tenants.IssuerURL(slug)
	configs := map[string]oid4vci.CredentialConfiguration{
		ConfigWmo:      configuration("Wmo2015", "Wmo-beschikking", "Wmo decision (social support)"),
		ConfigJeugdwet: configuration("Jeugdwet", "Jeugdwet-beschikking", "Youth Act decision"),
	}
	if i.zorg != nil {
		configs[ConfigZorgtoewijzing] = zorgtoewijzingConfiguration()
	}
	if t.Kind == tenant.TrustAnchor {
		configs = map[string]oid4vci.CredentialConfiguration{ConfigPID: pidConfiguration()}
	}
	return oid4vci.IssuerMetadata{
		CredentialIssuer:                  base,
		CredentialEndpoint:                base + "/credential",
		NonceEndpoint:                     base + "/nonce",
		NotificationEndpoint:              base + "/notification",
		BatchCredentialIssuance:           &oid4vci.BatchCredentialIssuance{BatchSize: i.cfg.BatchSize},
		Display:                           []oid4vci.Display{{Name: t.Name, Locale: "nl-NL"}, {Name: t.Name, Locale: "en-US"}},
		CredentialConfigurationsSupported: configs,
	}, nil
}

func configuration(wet, nl, en string) oid4vci.CredentialConfiguration {
	return oid4vci.CredentialConfiguration{
		Format:                               oid4vci.FormatSDJWTVC,
		VCT:                                  toewijzing.VCT(wet),
		Scope:                                configurationID(wet),
		CryptographicBindingMethodsSupported: []string{"jwk"},
		CredentialSigningAlgValuesSupported:  []string{"ES256"},
		ProofTypesSupported:                  map[string]oid4vci.ProofType{oid4vci.ProofTypeJWT: {ProofSigningAlgValuesSupported: signingAlgs}},
		CredentialMetadata: &oid4vci.CredentialMetadata{Display: []oid4vci.Display{
			{Name: nl, Locale: "nl-NL", BackgroundColor: "#154273", TextColor: "#FFFFFF"},
			{Name: en, Locale: "en-US", BackgroundColor: "#154273", TextColor: "#FFFFFF"},
		}},
	}
}

// AuthorizationServerMetadata is RFC 8414 metadata of the gemeente's own authorization server.
func (i *Issuer) AuthorizationServerMetadata(ctx context.Context, slug string) (oid4vci.AuthorizationServerMetadata, error) {
	if _, err := i.issuingTenant(ctx, slug); err != nil {
		return oid4vci.AuthorizationServerMetadata{}, err
	}
	base := i.tenants.IssuerURL(slug)
	return oid4vci.AuthorizationServerMetadata{
		Issuer:                             base,
		AuthorizationEndpoint:              base + "/authorize",
		TokenEndpoint:                      base + "/token",
		PushedAuthorizationRequestEndpoint: base + "/par",
		RequirePushedAuthorizationRequests: true,
		ResponseTypesSupported:             []string{"code"},
		// The VP Token grant (Nuts RFC021) is how an aanbieder gets a declareren token.
		GrantTypesSupported:                []string{oid4vci.GrantAuthorizationCode, oid4vci.GrantPreAuthorizedCode, GrantVPToken},
		CodeChallengeMethodsSupported:      []string{"S256"},
		TokenEndpointAuthMethodsSupported:  []string{"none"},
		DPoPSigningAlgValuesSupported:      signingAlgs,
		PreAuthorizedGrantAnonymousAccess:  true,
		AuthorizationDetailsTypesSupported: []string{oid4vci.AuthzDetailsType},
	}, nil
}

// issuingTenant is a gemeente tenant (or a trust anchor, which issues test PIDs), looked up
// for a public endpoint.
func (i *Issuer) issuingTenant(ctx context.Context, slug string) (tenant.Tenant, error) {
	t, err := i.tenants.Lookup(ctx, slug)
	if err != nil {
		return tenant.Tenant{}, err
	}
	if t.Kind != tenant.Gemeente && t.Kind != tenant.TrustAnchor {
		return tenant.Tenant{}, tenant.ErrNotFound
	}
	return t, nil
}

// TypeMetadata is the SD-JWT VC Type Metadata document of a vct this issuer issues.
func (i *Issuer) TypeMetadata(vct string) ([]byte, error) {
	if vct != toewijzing.VCTWmo && vct != toewijzing.VCTJeugdwet {
		return nil, ErrNotFound
	}
	return toewijzing.TypeMetadata(vct)
}
