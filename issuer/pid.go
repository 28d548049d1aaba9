package issuer

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/sociaaldomein/bewijs/internal/audit"
	"github.com/sociaaldomein/bewijs/internal/ident"
	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/issuer/oid4vci"
	"github.com/sociaaldomein/bewijs/issuer/toewijzing"
)

// The test PID (person identification data) a trust-anchor tenant issues for pilots, so that
// a wallet can log in by disclosure without the real NL PID. It is an SD-JWT VC like the
// beschikking credentials, offered and issued through the same OpenID4VCI flow.
const (
	ConfigPID = "pid_nl_dc_sd_jwt"
	VCTPID    = "urn:eudi:pid:nl:1"
	// pidWet marks a PID offer among the beschikkingen of a trust-anchor tenant.
	pidWet = "PID"
)

// PIDInput is the person a test PID is for.
type PIDInput struct {
	BSN        string `json:"bsn"`
	GivenName  string `json:"given_name"`
	FamilyName string `json:"family_name"`
	BirthDate  string `json:"birthdate"` // YYYY-MM-DD
}

// validate checks the input; each invalid field is named.
func (p PIDInput) validate() error {
	var fields []toewijzing.FieldError
	if ident.BSN(p.BSN) != nil {
		fields = append(fields, toewijzing.FieldError{Field: "bsn", Reason: "must be 9 digits passing the BSN elfproef (CS002)"})
	}
	if strings.TrimSpace(p.GivenName) == "" {
		fields = append(fields, toewijzing.FieldError{Field: "given_name", Reason: "is required"})
	}
	if strings.TrimSpace(p.FamilyName) == "" {
		fields = append(fields, toewijzing.FieldError{Field: "family_name", Reason: "is required"})
	}
	if _, err := time.Parse(time.DateOnly, p.BirthDate); err != nil {
		fields = append(fields, toewijzing.FieldError{Field: "birthdate", Reason: "must be a date YYYY-MM-DD"})
	}
	if len(fields) > 0 {
		return &toewijzing.ValidationError{Fields: fields}
	}
	return nil
}

// claims are the PID's claims, every one selectively disclosable (pidDisclosable).
func (p PIDInput) claims() map[string]any {
	return map[string]any{"bsn": p.BSN, "given_name": p.GivenName, "family_name": p.FamilyName, "birthdate": p.BirthDate}
}

func pidDisclosable(path []string) bool {
	return len(path) == 1 && slices.Contains([]string{"bsn", "given_name", "family_name", "birthdate"}, path[0])
}

// CreatePID offers a test PID from a trust-anchor tenant: one credential, in an offer like a
// beschikking's (pre-authorized code, optional tx_code).
func (i *Issuer) CreatePID(ctx context.Context, actor tenant.Principal, slug string, in PIDInput, opts CreateOptions) (Created, error) {
	if _, err := i.tenants.Get(ctx, actor, slug); err != nil {
		return Created{}, err
	}
	t, err := i.tenants.Lookup(ctx, slug)
	if err != nil {
		return Created{}, err
	}
	if t.Kind != tenant.TrustAnchor {
		return Created{}, fmt.Errorf("%w: only a trust anchor issues test PIDs", tenant.ErrForbidden)
	}
	if err := in.validate(); err != nil {
		return Created{}, err
	}
	now := i.now().UTC()
	b := Beschikking{ID: uuid.NewString(), TenantID: t.ID, Beschikkingnummer: "pid-" + randomHex(8), Wet: pidWet, State: Offered,
		OfferExpiresAt: now.Add(i.cfg.OfferTTL), CreatedAt: now, UpdatedAt: now}
	c := Credential{ID: uuid.NewString(), BeschikkingID: b.ID, TenantID: t.ID, ConfigurationID: ConfigPID,
		NotBefore: now, ExpiresAt: now.Add(i.cfg.MaxValidity)}
	claims, err := json.Marshal(in.claims())
	if err != nil {
		return Created{}, err
	}
	if c.SealedClaims, err = i.sealer.Seal(claims, []byte(c.ID)); err != nil {
		return Created{}, err
	}
	offer, code, txCode, err := i.newOffer(slug, b, []Credential{c}, opts)
	if err != nil {
		return Created{}, err
	}
	if err := i.store.CreateBeschikking(ctx, b, []Credential{c}, offer, []Code{code}); err != nil {
		return Created{}, err
	}
	i.record(ctx, audit.Event{Action: "pid.offer", Outcome: audit.Success, Actor: actor.Actor(), TenantID: t.ID, Subject: b.ID})
	var body oid4vci.CredentialOffer
	if err := json.Unmarshal(offer.Body, &body); err != nil {
		return Created{}, err
	}
	return Created{View: i.view(slug, b, []Credential{c}, offer.ID), CredentialOffer: &body, TxCode: txCode}, nil
}

// pidConfiguration is the PID's credential configuration in a trust anchor's metadata.
func pidConfiguration() oid4vci.CredentialConfiguration {
	c := configuration("Wmo2015", "Test-PID (pilot)", "Test PID (pilot)")
	c.VCT, c.Scope = VCTPID, ConfigPID
	return c
}
