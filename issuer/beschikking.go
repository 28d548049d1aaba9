package issuer

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/google/uuid"

	"github.com/sociaaldomein/bewijs/internal/audit"
	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/issuer/oid4vci"
	"github.com/sociaaldomein/bewijs/issuer/toewijzing"
)

// CreateOptions are the choices a gemeente makes when it offers a beschikking.
type CreateOptions struct {
	TxCode    bool // protect the pre-authorized code with a numeric transaction code
	LoginCode bool // also give a one-time login code for the authorization code flow
}

// Created is a new beschikking and its offer, as the admin API and CLI show it.
type Created struct {
	View
	CredentialOffer *oid4vci.CredentialOffer `json:"credential_offer"`
	TxCode          string                   `json:"tx_code,omitempty"`
	LoginCode       string                   `json:"login_code,omitempty"`
	// Zorgtoewijzingen are the ids of the Zorgtoewijzing credentials delivered to the
	// aanbieder's organisation wallet (when the aanbieder is an organisation here).
	Zorgtoewijzingen []string `json:"zorgtoewijzingen,omitempty"`
}

// CreateBeschikking validates a toewijzing document and offers its credentials: one per
// toegewezen product, all in one credential offer.
func (i *Issuer) CreateBeschikking(ctx context.Context, actor tenant.Principal, slug string, document []byte, opts CreateOptions) (Created, error) {
	t, err := i.gemeente(ctx, actor, slug)
	if err != nil {
		return Created{}, err
	}
	doc, err := toewijzing.Parse(document)
	if err != nil {
		return Created{}, err
	}
	now := i.now().UTC()
	if err := doc.Validate(toewijzing.ValidateOptions{Now: i.now, Gemeentecode: t.Ids.Gemeentecode}); err != nil {
		i.metrics.Failed("invalid_input")
		return Created{}, err
	}
	b := Beschikking{ID: uuid.NewString(), TenantID: t.ID, Beschikkingnummer: doc.BeschikkingNummer, Wet: doc.Wet,
		State: Offered, OfferExpiresAt: now.Add(i.cfg.OfferTTL), CreatedAt: now, UpdatedAt: now, ClientRef: i.clientRef(doc.Client.BSN)}
	if b.Beschikkingnummer == "" {
		b.Beschikkingnummer = fmt.Sprintf("%s-%s", now.In(amsterdam).Format("2006"), randomHex(5))
	}
	creds, err := i.credentials(doc, b, now)
	if err != nil {
		return Created{}, err
	}
	offer, code, txCode, err := i.newOffer(slug, b, creds, opts)
	if err != nil {
		return Created{}, err
	}
	codes := []Code{code}
	var loginCode string
	if opts.LoginCode {
		if loginCode, err = newLoginCode(); err != nil {
			return Created{}, err
		}
		codes = append(codes, Code{Hash: hashSecret(loginCode), Kind: "login", TenantID: t.ID, BeschikkingID: b.ID, ExpiresAt: b.OfferExpiresAt})
	}
	if err := i.store.CreateBeschikking(ctx, b, creds, offer, codes); err != nil {
		return Created{}, err
	}
	i.record(ctx, audit.Event{Action: "beschikking.offer", Outcome: audit.Success, Actor: actor.Actor(), TenantID: t.ID,
		Subject: b.ID, Details: map[string]string{"credentials": fmt.Sprint(len(creds)), "tx_code": fmt.Sprint(opts.TxCode)}})
	var body oid4vci.CredentialOffer
	if err := json.Unmarshal(offer.Body, &body); err != nil {
		return Created{}, err
	}
	out := Created{View: i.view(slug, b, creds, offer.ID), CredentialOffer: &body, TxCode: txCode, LoginCode: loginCode}
	out.Zorgtoewijzingen = i.issueZorgtoewijzingen(ctx, slug, b, doc, creds)
	// The beschikking stands whatever this read gives: a failure leaves the field out.
	out.ZorgtoewijzingDelivery, _ = i.deliveryView(ctx, t.ID, b.ID)
	return out, nil
}

