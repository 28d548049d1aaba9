package orgcred

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/google/uuid"

	"github.com/sociaaldomein/bewijs/internal/audit"
	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/internal/w3cvc"
)

// Issued is an issued credential as the admin API and CLI show it.
type Issued struct {
	ID         string     `json:"id"`
	Type       string     `json:"type"`
	Issuer     string     `json:"issuer"`
	Subject    string     `json:"subject"`
	ValidFrom  time.Time  `json:"valid_from"`
	ValidUntil *time.Time `json:"valid_until,omitempty"`
	Delivered  bool       `json:"delivered"` // in the subject's organisation wallet on this instance
	Credential string     `json:"credential"`
}

// RoleInput is a role a trust anchor grants an organisation of this instance.
type RoleInput struct {
	Subject    string    `json:"subject"` // slug of the organisation
	Wetten     []string  `json:"wetten,omitempty"`
	ValidUntil time.Time `json:"valid_until,omitzero"`
}

// InvalidInputError names an invalid field.
type InvalidInputError struct{ Field, Reason string }

func (e *InvalidInputError) Error() string { return e.Field + ": " + e.Reason }

// IssueRole issues an OrganisatieRol from trust anchor anchorSlug to an organisation: role
// gemeente (with gemeentecode and OIN) or zorgaanbieder (with AGB-code, KvK and the laws it
// serves), valid until in.ValidUntil.
func (s *Service) IssueRole(ctx context.Context, actor tenant.Principal, anchorSlug string, in RoleInput) (Issued, error) {
	anchor, err := s.authorized(ctx, actor, anchorSlug, tenant.TrustAnchor)
	if err != nil {
		return Issued{}, err
	}
	subject, err := s.tenants.Lookup(ctx, in.Subject)
	if errors.Is(err, tenant.ErrNotFound) {
		return Issued{}, &InvalidInputError{"subject", "no organisation with this slug"}
	}
	if err != nil {
		return Issued{}, err
	}
	claims, err := roleClaims(subject, in.Wetten)
	if err != nil {
		return Issued{}, err
	}
	now := s.now().UTC()
	until := in.ValidUntil
	if until.IsZero() {
		until = now.Add(s.cfg.RoleValidity)
	}
	if !until.After(now) {
		return Issued{}, &InvalidInputError{"valid_until", "must lie in the future"}
	}
	c := w3cvc.Credential{Types: []string{TypeRole}, Subject: s.tenants.DID(subject.Slug), Claims: claims, ValidFrom: now, ValidUntil: until}
	return s.issue(ctx, actor, anchor, c, Record{Type: TypeRole}, subject.ID)
}

// roleClaims are the claims of an organisation's role: what kind it is and its identifiers.
func roleClaims(t tenant.Tenant, wetten []string) (map[string]any, error) {
	switch t.Kind {
	case tenant.Gemeente:
		return map[string]any{"role": RoleGemeente, "naam": t.Name, "gemeentecode": t.Ids.Gemeentecode, "oin": t.Ids.OIN}, nil
	case tenant.Aanbieder:
		if len(wetten) == 0 {
			wetten = []string{"Wmo2015", "Jeugdwet"}
		}
		for _, w := range wetten {
			if w != "Wmo2015" && w != "Jeugdwet" {
				return nil, &InvalidInputError{"wetten", "use Wmo2015 and/or Jeugdwet"}
			}
		}
		return map[string]any{"role": RoleZorgaanbieder, "naam": t.Name, "agb": t.Ids.AGB, "kvk": t.Ids.KvK, "wetten": toAny(wetten)}, nil
	}
	return nil, &InvalidInputError{"subject", "a role is for a gemeente or an aanbieder"}
}

// issue signs c with the issuer's key, with a fresh status list entry, stores it and, for a
// subject on this instance, delivers it to its organisation wallet. A status index already
// taken is drawn again.
func (s *Service) issue(ctx context.Context, actor tenant.Principal, iss tenant.Tenant, c w3cvc.Credential, r Record, holderTenantID string) (Issued, error) {
	signer, err := s.tenants.Signer(ctx, iss.Slug)
	if err != nil {
		return Issued{}, err
	}
	c.ID, c.Issuer, c.IssuedAt = "urn:uuid:"+uuid.NewString(), s.tenants.DID(iss.Slug), c.ValidFrom
	listURL := s.StatusListURL(iss.Slug)
	for attempt := 0; ; attempt++ {
		idx, err := randomIndex()
		if err != nil {
			return Issued{}, err
		}
		c.Status = &w3cvc.StatusEntry{ID: fmt.Sprintf("%s#%d", listURL, idx), Purpose: w3cvc.PurposeRevocation, Index: idx, ListCredential: listURL}
		jwt, err := w3cvc.SignJWT(c, signer)
		if err != nil {
			return Issued{}, err
		}
		r.ID, r.TenantID, r.SubjectDID, r.StatusList, r.StatusIndex = c.ID, iss.ID, c.Subject, listID, idx
		r.ValidFrom, r.Credential, r.CreatedAt = c.ValidFrom, jwt, s.now().UTC()
		if !c.ValidUntil.IsZero() {
			until := c.ValidUntil
			r.ValidUntil = &until
		}
		var delivered *WalletEntry
		if holderTenantID != "" {
			delivered = &WalletEntry{ID: uuid.NewString(), TenantID: holderTenantID, CredentialID: c.ID, Type: r.Type, Issuer: c.Issuer,
				Credential: jwt, ReceivedAt: r.CreatedAt}
		}
		err = s.store.Create(ctx, r, delivered)
		if errors.Is(err, ErrConflict) && attempt < 5 {
			continue
		}
		if err != nil {
			return Issued{}, err
		}
		_ = s.audit.Record(ctx, audit.Event{Action: "orgcred.issue", Outcome: audit.Success, Actor: actor.Actor(), TenantID: iss.ID,
			Subject: c.ID, Details: map[string]string{"type": r.Type, "subject": c.Subject, "delivered": fmt.Sprint(delivered != nil)}})
		return Issued{ID: c.ID, Type: r.Type, Issuer: c.Issuer, Subject: c.Subject, ValidFrom: r.ValidFrom, ValidUntil: r.ValidUntil,
			Delivered: delivered != nil, Credential: jwt}, nil
	}
}

// authorized is the tenant actor acts for, of kind.
func (s *Service) authorized(ctx context.Context, actor tenant.Principal, slug string, kind tenant.Kind) (tenant.Tenant, error) {
	if _, err := s.tenants.Get(ctx, actor, slug); err != nil {
		return tenant.Tenant{}, err
	}
	t, err := s.tenants.Lookup(ctx, slug)
	if err != nil {
		return tenant.Tenant{}, err
	}
	if t.Kind != kind {
		return tenant.Tenant{}, fmt.Errorf("%w: only a %s issues this credential", tenant.ErrForbidden, kind)
	}
	return t, nil
}

// randomIndex draws a status list index: random, so that the index says nothing about the
// order of issuance (Bitstring Status List 1.0 §6.1 herd privacy).
func randomIndex() (int, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(ListSize))
	if err != nil {
		return 0, err
	}
	return int(n.Int64()), nil
}

// pseudonym is the client reference a zorgtoewijzing carries instead of the BSN: a keyed hash
// of the BSN and the aanbieder's DID, so that two aanbieders cannot link their clients.
func (s *Service) pseudonym(bsn, aanbiederDID string) string {
	m := hmac.New(sha256.New, s.pseudonymKey)
	m.Write([]byte(aanbiederDID + "\x00" + bsn))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:20])
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
