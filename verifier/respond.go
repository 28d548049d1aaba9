package verifier

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/sociaaldomein/bewijs/internal/audit"
	"github.com/sociaaldomein/bewijs/internal/jose"
	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/verifier/oid4vp"
)

// Reasons for refusing a response before any presentation is verified. The request stays
// as it was: a response that cannot be tied to the request must not end it.
const (
	ReasonReplayed      Reason = "response_replayed"
	ReasonLate          Reason = "response_after_expiry"
	ReasonWrongRequest  Reason = "response_for_another_request"
	ReasonNotRetrieved  Reason = "request_not_retrieved"
	ReasonUndecryptable Reason = "response_not_decryptable"
	// ReasonWalletError: the wallet answered with an Authorization Error Response (§8.5),
	// e.g. access_denied when the citizen declined.
	ReasonWalletError Reason = "wallet_error"
)

// Response is what a wallet posted to a request's response_uri (OpenID4VP 1.0 §8.2).
type Response struct {
	Slug string
	ID   string
	Form url.Values
}

// HandleResponse verifies a wallet's response and completes the request: verified, or
// rejected with a Reason. §8.2: "If the Response URI has successfully processed the
// Authorization Response or Authorization Error Response, it MUST respond with HTTP status
// code 200"; with a redirect_uri the wallet sends the user agent on to see the result.
func (s *Service) HandleResponse(ctx context.Context, in Response) (oid4vp.DirectPostResponse, error) {
	t, err := s.tenants.Lookup(ctx, in.Slug)
	if err != nil {
		return oid4vp.DirectPostResponse{}, err
	}
	r, ok := s.retrieved.take(t.ID, in.ID)
	if !ok {
		if r, err = s.store.Request(ctx, t.ID, in.ID); err != nil {
			return oid4vp.DirectPostResponse{}, err
		}
	}
	if err := s.acceptable(r); err != nil {
		return oid4vp.DirectPostResponse{}, s.refuse(ctx, r, err)
	}
	resp, raw, err := s.parseResponse(r, in.Form)
	if err != nil {
		return oid4vp.DirectPostResponse{}, s.refuse(ctx, r, err)
	}
	// §8.2 and RFC 6749 §4.1.2: state ties the response to the request; a response carrying
	// another request's state is not for this one.
	if resp.State != r.StateParam {
		return oid4vp.DirectPostResponse{}, s.refuse(ctx, r, newFailure(ReasonWrongRequest, nil, "the state does not belong to this request"))
	}
	outcome, evidence := s.verifyResponse(ctx, r, resp, raw)
	return s.complete(ctx, in.Slug, r, outcome, evidence)
}

// acceptable checks that r can take a response now.
func (s *Service) acceptable(r Request) error {
	switch {
	case r.State == Verified || r.State == Rejected:
		return newFailure(ReasonReplayed, ErrConflict, "the request was already answered")
	case r.expired(s.now()):
		return newFailure(ReasonLate, ErrExpired, "the request has expired")
	case r.State == Pending:
		return newFailure(ReasonNotRetrieved, nil, "the request object was never retrieved")
	}
	return nil
}

// conflict says why the database refused to complete r: answered meanwhile (by a concurrent
// response or on another replica), or expired. r may have come from the retrieved cache, so
// the database's row decides.
func (s *Service) conflict(ctx context.Context, r Request) error {
	if cur, err := s.store.Request(ctx, r.TenantID, r.ID); err == nil {
		if err := s.acceptable(cur); err != nil {
			return err
		}
	}
	return newFailure(ReasonReplayed, ErrConflict, "the request was already answered")
}