// gemeente loads the tenant the principal acts for and checks that it is a gemeente.
func (i *Issuer) gemeente(ctx context.Context, actor tenant.Principal, slug string) (tenant.Tenant, error) {
	if _, err := i.tenants.Get(ctx, actor, slug); err != nil {
		return tenant.Tenant{}, err
	}
	t, err := i.tenants.Lookup(ctx, slug)
	if err != nil {
		return tenant.Tenant{}, err
	}
	if t.Kind != tenant.Gemeente {
		return tenant.Tenant{}, fmt.Errorf("%w: only a gemeente issues beschikkingen", tenant.ErrForbidden)
	}
	return t, nil
}

// credentials builds one credential per toegewezen product, its claims sealed.
func (i *Issuer) credentials(doc toewijzing.Document, b Beschikking, now time.Time) ([]Credential, error) {
	out := make([]Credential, 0, len(doc.Producten))
	for _, p := range doc.Producten {
		c := Credential{ID: uuid.NewString(), BeschikkingID: b.ID, TenantID: b.TenantID,
			ConfigurationID: configurationID(doc.Wet), Toewijzingnummer: p.ToewijzingNummer, AanbiederAGB: doc.Aanbieder.AGBCode}
		nbf, exp, hasEnd := toewijzing.Validity(p)
		if !hasEnd || exp.Sub(now) > i.cfg.MaxValidity {
			exp = now.Add(i.cfg.MaxValidity)
		}
		c.NotBefore, c.ExpiresAt = nbf.UTC(), exp.UTC()
		claims, err := json.Marshal(doc.Claims(p, b.Beschikkingnummer))
		if err != nil {
			return nil, err
		}
		if c.SealedClaims, err = i.sealer.Seal(claims, []byte(c.ID)); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// View is a beschikking's state as the admin API shows it. It never shows personal data.
type View struct {
	ID                 string           `json:"id"`
	Beschikkingnummer  string           `json:"beschikkingnummer"`
	State              State            `json:"state"`
	StateReason        string           `json:"state_reason,omitempty"`
	CredentialOfferURI string           `json:"credential_offer_uri,omitempty"`
	OfferLink          string           `json:"offer_link,omitempty"`
	OfferPageURL       string           `json:"offer_page_url,omitempty"`
	QRPNGURL           string           `json:"qr_png_url,omitempty"`
	ExpiresAt          time.Time        `json:"expires_at"`
	Credentials        []CredentialView `json:"credentials"`
	// ZorgtoewijzingDelivery is how the offer of the zorgtoewijzingen to an aanbieder on
	// another instance stands; absent for an aanbieder of this instance.
	ZorgtoewijzingDelivery *DeliveryView `json:"zorgtoewijzing_delivery,omitempty"`
}

// DeliveryView is the delivery of an offer to an aanbieder's credential offer endpoint.
type DeliveryView struct {
	Aanbieder string `json:"aanbieder_did"`
	// State is delivering (next_attempt_at says when it is tried again), delivered, or
	// abandoned (the offer expires before another attempt).
	State       string     `json:"state"`
	Attempts    int        `json:"attempts"`
	NextAttempt *time.Time `json:"next_attempt_at,omitempty"`
	DeliveredAt *time.Time `json:"delivered_at,omitempty"`
	LastError   string     `json:"last_error,omitempty"`
}

// CredentialView is one product's credential.
type CredentialView struct {
	Toewijzingnummer int64      `json:"toewijzingnummer"`
	Configuration    string     `json:"credential_configuration_id"`
	AanbiederAGB     string     `json:"aanbieder_agb"`
	ExpiresAt        time.Time  `json:"expires_at"`
	IssuedAt         *time.Time `json:"issued_at,omitempty"`
}

func (i *Issuer) view(slug string, b Beschikking, creds []Credential, offerID string) View {
	v := View{ID: b.ID, Beschikkingnummer: b.Beschikkingnummer, State: i.effectiveState(b, creds), StateReason: b.StateReason, ExpiresAt: b.OfferExpiresAt}
	if v.State == Offered && offerID != "" {
		v.CredentialOfferURI = i.OfferURI(slug, offerID)
		v.OfferLink = OfferLink(v.CredentialOfferURI)
		v.OfferPageURL = i.tenants.IssuerURL(slug) + "/offer/" + offerID
		v.QRPNGURL = v.OfferPageURL + "/qr.png"
	}
	for _, c := range creds {
		v.Credentials = append(v.Credentials, CredentialView{Toewijzingnummer: c.Toewijzingnummer, Configuration: c.ConfigurationID,
			AanbiederAGB: c.AanbiederAGB, ExpiresAt: c.ExpiresAt, IssuedAt: c.IssuedAt})
	}
	return v
}

// effectiveState reports expiry, which no writer records: an offer nobody accepted in time,
// or credentials past their end.
func (i *Issuer) effectiveState(b Beschikking, creds []Credential) State {
	now := i.now()
	switch b.State {
	case Offered:
		if now.After(b.OfferExpiresAt) {
			return Expired
		}
	case Issued, Suspended:
		latest := time.Time{}
		for _, c := range creds {
			if c.ExpiresAt.After(latest) {
				latest = c.ExpiresAt
			}
		}
		if !latest.IsZero() && now.After(latest) {
			return Expired
		}
	}
	return b.State
}

// Beschikking returns one beschikking of the principal's gemeente (any, for an operator when
// slug is empty).
func (i *Issuer) Beschikking(ctx context.Context, actor tenant.Principal, slug, id string) (View, error) {
	tenantID, slug, err := i.scope(ctx, actor, slug, id)
	if err != nil {
		return View{}, err
	}
	b, creds, err := i.store.Beschikking(ctx, tenantID, id)
	if err != nil {
		return View{}, err
	}
	v := i.view(slug, b, creds, "")
	if v.ZorgtoewijzingDelivery, err = i.deliveryView(ctx, tenantID, b.ID); err != nil {
		return View{}, err
	}
	return v, nil
}

// deliveryView is how the delivery of beschikking id's zorgtoewijzing offer stands; nil when
// there is none.
func (i *Issuer) deliveryView(ctx context.Context, tenantID, id string) (*DeliveryView, error) {
	d, err := i.store.OfferDelivery(ctx, tenantID, aanbiederOfferID(id))
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	v := &DeliveryView{Aanbieder: d.HolderDID, State: "abandoned", Attempts: d.Attempts, NextAttempt: d.NextAttempt,
		DeliveredAt: d.DeliveredAt, LastError: d.LastError}
	switch {
	case d.DeliveredAt != nil:
		v.State = "delivered"
	case d.NextAttempt != nil:
		v.State = "delivering"
	}
	return v, nil
}

// scope resolves which tenant a call about beschikking id is limited to.
func (i *Issuer) scope(ctx context.Context, actor tenant.Principal, slug, id string) (tenantID, resolvedSlug string, err error) {
	if slug == "" && actor.Operator {
		b, _, err := i.store.Beschikking(ctx, "", id)
		if err != nil {
			return "", "", err
		}
		return b.TenantID, "", nil
	}
	t, err := i.gemeente(ctx, actor, slug)
	if err != nil {
		return "", "", err
	}
	return t.ID, slug, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// randomDigits returns n random decimal digits (a tx_code).
func randomDigits(n int) (string, error) {
	out := make([]byte, n)
	for k := range out {
		d, err := rand.Int(rand.Reader, big.NewInt(10))
		if err != nil {
			return "", err
		}
		out[k] = byte('0' + d.Int64())
	}
	return string(out), nil
}

// issueZorgtoewijzingen gives the aanbieder its Zorgtoewijzing credentials. The beschikking
// stands on its own: a failure here is audited (and can be repeated), not a failed offer.
func (i *Issuer) issueZorgtoewijzingen(ctx context.Context, slug string, b Beschikking, doc toewijzing.Document, creds []Credential) []string {
	if i.zorg == nil {
		return nil
	}
	until := make([]time.Time, len(creds))
	for k, c := range creds {
		until[k] = c.ExpiresAt
	}
	issued, err := i.zorg.IssueForBeschikking(ctx, slug, b.ID, b.Beschikkingnummer, doc, until)
	if err == nil && len(issued) == 0 && doc.Aanbieder.DID != "" && i.orgDIDs != nil {
		// The aanbieder is not an organisation here: offer its zorgtoewijzingen to its DID.
		err = i.offerToAanbieder(ctx, slug, b, doc, creds)
	}
	if err != nil {
		i.record(ctx, audit.Event{Action: "zorgtoewijzing.issue", Outcome: audit.Failure, Actor: "gemeente", TenantID: b.TenantID,
			Subject: b.ID, Reason: err.Error()})
	}
	ids := make([]string, len(issued))
	for k, z := range issued {
		ids[k] = z.ID
	}
	return ids
}
