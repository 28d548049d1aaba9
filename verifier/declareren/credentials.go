package declareren

import (
	"context"
	"crypto"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/internal/w3cvc"
)

// Credential types the token exchange reads.
const (
	typeRole           = "OrganisatieRol"
	typeZorgtoewijzing = "Zorgtoewijzing"
	maxListBytes       = 1 << 20
)

// verified are the credentials of a presentation, verified, as the policy sees them.
type verified struct {
	Role         map[string]any   // nil when the presentation has no role
	Toewijzingen []map[string]any // policy input shape
}

// keyFor resolves a kid (a DID URL) to a key of rel in the DID's document.
func (s *Service) keyFor(rel did.Relationship) func(context.Context, string) (crypto.PublicKey, error) {
	return func(ctx context.Context, kid string) (crypto.PublicKey, error) {
		id, _, _ := strings.Cut(kid, "#")
		doc, err := s.resolver.Resolve(ctx, id)
		if err != nil {
			return nil, err
		}
		return doc.Key(kid, rel)
	}
}

// verifyCredentials verifies each JWT VC of the presentation: the issuer's signature through
// its DID, validity, that the holder is its subject, and its status list entry. A credential
// that fails is reported as a reason, not as an error: the policy decides on what remains.
func (s *Service) verifyCredentials(ctx context.Context, holder string, jwts []string) (verified, []string) {
	var out verified
	var problems []string
	opts := w3cvc.VerifyOptions{Now: s.now, Skew: s.cfg.Skew, Key: s.keyFor(did.AssertionMethod)}
	for i, jwt := range jwts {
		c, err := w3cvc.ParseJWT(ctx, jwt, opts)
		if err != nil {
			problems = append(problems, fmt.Sprintf("credential %d does not verify (%s)", i, w3cvc.ReasonOf(err)))
			continue
		}
		if c.Subject != holder {
			problems = append(problems, fmt.Sprintf("credential %d is not about the presenter", i))
			continue
		}
		status := s.statusOf(ctx, c)
		switch {
		case slices.Contains(c.Types, typeRole) && out.Role == nil:
			out.Role = roleInput(c, status)
		case slices.Contains(c.Types, typeZorgtoewijzing):
			out.Toewijzingen = append(out.Toewijzingen, toewijzingInput(c, status))
		default:
			problems = append(problems, fmt.Sprintf("credential %d is of a type this grant does not use", i))
		}
	}
	return out, problems
}

// statusOf reads a credential's Bitstring Status List entry (W3C Bitstring Status List 1.0
// §3.2): "valid", "revoked", or "unknown" when the list cannot be fetched or verified (the
// policy refuses anything but valid).
func (s *Service) statusOf(ctx context.Context, c w3cvc.Credential) string {
	if c.Status == nil {
		return "unknown"
	}
	raw, err := s.status.Fetch(ctx, c.Status.ListCredential)
	if err != nil {
		return "unknown"
	}
	list, err := w3cvc.ParseJWT(ctx, string(raw), w3cvc.VerifyOptions{Now: s.now, Skew: s.cfg.Skew, Key: s.keyFor(did.AssertionMethod)})
	// §3.2 step: the status list credential must come from the credential's issuer.
	if err != nil || list.Issuer != c.Issuer {
		return "unknown"
	}
	set, err := w3cvc.StatusBit(list, c.Status.Purpose, c.Status.Index, maxListBytes)
	if err != nil {
		return "unknown"
	}
	if set {
		return "revoked"
	}
	return "valid"
}

func roleInput(c w3cvc.Credential, status string) map[string]any {
	in := map[string]any{"issuer": c.Issuer, "subject": c.Subject, "status": status, "valid_from": rfc3339(c.ValidFrom)}
	if !c.ValidUntil.IsZero() {
		in["valid_until"] = rfc3339(c.ValidUntil)
	}
	for _, k := range []string{"role", "agb", "kvk", "wetten", "gemeentecode", "oin"} {
		if v, ok := c.Claims[k]; ok {
			in[k] = v
		}
	}
	return in
}

func toewijzingInput(c w3cvc.Credential, status string) map[string]any {
	in := map[string]any{"issuer": c.Issuer, "subject": c.Subject, "status": status}
	for _, k := range []string{"toewijzingnummer", "wet", "aanbieder_agb", "product", "ingangsdatum", "einddatum", "omvang", "beschikkingnummer", "gemeentecode"} {
		if v, ok := c.Claims[k]; ok {
			in[k] = v
		}
	}
	if c.Status != nil {
		// Kept in the token, so that each declaratie checks the status again.
		in["status_entry"] = map[string]any{"list": c.Status.ListCredential, "index": c.Status.Index, "purpose": c.Status.Purpose}
	}
	return in
}

// currentStatus checks a toewijzing of a token against its status list again: a beschikking
// revoked after the token was issued stops its declaraties at once.
func (s *Service) currentStatus(ctx context.Context, z map[string]any) string {
	e, _ := z["status_entry"].(map[string]any)
	list, _ := e["list"].(string)
	purpose, _ := e["purpose"].(string)
	idx, ok := numberOf(e["index"])
	issuer, _ := z["issuer"].(string)
	if list == "" || !ok {
		return "unknown"
	}
	return s.statusOf(ctx, w3cvc.Credential{Issuer: issuer, Status: &w3cvc.StatusEntry{ListCredential: list, Index: int(idx), Purpose: purpose}})
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }
