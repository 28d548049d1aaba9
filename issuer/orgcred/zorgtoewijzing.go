package orgcred

import (
	"context"
	"fmt"
	"time"

	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/internal/w3cvc"
	"github.com/sociaaldomein/bewijs/issuer/toewijzing"
)

// IssueForBeschikking issues one Zorgtoewijzing per toegewezen product of doc from gemeente
// slug to the aanbieder the document names, when that aanbieder is an organisation on this
// instance (found by AGB-code); it lands in that organisation's wallet. The client appears
// only as a pseudonym per aanbieder. It returns nothing when the aanbieder is not here.
func (s *Service) IssueForBeschikking(ctx context.Context, slug, beschikkingID, beschikkingnummer string, doc toewijzing.Document, validUntil []time.Time) ([]Issued, error) {
	gemeente, err := s.tenants.Lookup(ctx, slug)
	if err != nil {
		return nil, err
	}
	aanbieder, ok, err := s.aanbiederByAGB(ctx, doc.Aanbieder.AGBCode)
	if err != nil || !ok {
		return nil, err
	}
	holder := s.tenants.DID(aanbieder.Slug)
	var out []Issued
	for i, p := range doc.Producten {
		c := w3cvc.Credential{Types: []string{TypeZorgtoewijzing}, Subject: holder, ValidFrom: s.now().UTC(),
			Claims: zorgtoewijzingClaims(doc, p, beschikkingnummer, s.pseudonym(doc.Client.BSN, holder))}
		if i < len(validUntil) {
			c.ValidUntil = validUntil[i]
		}
		r := Record{Type: TypeZorgtoewijzing, BeschikkingID: beschikkingID, Toewijzingnummer: p.ToewijzingNummer}
		issued, err := s.issue(ctx, tenant.CLI, gemeente, c, r, aanbieder.ID)
		if err != nil {
			return out, fmt.Errorf("zorgtoewijzing %d: %w", p.ToewijzingNummer, err)
		}
		out = append(out, issued)
	}
	return out, nil
}

// zorgtoewijzingClaims are what an aanbieder needs to deliver and declare: no BSN, no name.
func zorgtoewijzingClaims(doc toewijzing.Document, p toewijzing.Product, beschikkingnummer, client string) map[string]any {
	c := map[string]any{
		"toewijzingnummer":  p.ToewijzingNummer,
		"beschikkingnummer": beschikkingnummer,
		"wet":               doc.Wet,
		"gemeentecode":      doc.Gemeente.Gemeentecode,
		"aanbieder_agb":     doc.Aanbieder.AGBCode,
		"client":            client,
		"ingangsdatum":      p.Ingangsdatum,
	}
	if p.Einddatum != "" {
		c["einddatum"] = p.Einddatum
	}
	if p.Product != nil {
		c["product"] = map[string]any{"categorie": p.Product.Categorie, "code": p.Product.Code}
	}
	if p.Omvang != nil {
		c["omvang"] = map[string]any{"volume": p.Omvang.Volume, "eenheid": p.Omvang.Eenheid, "frequentie": p.Omvang.Frequentie}
	}
	if p.Budget != nil {
		c["budget"] = *p.Budget
	}
	return c
}

// aanbiederByAGB finds the aanbieder organisation of this instance with an AGB-code.
func (s *Service) aanbiederByAGB(ctx context.Context, agb string) (tenant.Tenant, bool, error) {
	list, err := s.tenants.List(ctx, tenant.CLI)
	if err != nil {
		return tenant.Tenant{}, false, err
	}
	for _, v := range list {
		if v.Kind == tenant.Aanbieder && v.AGB == agb {
			t, err := s.tenants.Lookup(ctx, v.Slug)
			return t, err == nil, err
		}
	}
	return tenant.Tenant{}, false, nil
}

// ClaimsFor are the claims of one product's Zorgtoewijzing for an aanbieder known by its DID
// (one on another instance, redeeming over OpenID4VCI).
func (s *Service) ClaimsFor(doc toewijzing.Document, p toewijzing.Product, beschikkingnummer, holderDID string) map[string]any {
	return zorgtoewijzingClaims(doc, p, beschikkingnummer, s.pseudonym(doc.Client.BSN, holderDID))
}

// IssueToHolder signs a Zorgtoewijzing of gemeente slug for holderDID, with its status list
// entry, for an aanbieder that redeemed the offer over OpenID4VCI; it is recorded against
// the beschikking, so that revoking the beschikking revokes it.
func (s *Service) IssueToHolder(ctx context.Context, slug, beschikkingID string, toewijzingnummer int64, claims map[string]any, holderDID string, validUntil time.Time) (string, error) {
	gemeente, err := s.tenants.Lookup(ctx, slug)
	if err != nil {
		return "", err
	}
	c := w3cvc.Credential{Types: []string{TypeZorgtoewijzing}, Subject: holderDID, Claims: claims, ValidFrom: s.now().UTC(), ValidUntil: validUntil}
	issued, err := s.issue(ctx, tenant.CLI, gemeente, c, Record{Type: TypeZorgtoewijzing, BeschikkingID: beschikkingID, Toewijzingnummer: toewijzingnummer}, "")
	if err != nil {
		return "", err
	}
	return issued.Credential, nil
}
