package issuer

import (
	"context"
	"crypto"
	"encoding/base64"
	"maps"
	"strconv"
	"time"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/internal/jose"
	"github.com/sociaaldomein/bewijs/internal/sdjwt"
	"github.com/sociaaldomein/bewijs/internal/statuslist"
	"github.com/sociaaldomein/bewijs/issuer/toewijzing"
)

// TypSDJWTVC is the SD-JWT VC media type in the issuer JWT's typ (SD-JWT VC draft -16 §3.2.1).
const TypSDJWTVC = "dc+sd-jwt"

// credentialSigner is a tenant's signing key with its X.509 chain, if it has one.
type credentialSigner struct {
	jose.Signer
	x5c []string
}

func (i *Issuer) signerFor(ctx context.Context, slug string) (credentialSigner, error) {
	s, err := i.tenants.Signer(ctx, slug)
	if err != nil {
		return credentialSigner{}, err
	}
	out := credentialSigner{Signer: s}
	if i.certs != nil {
		chain, err := i.certs.Chain(ctx, slug)
		if err != nil {
			return credentialSigner{}, err
		}
		for _, der := range chain {
			out.x5c = append(out.x5c, base64.StdEncoding.EncodeToString(der))
		}
	}
	return out, nil
}

// buildSDJWTVC makes one beschikking credential (SD-JWT VC draft -16 §3.2): iss is the
// gemeente's DID and kid its DID URL; x5c anchors the same key in X.509 when the tenant has a
// certificate; cnf.jwk binds the holder key; status points at the status list entry.
func (i *Issuer) buildSDJWTVC(s credentialSigner, slug string, cred Credential, claims map[string]any, holder crypto.PublicKey, e StatusEntry, now time.Time) (string, error) {
	holderJWK, err := did.PublicJWK(holder)
	if err != nil {
		return "", err
	}
	payload := maps.Clone(claims)
	payload["iss"] = i.tenants.DID(slug)
	payload["vct"] = vctOf(cred.ConfigurationID)
	payload["iat"] = now.Unix()
	payload["nbf"] = cred.NotBefore.Unix()
	payload["exp"] = cred.ExpiresAt.Unix()
	payload["cnf"] = map[string]any{"jwk": holderJWK}
	payload["status"] = map[string]any{"status_list": statuslist.Reference{Index: e.Index, URI: i.StatusListURI(slug, e.ListID)}}
	header := map[string]any{"typ": TypSDJWTVC}
	if len(s.x5c) > 0 {
		header["x5c"] = s.x5c
	}
	issued, err := sdjwt.Issue(payload, sdjwt.IssueOptions{Signer: s.Signer, Header: header, Disclosable: disclosableOf(cred.ConfigurationID), Decoys: i.cfg.Decoys})
	if err != nil {
		return "", err
	}
	return issued.Compact, nil
}

// StatusListURI is where a tenant's status list token is served.
func (i *Issuer) StatusListURI(slug, listID string) string {
	return i.tenants.IssuerURL(slug) + "/status/" + listID
}

// vctOf and disclosableOf give the type and the selectively disclosable claims of a
// credential configuration.
func vctOf(configID string) string {
	if configID == ConfigPID {
		return VCTPID
	}
	return toewijzing.VCT(wetOf(configID))
}

func disclosableOf(configID string) func([]string) bool {
	if configID == ConfigPID {
		return pidDisclosable
	}
	return toewijzing.Disclosable
}

func wetOf(configID string) string {
	if configID == ConfigJeugdwet {
		return "Jeugdwet"
	}
	return "Wmo2015"
}

func itoa(n int) string { return strconv.Itoa(n) }