// parseResponse reads the form of direct_post, or decrypts the JWE of direct_post.jwt
// (§8.3.1: "the Wallet ... sends the response ... in a form parameter named response").
// raw is the vp_token as received, for evidence.
func (s *Service) parseResponse(r Request, form url.Values) (oid4vp.AuthorizationResponse, string, error) {
	if r.ResponseMode != oid4vp.ResponseModeDirectPostJWT {
		resp, err := oid4vp.ParseAuthorizationResponseForm(form)
		if err != nil {
			return resp, "", tooLargeOrMalformed(err)
		}
		return resp, form.Get(oid4vp.ParamVPToken), nil
	}
	// §8.3: the response is only accepted encrypted when the request asked for it.
	if len(form) != 1 || len(form[oid4vp.ParamResponse]) != 1 {
		return oid4vp.AuthorizationResponse{}, "", newFailure(ReasonMalformed, nil, "direct_post.jwt carries exactly one form parameter: response")
	}
	key, err := s.encryptionKey(r)
	if err != nil {
		return oid4vp.AuthorizationResponse{}, "", err
	}
	payload, h, err := jose.DecryptECDHES(form.Get(oid4vp.ParamResponse), key, []string{jose.EncA128GCM, jose.EncA256GCM})
	if err != nil {
		return oid4vp.AuthorizationResponse{}, "", newFailure(ReasonUndecryptable, err, "the response does not decrypt with this request's key")
	}
	if h.Kid != "" && h.Kid != r.EncKID {
		return oid4vp.AuthorizationResponse{}, "", newFailure(ReasonUndecryptable, nil, "the response names another key")
	}
	resp, err := oid4vp.ParseAuthorizationResponse(payload)
	if err != nil {
		return resp, "", tooLargeOrMalformed(err)
	}
	raw, _ := json.Marshal(map[string][]string(resp.VPToken))
	return resp, string(raw), nil
}

func tooLargeOrMalformed(err error) error {
	return newFailure(ReasonMalformed, err, "the response is not an OpenID4VP Authorization Response: %s", describe(err))
}

func describe(err error) string {
	var e *oid4vp.Error
	if errors.As(err, &e) {
		return e.Description
	}
	return "malformed"
}

// verifyResponse runs the pipeline over the vp_token and builds the Outcome.
func (s *Service) verifyResponse(ctx context.Context, r Request, resp oid4vp.AuthorizationResponse, raw string) (Outcome, string) {
	if werr := resp.Err(); werr != nil {
		return Outcome{Reason: ReasonWalletError, Detail: "the wallet answered " + werr.Code}, ""
	}
	q, err := s.queries.parse(r.Query)
	if err != nil {
		return Outcome{Reason: ReasonInvalidRequest, Detail: "the stored query is not valid"}, ""
	}
	res, err := s.pipeline.VerifyVPToken(ctx, resp.VPToken, Options{
		Now: s.now, Skew: s.cfg.Skew, KBMaxAge: s.cfg.KBMaxAge, Audience: r.ClientID, Nonce: r.Nonce,
		KnownVCTs: s.cfg.KnownVCTs, Query: q, QueryValidated: true, MaxTokenBytes: s.cfg.MaxVPTokenBytes,
	})
	if err != nil {
		var f *Failure
		if !errors.As(err, &f) {
			return Outcome{Reason: ReasonMalformed, Detail: "the presentation could not be verified"}, ""
		}
		return Outcome{Reason: f.Reason, Detail: f.Detail, CredentialQueryID: f.CredentialQueryID}, ""
	}
	out := Outcome{Verified: true}
	for _, c := range res.Credentials {
		out.Credentials = append(out.Credentials, disclosedOf(c, q))
	}
	return out, raw
}

// complete stores the outcome with its audit record and answers the wallet.
func (s *Service) complete(ctx context.Context, slug string, r Request, o Outcome, evidence string) (oid4vp.DirectPostResponse, error) {
	now := s.now().UTC()
	c := Completion{State: Rejected, Reason: o.Reason, At: now, Audit: s.verifyEvent(ctx, r, o, now)}
	if o.Verified {
		c.State = Verified
		if err := s.keepEvidence(ctx, r, &c, &o, evidence); err != nil {
			return oid4vp.DirectPostResponse{}, err
		}
	}
	code := randomToken()
	c.ResponseCodeHash = hashOf(code)
	result, err := json.Marshal(o)
	if err != nil {
		return oid4vp.DirectPostResponse{}, err
	}
	if c.Result, err = s.sealer.Seal(result, []byte("oid4vp-result:"+r.ID)); err != nil {
		return oid4vp.DirectPostResponse{}, err
	}
	if err := s.store.Complete(ctx, r.ID, c); err != nil {
		if errors.Is(err, ErrConflict) {
			return oid4vp.DirectPostResponse{}, s.refuse(ctx, r, s.conflict(ctx, r))
		}
		return oid4vp.DirectPostResponse{}, err
	}
	s.audit.Announce(ctx, c.Audit)
	s.notify(r.ID)
	s.sendWebhook(ctx, slug, r, c.State, o.Reason)
	if !o.Verified && o.Reason != ReasonWalletError {
		return oid4vp.DirectPostResponse{}, oid4vp.NewError(http.StatusBadRequest, oid4vp.ErrInvalidRequest,
			fmt.Sprintf("the presentation was rejected (%s): %s", o.Reason, o.Detail), nil)
	}
	page := s.tenants.IssuerURL(slug) + "/verify/" + r.ID + "?" + url.Values{"response_code": {code}}.Encode()
	if r.ReturnTo != "" {
		page = r.ReturnTo + "&" + url.Values{"presentation": {r.ID}, "response_code": {code}}.Encode()
	}
	return oid4vp.DirectPostResponse{RedirectURI: page}, nil
}

