package issuer

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/sociaaldomein/bewijs/issuer/oid4vci"
)

var amsterdam = mustLocation("Europe/Amsterdam")

func mustLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// OfferLink is the same-device link a wallet opens: the offer by reference (§4.1.3).
func OfferLink(offerURI string) string {
	return oid4vci.OfferScheme + "?credential_offer_uri=" + url.QueryEscape(offerURI)
}

// newOffer makes the credential offer of a beschikking: a pre-authorized code (stored only as
// a hash) and, when asked, a numeric tx_code the gemeente gives the citizen another way.
func (i *Issuer) newOffer(slug string, b Beschikking, creds []Credential, opts CreateOptions) (Offer, Code, string, error) {
	preAuth, err := randomToken()
	if err != nil {
		return Offer{}, Code{}, "", err
	}
	code := Code{Hash: hashSecret(preAuth), Kind: "pre-authorized", TenantID: b.TenantID, BeschikkingID: b.ID, ExpiresAt: b.OfferExpiresAt}
	grant := &oid4vci.PreAuthorizedCodeGrant{PreAuthorizedCode: preAuth}
	var txCode string
	if opts.TxCode {
		if txCode, err = randomDigits(i.cfg.TxCodeLength); err != nil {
			return Offer{}, Code{}, "", err
		}
		code.TxCodeHash = hashSecret(txCode)
		grant.TxCode = &oid4vci.TxCode{InputMode: "numeric", Length: i.cfg.TxCodeLength,
			Description: "Voer de code in die u van de gemeente heeft gekregen / Enter the code the gemeente gave you"}
	}
	var configs []string
	for _, c := range creds {
		if !slices.Contains(configs, c.ConfigurationID) {
			configs = append(configs, c.ConfigurationID)
		}
	}
	body, err := json.Marshal(oid4vci.CredentialOffer{
		CredentialIssuer: i.tenants.IssuerURL(slug), CredentialConfigurationIDs: configs,
		Grants: &oid4vci.Grants{PreAuthorizedCode: grant},
	})
	if err != nil {
		return Offer{}, Code{}, "", err
	}
	offer := Offer{ID: uuid.NewString(), TenantID: b.TenantID, BeschikkingID: b.ID, Body: body, ExpiresAt: b.OfferExpiresAt}
	return offer, code, txCode, nil
}

// OfferURI is where the offer with this id is served by reference.
func (i *Issuer) OfferURI(slug, id string) string {
	return i.tenants.IssuerURL(slug) + "/credential-offer/" + id
}

// CredentialOffer returns an offer by reference (§4.1.3), while its beschikking is still
// offered and the offer has not expired.
func (i *Issuer) CredentialOffer(ctx context.Context, slug, offerID string) ([]byte, error) {
	t, err := i.tenants.Lookup(ctx, slug)
	if err != nil {
		return nil, err
	}
	o, err := i.store.Offer(ctx, t.ID, offerID)
	if err != nil {
		return nil, err
	}
	if i.now().After(o.ExpiresAt) {
		return nil, ErrExpired
	}
	b, _, err := i.store.Beschikking(ctx, t.ID, o.BeschikkingID)
	if err != nil {
		return nil, err
	}
	if b.State != Offered {
		return nil, ErrNotFound
	}
	return o.Body, nil
}

// randomToken is 256 random bits, base64url: codes, tokens and nonces.
func randomToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// hashSecret is how codes, tx_codes and tokens are stored.
func hashSecret(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
