package issuer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/google/uuid"

	"github.com/sociaaldomein/bewijs/internal/audit"
	"github.com/sociaaldomein/bewijs/internal/statuslist"
	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/issuer/oid4vci"
	"github.com/sociaaldomein/bewijs/issuer/toewijzing"
)

// ConfigZorgtoewijzing is the credential configuration of the Zorgtoewijzing an aanbieder on
// another instance redeems over OpenID4VCI: a W3C VC as JWT bound to the aanbieder's DID.
const ConfigZorgtoewijzing = "zorgtoewijzing_jwt_vc_json"

// wetZorgtoewijzing marks the aanbieder's offer record beside a beschikking.
const wetZorgtoewijzing = "Zorgtoewijzing"

// aanbiederOfferNS names the aanbieder's offer records: uuid v5 of the beschikking id.
var aanbiederOfferNS = uuid.MustParse("3f6c2a4e-1d2b-5c7e-9a0f-6b1e2d3c4a5b")

// aanbiederOfferID is the id of the aanbieder's offer record of beschikking id.
func aanbiederOfferID(id string) string { return uuid.NewSHA1(aanbiederOfferNS, []byte(id)).String() }

// sealedZorgtoewijzing is what an aanbieder's offer keeps per product until it is redeemed.
type sealedZorgtoewijzing struct {
	Holder      string         `json:"holder"`
	Beschikking string         `json:"beschikking"`
	Claims      map[string]any `json:"claims"`
}

// offerToAanbieder offers the zorgtoewijzingen of beschikking b to an aanbieder on another
// instance, known by the DID in the toewijzing document, and delivers the offer to the
// credential offer endpoint its DID document names. The offer is a record of its own beside
// the beschikking, so that its pre-authorized code covers the zorgtoewijzingen only, never
// the citizen's credentials.
func (i *Issuer) offerToAanbieder(ctx context.Context, slug string, b Beschikking, doc toewijzing.Document, creds []Credential) error {
	holder := doc.Aanbieder.DID
	now := i.now().UTC()
	rec := Beschikking{ID: aanbiederOfferID(b.ID), TenantID: b.TenantID, Beschikkingnummer: b.Beschikkingnummer + "/zorgtoewijzing",
		Wet: wetZorgtoewijzing, State: Offered, OfferExpiresAt: b.OfferExpiresAt, CreatedAt: now, UpdatedAt: now}
	var offered []Credential
	for k, p := range doc.Producten {
		c := Credential{ID: uuid.NewString(), BeschikkingID: rec.ID, TenantID: b.TenantID, ConfigurationID: ConfigZorgtoewijzing,
			Toewijzingnummer: p.ToewijzingNummer, AanbiederAGB: doc.Aanbieder.AGBCode, NotBefore: now, ExpiresAt: creds[k].ExpiresAt}
		plain, err := json.Marshal(sealedZorgtoewijzing{Holder: holder, Beschikking: b.ID, Claims: i.zorg.ClaimsFor(doc, p, b.Beschikkingnummer, holder)})
		if err != nil {
			return err
		}
		if c.SealedClaims, err = i.sealer.Seal(plain, []byte(c.ID)); err != nil {
			return err
		}
		offered = append(offered, c)
	}
	offer, code, _, err := i.newOffer(slug, rec, offered, CreateOptions{})
	if err != nil {
		return err
	}
	offer.DeliverTo = holder
	if err := i.store.CreateBeschikking(ctx, rec, offered, offer, []Code{code}); err != nil {
		return err
	}
	// The first attempt now; after a failure the offer stays due, and DeliverDue retries it.
	err = i.deliver(ctx, Delivery{OfferID: offer.ID, TenantID: rec.TenantID, Slug: slug, HolderDID: holder, ExpiresAt: offer.ExpiresAt})
	if err != nil && !errors.Is(err, ErrConflict) {
		return fmt.Errorf("delivering the offer to %s failed (it is retried until the offer expires): %w", holder, err)
	}
	return nil
}

// issueZorgtoewijzing answers a credential request for a Zorgtoewijzing: one proof, whose kid
// is a DID URL of the aanbieder the zorgtoewijzing is for (OpenID4VCI 1.0 §8.2, F.1: the key
// is bound by its DID), signed as a JWT VC with its own status list entry.
func (i *Issuer) issueZorgtoewijzing(ctx context.Context, t tenant.Tenant, slug string, cred Credential, body oid4vci.CredentialRequest) (oid4vci.CredentialResponse, error) {
	proofs, err := i.proofsFor(ctx, t, body, true)
	if err != nil {
		return oid4vci.CredentialResponse{}, err
	}
	if len(proofs) != 1 {
		return oid4vci.CredentialResponse{}, oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrInvalidCredentialRequest, "a zorgtoewijzing is issued to one key: send one proof", nil)
	}
	plain, err := i.sealer.Open(cred.SealedClaims, []byte(cred.ID))
	if err != nil {
		return oid4vci.CredentialResponse{}, err
	}
	var z sealedZorgtoewijzing
	if err := json.Unmarshal(plain, &z); err != nil {
		return oid4vci.CredentialResponse{}, err
	}
	if proofs[0].DID != z.Holder {
		return oid4vci.CredentialResponse{}, invalidProof("the proof's kid is not a key of the aanbieder this zorgtoewijzing is for", nil)
	}
	jwt, err := i.zorg.IssueToHolder(ctx, slug, z.Beschikking, cred.Toewijzingnummer, z.Claims, z.Holder, cred.ExpiresAt)
	if err != nil {
		return oid4vci.CredentialResponse{}, err
	}
	if err := i.store.MarkCredentialIssued(ctx, cred.ID, i.now().UTC()); err != nil && !errors.Is(err, ErrConflict) {
		return oid4vci.CredentialResponse{}, err
	}
	i.record(ctx, audit.Event{Action: "zorgtoewijzing.issue", Outcome: audit.Success, Actor: z.Holder, TenantID: t.ID, Subject: cred.ID,
		Details: map[string]string{"toewijzing": fmt.Sprint(cred.Toewijzingnummer)}})
	return oid4vci.CredentialResponse{Credentials: []oid4vci.IssuedCredential{{Credential: jwt}}}, nil
}

// revokeAanbiederOffer revokes the aanbieder's offer of a revoked beschikking, if there is one.
func (i *Issuer) revokeAanbiederOffer(ctx context.Context, tenantID, id, reason string) {
	_ = i.store.SetState(ctx, tenantID, aanbiederOfferID(id), []State{Offered}, Revoked, reason, i.now().UTC(), statuslist.Invalid)
}

// zorgtoewijzingConfiguration is the jwt_vc_json configuration in a gemeente's metadata.
func zorgtoewijzingConfiguration() oid4vci.CredentialConfiguration {
	return oid4vci.CredentialConfiguration{
		Format:                               oid4vci.FormatJWTVCJSON,
		Scope:                                ConfigZorgtoewijzing,
		CredentialDefinition:                 &oid4vci.CredentialDefinition{Type: []string{"VerifiableCredential", wetZorgtoewijzing}},
		CryptographicBindingMethodsSupported: []string{"did:web"},
		CredentialSigningAlgValuesSupported:  []string{"ES256"},
		ProofTypesSupported:                  map[string]oid4vci.ProofType{oid4vci.ProofTypeJWT: {ProofSigningAlgValuesSupported: signingAlgs}},
		CredentialMetadata: &oid4vci.CredentialMetadata{Display: []oid4vci.Display{
			{Name: "Zorgtoewijzing", Locale: "nl-NL"}, {Name: "Care allocation", Locale: "en-US"},
		}},
	}
}