// keepEvidence seals the raw vp_token when the tenant keeps evidence.
func (s *Service) keepEvidence(ctx context.Context, r Request, c *Completion, o *Outcome, raw string) error {
	set, err := s.settings.get(ctx, r.TenantID, s.now(), s.store.Settings)
	if err != nil || set.EvidenceRetention <= 0 || raw == "" {
		return err
	}
	if c.Evidence, err = s.sealer.Seal([]byte(raw), []byte("oid4vp-evidence:"+r.ID)); err != nil {
		return err
	}
	until := c.At.Add(set.EvidenceRetention)
	c.EvidenceExpires, o.EvidenceKept = &until, true
	return nil
}

// verifyEvent is the audit record of a completed request: reason code, client identifier
// prefix, issuers (organisation DIDs) and types; never claim values.
func (s *Service) verifyEvent(ctx context.Context, r Request, o Outcome, now time.Time) audit.Event {
	e := audit.Event{Time: now, Action: "presentation.verify", Outcome: audit.Success, Actor: "wallet", TenantID: r.TenantID,
		Subject: r.ID, RequestID: audit.RequestID(ctx), Details: map[string]string{"purpose": r.Purpose}}
	if !o.Verified {
		e.Outcome, e.Reason = audit.Denied, string(o.Reason)
		if o.CredentialQueryID != "" {
			e.Details["credential_query"] = o.CredentialQueryID
		}
	}
	prefix, _, _ := oid4vp.ParseClientID(r.ClientID)
	e.Details["client_id_prefix"] = prefix
	var issuers, vcts []string
	for _, c := range o.Credentials {
		issuers, vcts = append(issuers, c.Issuer), append(vcts, c.VCT)
	}
	if len(issuers) > 0 {
		slices.Sort(issuers)
		e.Details["issuers"] = strings.Join(slices.Compact(issuers), " ")
		slices.Sort(vcts)
		e.Details["vcts"] = strings.Join(slices.Compact(vcts), " ")
	}
	return e
}

// refuse audits a response that does not complete the request and turns err into the
// protocol error the wallet sees.
func (s *Service) refuse(ctx context.Context, r Request, err error) error {
	reason, detail := ReasonMalformed, "the response is not acceptable"
	var f *Failure
	if errors.As(err, &f) {
		reason, detail = f.Reason, f.Detail
	}
	s.record(ctx, audit.Event{Action: "presentation.verify", Outcome: audit.Denied, Actor: "wallet", TenantID: r.TenantID,
		Subject: r.ID, Reason: string(reason)})
	if f == nil {
		return err
	}
	return oid4vp.NewError(http.StatusBadRequest, oid4vp.ErrInvalidRequest, fmt.Sprintf("%s: %s", reason, detail), err)
}

// SaveSettings sets a verifier tenant's choices.
func (s *Service) SaveSettings(ctx context.Context, actor tenant.Principal, slug string, set Settings) error {
	t, err := s.verifierTenant(ctx, actor, slug)
	if err != nil {
		return err
	}
	if set.EvidenceRetention < 0 || set.EvidenceRetention > s.cfg.MaxEvidenceRetention {
		return invalidField("evidence_retention_days", "must be between 0 and %d days", int(s.cfg.MaxEvidenceRetention.Hours()/24))
	}
	if err := s.store.SaveSettings(ctx, t.ID, set, s.now()); err != nil {
		return err
	}
	s.settings.forget(t.ID)
	s.record(ctx, audit.Event{Action: "verifier.settings", Outcome: audit.Success, Actor: actor.Actor(), TenantID: t.ID,
		Details: map[string]string{"evidence_retention_seconds": fmt.Sprint(int64(set.EvidenceRetention.Seconds()))}})
	return nil
}

// Settings returns a verifier tenant's choices.
func (s *Service) Settings(ctx context.Context, actor tenant.Principal, slug string) (Settings, error) {
	t, err := s.verifierTenant(ctx, actor, slug)
	if err != nil {
		return Settings{}, err
	}
	return s.store.Settings(ctx, t.ID)
}
