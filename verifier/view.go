package verifier

import (
	"context"
	"encoding/json"
	"net/url"
	"time"

	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/verifier/oid4vp"
)

// View is a presentation request as the admin API, the CLI and the verify page show it.
type View struct {
	ID                   string          `json:"id"`
	State                State           `json:"state"`
	Purpose              string          `json:"purpose"`
	QueryName            string          `json:"query,omitempty"`
	ClientID             string          `json:"client_id"`
	ResponseMode         string          `json:"response_mode"`
	AuthorizationRequest string          `json:"authorization_request"`
	RequestURI           string          `json:"request_uri"`
	VerifyPageURL        string          `json:"verify_page_url"`
	QRPNGURL             string          `json:"qr_png_url"`
	ExpiresAt            time.Time       `json:"expires_at"`
	CreatedAt            time.Time       `json:"created_at"`
	CompletedAt          *time.Time      `json:"completed_at,omitempty"`
	PolicyDecision       json.RawMessage `json:"policy_decision"`
	Result               *Outcome        `json:"result,omitempty"`
}

// Final reports whether the request will not change any more.
func (v View) Final() bool { return v.State == Verified || v.State == Rejected || v.State == Expired }

// Show returns a request of the actor's tenant with its result.
func (s *Service) Show(ctx context.Context, actor tenant.Principal, slug, id string) (View, error) {
	t, err := s.verifierTenant(ctx, actor, slug)
	if err != nil {
		return View{}, err
	}
	r, err := s.store.Request(ctx, t.ID, id)
	if err != nil {
		return View{}, err
	}
	return s.viewWithResult(slug, r)
}

// ShowForPage returns a request for its verify page: the caller has checked the page token.
func (s *Service) ShowForPage(ctx context.Context, slug, id string) (View, error) {
	t, err := s.tenants.Lookup(ctx, slug)
	if err != nil {
		return View{}, err
	}
	r, err := s.store.Request(ctx, t.ID, id)
	if err != nil {
		return View{}, err
	}
	return s.viewWithResult(slug, r)
}

// ShowByResponseCode returns the result for the same-device browser that follows the
// redirect_uri with its response_code (OpenID4VP 1.0 §8.2).
func (s *Service) ShowByResponseCode(ctx context.Context, slug, id, code string) (View, error) {
	v, err := s.ShowForPage(ctx, slug, id)
	if err != nil {
		return View{}, err
	}
	r, err := s.store.Request(ctx, "", id)
	if err != nil {
		return View{}, err
	}
	if code == "" || r.ResponseCodeHash == "" || hashOf(code) != r.ResponseCodeHash {
		return View{}, ErrNotFound
	}
	return v, nil
}

func (s *Service) viewWithResult(slug string, r Request) (View, error) {
	v := s.view(slug, r)
	if r.Result == "" {
		return v, nil
	}
	plain, err := s.sealer.Open(r.Result, []byte("oid4vp-result:"+r.ID))
	if err != nil {
		return View{}, err
	}
	var o Outcome
	if err := json.Unmarshal(plain, &o); err != nil {
		return View{}, err
	}
	v.Result = &o
	return v, nil
}

func (s *Service) view(slug string, r Request) View {
	state := r.State
	if (state == Pending || state == Retrieved) && r.expired(s.now()) {
		state = Expired
	}
	base := s.tenants.IssuerURL(slug)
	page := base + "/verify/" + r.ID
	token := url.Values{"t": {s.PageToken(r.ID)}}.Encode()
	return View{ID: r.ID, State: state, Purpose: r.Purpose, QueryName: r.QueryName, ClientID: r.ClientID,
		ResponseMode: r.ResponseMode, AuthorizationRequest: s.authorizationLink(slug, r), RequestURI: s.requestURI(slug, r.ID),
		VerifyPageURL: page + "?" + token, QRPNGURL: page + "/qr.png?" + token, ExpiresAt: r.ExpiresAt, CreatedAt: r.CreatedAt,
		CompletedAt: r.CompletedAt, PolicyDecision: r.PolicyDecision}
}

// authorizationLink is the request by reference (OpenID4VP 1.0 §5.7, JAR RFC 9101 §5.2):
// client_id and request_uri, and request_uri_method when it is post (§5.1).
func (s *Service) authorizationLink(slug string, r Request) string {
	q := url.Values{"client_id": {r.ClientID}, "request_uri": {s.requestURI(slug, r.ID)}}
	if r.RequestURIMethod == oid4vp.RequestURIMethodPost {
		q.Set("request_uri_method", oid4vp.RequestURIMethodPost)
	}
	return "openid4vp://?" + q.Encode()
}

func (s *Service) requestURI(slug, id string) string {
	return s.tenants.IssuerURL(slug) + "/oid4vp/requests/" + id
}

func (s *Service) responseURI(slug, id string) string {
	return s.tenants.IssuerURL(slug) + "/oid4vp/responses/" + id
}
