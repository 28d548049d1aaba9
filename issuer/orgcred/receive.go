package orgcred

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/internal/audit"
	"github.com/sociaaldomein/bewijs/internal/jose"
	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/internal/w3cvc"
)

// OfferClient redeems an OpenID4VCI credential offer for a holder identified by a DID: it
// signs the key proofs with holder (kid holder.KeyID, a DID URL of the holder's DID) and
// hands each credential it receives to accept, which checks and keeps it. *wallet.Client
// implements it (wallet.Client.ReceiveAs); orgcred does not import the wallet, which
// depends on verifier/oid4vp.
type OfferClient interface {
	ReceiveAs(ctx context.Context, offerLink string, holder jose.Signer, accept func(ctx context.Context, raw string) error) error
}

// ErrReceiveDisabled is returned by Receive when no DID resolver or offer client is
// configured.
var ErrReceiveDisabled = errors.New("orgcred: receiving credential offers is not configured")

// Receive redeems a credential offer (OpenID4VCI 1.0, pre-authorized code) into the
// organisation wallet of slug, an aanbieder or gemeente of this instance: the proofs are
// signed with the organisation's DID key, and each credential must be a JWT VC
// (jwt_vc_json) whose signature verifies with an assertionMethod key of its issuer's DID
// and whose subject is the organisation's DID. Each is stored as it arrives; one already in
// the wallet is skipped. It returns the new entries, also when a later credential fails.
//
// OpenID4VCI §4 lets any issuer send an offer to a wallet's credential offer endpoint, so
// the zero Principal (anonymous) may deliver one; an authenticated actor must be allowed
// to act for slug.
func (s *Service) Receive(ctx context.Context, actor tenant.Principal, slug, offerLink string, client OfferClient) ([]WalletEntry, error) {
	if s.resolver == nil || client == nil {
		return nil, ErrReceiveDisabled
	}
	holder, err := s.receiver(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	signer, err := s.tenants.Signer(ctx, slug)
	if err != nil {
		return nil, err
	}
	var (
		got     []WalletEntry
		refused error
	)
	err = client.ReceiveAs(ctx, offerLink, signer, func(ctx context.Context, raw string) error {
		e, fresh, err := s.keep(ctx, holder, raw)
		if fresh {
			got = append(got, e)
		}
		refused = err
		return err
	})
	switch {
	case refused != nil:
		err = refused
	case err != nil:
		err = &OfferError{Cause: err}
	}
	s.auditReceive(ctx, actor, holder, got, err)
	return got, err
}

// OfferError is a failure to redeem an offer at its issuer: the offer, the metadata, the
// token or the credential request, as opposed to a credential refused here
// (*InvalidInputError) or a failure of this instance.
type OfferError struct{ Cause error }

func (e *OfferError) Error() string { return "redeem credential offer: " + e.Cause.Error() }

func (e *OfferError) Unwrap() error { return e.Cause }

// receiver is the organisation that receives: an aanbieder or gemeente of this instance.
func (s *Service) receiver(ctx context.Context, actor tenant.Principal, slug string) (tenant.Tenant, error) {
	if actor != (tenant.Principal{}) {
		if _, err := s.tenants.Get(ctx, actor, slug); err != nil {
			return tenant.Tenant{}, err
		}
	}
	t, err := s.tenants.Lookup(ctx, slug)
	if err != nil {
		return tenant.Tenant{}, err
	}
	if t.Kind != tenant.Aanbieder && t.Kind != tenant.Gemeente {
		return tenant.Tenant{}, fmt.Errorf("%w: only an aanbieder or a gemeente receives organisation credentials", tenant.ErrForbidden)
	}
	return t, nil
}

// keep verifies a received credential and stores it in holder's wallet; fresh is false
// when it was there already.
func (s *Service) keep(ctx context.Context, holder tenant.Tenant, raw string) (e WalletEntry, fresh bool, err error) {
	c, err := w3cvc.ParseJWT(ctx, raw, w3cvc.VerifyOptions{Now: s.now, Key: s.issuerKey})
	if err != nil {
		return WalletEntry{}, false, &InvalidInputError{"credential", err.Error()}
	}
	if want := s.tenants.DID(holder.Slug); c.Subject != want {
		return WalletEntry{}, false, &InvalidInputError{"credential", "its subject is not " + want}
	}
	if err := s.trusted(ctx, c.Issuer, c.Types); err != nil {
		return WalletEntry{}, false, err
	}
	// The wallet finds credentials again by id: the unique key of a wallet entry.
	if c.ID == "" || len(c.Types) == 0 {
		return WalletEntry{}, false, &InvalidInputError{"credential", "it has no id or no type besides VerifiableCredential"}
	}
	e = WalletEntry{ID: uuid.NewString(), TenantID: holder.ID, CredentialID: c.ID, Type: typeOf(c.Types), Issuer: c.Issuer,
		Credential: raw, ReceivedAt: s.now().UTC()}
	err = s.store.Receive(ctx, e)
	if errors.Is(err, ErrConflict) {
		return e, false, nil
	}
	return e, err == nil, err
}

// issuerKey returns the key kid names from its DID's document; a credential is signed with
// an assertionMethod key (DID Core §5.3.2).
func (s *Service) issuerKey(ctx context.Context, kid string) (crypto.PublicKey, error) {
	id, _, err := did.ParseDIDURL(kid)
	if err != nil {
		return nil, err
	}
	doc, err := s.resolver.Resolve(ctx, id)
	if err != nil {
		return nil, err
	}
	return doc.Key(kid, did.AssertionMethod)
}

// typeOf names a wallet entry by the credential's known type, else its first.
func typeOf(types []string) string {
	for _, t := range []string{TypeZorgtoewijzing, TypeRole} {
		if slices.Contains(types, t) {
			return t
		}
	}
	return types[0]
}

func (s *Service) auditReceive(ctx context.Context, actor tenant.Principal, holder tenant.Tenant, got []WalletEntry, cause error) {
	ids := make([]string, len(got))
	for i, w := range got {
		ids[i] = w.CredentialID
	}
	e := audit.Event{Action: "orgcred.receive", Outcome: audit.Success, Actor: actor.Actor(), TenantID: holder.ID,
		Details: map[string]string{"received": fmt.Sprint(len(got)), "credentials": strings.Join(ids, " ")}}
	if cause != nil {
		e.Outcome, e.Reason = audit.Failure, cause.Error()
	}
	_ = s.audit.Record(ctx, e)
}

// trusted refuses a zorgtoewijzing from an issuer the trust policy does not let issue it:
// anyone may deliver an offer to the credential offer endpoint, so the wallet keeps only what
// a trusted gemeente issued.
func (s *Service) trusted(ctx context.Context, issuer string, types []string) error {
	if s.trust == nil || !slices.Contains(types, TypeZorgtoewijzing) {
		return nil
	}
	ok, reasons, err := s.trust(ctx, issuer, VCTZorgtoewijzing)
	if err != nil {
		return err
	}
	if !ok {
		return &InvalidInputError{"credential", "its issuer is not trusted for a zorgtoewijzing: " + strings.Join(reasons, "; ")}
	}
	return nil
}
