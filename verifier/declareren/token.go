package declareren

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/internal/audit"
	"github.com/sociaaldomein/bewijs/internal/dpop"
	"github.com/sociaaldomein/bewijs/internal/jose"
	"github.com/sociaaldomein/bewijs/internal/oauth"
	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/internal/w3cvc"
)

// OAuth error codes of the grant (RFC 6749 §5.2, RFC 9449 §5).
const (
	errInvalidRequest    = "invalid_request"
	errInvalidGrant      = "invalid_grant"
	errInvalidScope      = "invalid_scope"
	errUnsupportedGrant  = "unsupported_grant_type"
	errInvalidDPoPProof  = "invalid_dpop_proof"
	errAccessDenied      = "access_denied"
	errInvalidToken      = "invalid_token"
	errInsufficientScope = "insufficient_scope"
)

// TokenRequest is a token request with the VP Token grant.
type TokenRequest struct {
	Slug      string
	GrantType string
	Assertion string // the VP, a JWT
	Scope     string
	DPoP      string // the DPoP header (required: the token is always bound)
	URL       string // the request URL, for htu
}

// TokenResponse is the access token response (RFC 6749 §5.1, RFC 9449 §5).
type TokenResponse struct {
	AccessToken          string          `json:"access_token"`
	TokenType            string          `json:"token_type"`
	ExpiresIn            int             `json:"expires_in"`
	Scope                string          `json:"scope"`
	AuthorizationDetails []AuthzDetail   `json:"authorization_details"`
	Reasons              []string        `json:"-"`
	Raw                  json.RawMessage `json:"-"`
}

// AuthzDetail lists the toewijzingen a token covers (RFC 9396), with what the declaratie
// check needs of each.
type AuthzDetail struct {
	Type         string           `json:"type"`
	Toewijzingen []map[string]any `json:"toewijzingen"`
}

// Token exchanges a verifiable presentation for a DPoP-bound access token. Nuts RFC021 §3:
// the presentation is "signed by the holder", its audience the authorization server, its
// nonce the server's; the declareren policy decides from the verified claims.
func (s *Service) Token(ctx context.Context, req TokenRequest) (TokenResponse, error) {
	t, err := s.gemeente(ctx, req.Slug)
	if err != nil {
		return TokenResponse{}, err
	}
	if err := s.checkTokenRequest(req); err != nil {
		return TokenResponse{}, s.deny(ctx, t, "", err)
	}
	jkt, err := s.tokenDPoP(ctx, req)
	if err != nil {
		return TokenResponse{}, s.deny(ctx, t, "", err)
	}
	vp, err := s.verifyPresentation(ctx, t, req)
	if err != nil {
		return TokenResponse{}, s.deny(ctx, t, "", err)
	}
	creds, problems := s.verifyCredentials(ctx, vp.Holder, vp.Credentials)
	d, err := s.policy.DecideRule(ctx, "declareren", "token_decision", map[string]any{
		"gemeente": map[string]any{"did": s.tenants.DID(t.Slug), "gemeentecode": t.Ids.Gemeentecode},
		"holder":   vp.Holder, "now": rfc3339(s.now()), "role": creds.Role, "toewijzingen": creds.Toewijzingen,
	})
	if err != nil {
		return TokenResponse{}, err
	}
	if !d.Allow {
		reasons := append(problems, d.Reasons...)
		return TokenResponse{}, s.deny(ctx, t, vp.Holder, oauth.NewError(http.StatusBadRequest, errInvalidGrant,
			"the declareren policy refuses: "+strings.Join(reasons, "; "), nil))
	}
	return s.mint(ctx, t, vp.Holder, jkt, covered(creds.Toewijzingen, d.Covered), d.Reasons)
}

func (s *Service) checkTokenRequest(req TokenRequest) error {
	switch {
	case req.GrantType != GrantType:
		return oauth.NewError(http.StatusBadRequest, errUnsupportedGrant, "use grant_type "+GrantType, nil)
	case req.Scope != Scope:
		return oauth.NewError(http.StatusBadRequest, errInvalidScope, "the scope must be "+Scope, nil)
	case req.Assertion == "":
		return oauth.NewError(http.StatusBadRequest, errInvalidRequest, "assertion (the verifiable presentation) is required", nil)
	case len(req.Assertion) > s.cfg.MaxVPBytes:
		return oauth.NewError(http.StatusBadRequest, errInvalidRequest, "the presentation is too large", nil)
	}
	return nil
}

// tokenDPoP requires and checks the DPoP proof (RFC 9449 §4.3) and remembers its jti.
func (s *Service) tokenDPoP(ctx context.Context, req TokenRequest) (string, error) {
	if req.DPoP == "" {
		return "", oauth.NewError(http.StatusBadRequest, errInvalidDPoPProof, "a DPoP proof is required: the token is bound to a key", nil)
	}
	p, err := dpop.Verify(req.DPoP, dpop.VerifyOptions{Method: http.MethodPost, URL: req.URL, Now: s.now, MaxAge: s.cfg.ProofMaxAge, Skew: s.cfg.Skew})
	if err != nil {
		return "", oauth.NewError(http.StatusBadRequest, errInvalidDPoPProof, "the DPoP proof is not valid", err)
	}
	if err := s.store.Remember(ctx, "dpop:"+p.JKT+":"+p.JTI, p.IssuedAt.Add(s.cfg.ProofMaxAge+s.cfg.Skew)); err != nil {
		return "", oauth.NewError(http.StatusBadRequest, errInvalidDPoPProof, "the DPoP proof was used before", err)
	}
	return p.JKT, nil
}

// verifyPresentation checks the holder's signature (a key in the authentication relationship
// of the holder's DID), the audience (this token endpoint) and the server nonce, once.
func (s *Service) verifyPresentation(ctx context.Context, t tenant.Tenant, req TokenRequest) (w3cvc.Presentation, error) {
	vp, err := w3cvc.ParsePresentationJWT(ctx, req.Assertion, w3cvc.VerifyOptions{Now: s.now, Skew: s.cfg.Skew, Key: s.keyFor(did.Authentication)})
	if err != nil {
		return vp, oauth.NewError(http.StatusBadRequest, errInvalidGrant, fmt.Sprintf("the presentation does not verify (%s)", w3cvc.ReasonOf(err)), err)
	}
	if vp.Audience != s.TokenEndpoint(t.Slug) {
		return vp, oauth.NewError(http.StatusBadRequest, errInvalidGrant, "the presentation is meant for another audience (wrong_audience)", nil)
	}
	if err := s.spendNonce(ctx, t.ID, vp.Nonce); err != nil {
		if errors.Is(err, ErrReplay) {
			return vp, oauth.NewError(http.StatusBadRequest, errInvalidGrant, "the presentation was used before (replayed)", err)
		}
		return vp, oauth.NewError(http.StatusBadRequest, errInvalidGrant, "the nonce is not one this server gave, or has expired (wrong_nonce)", err)
	}
	return vp, nil
}

// covered keeps the toewijzingen the policy lets the token cover.
func covered(all []map[string]any, numbers []int64) []map[string]any {
	var out []map[string]any
	for _, z := range all {
		if n, ok := numberOf(z["toewijzingnummer"]); ok && slices.Contains(numbers, n) {
			out = append(out, z)
		}
	}
	return out
}

// mint signs the access token (RFC 9068) with the gemeente's key, bound to the DPoP key.
func (s *Service) mint(ctx context.Context, t tenant.Tenant, holder, jkt string, toewijzingen []map[string]any, reasons []string) (TokenResponse, error) {
	now := s.now().UTC()
	details := []AuthzDetail{{Type: AuthzDetailsType, Toewijzingen: toewijzingen}}
	claims := map[string]any{
		"iss": s.tenants.DID(t.Slug), "sub": holder, "aud": s.tenants.IssuerURL(t.Slug), "client_id": holder,
		"scope": Scope, "iat": now.Unix(), "exp": now.Add(s.cfg.TokenTTL).Unix(), "jti": uuid.NewString(),
		"cnf": map[string]any{"jkt": jkt}, "authorization_details": details,
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return TokenResponse{}, err
	}
	signer, err := s.tenants.Signer(ctx, t.Slug)
	if err != nil {
		return TokenResponse{}, err
	}
	token, err := jose.Sign(payload, signer, map[string]any{"typ": AccessTokenType})
	if err != nil {
		return TokenResponse{}, err
	}
	var nums []string
	for _, z := range toewijzingen {
		nums = append(nums, fmt.Sprint(z["toewijzingnummer"]))
	}
	_ = s.audit.Record(ctx, audit.Event{Action: "declareren.token", Outcome: audit.Success, Actor: holder, TenantID: t.ID,
		Details: map[string]string{"toewijzingen": strings.Join(nums, " "), "reasons": strings.Join(reasons, "; ")}})
	return TokenResponse{AccessToken: token, TokenType: "DPoP", ExpiresIn: int(s.cfg.TokenTTL.Seconds()), Scope: Scope, AuthorizationDetails: details}, nil
}

// deny audits a refused token request and returns err.
func (s *Service) deny(ctx context.Context, t tenant.Tenant, holder string, err error) error {
	reason := err.Error()
	var e *oauth.Error
	if errors.As(err, &e) {
		reason = e.Code + ": " + e.Description
	}
	actor := holder
	if actor == "" {
		actor = "anonymous"
	}
	_ = s.audit.Record(ctx, audit.Event{Action: "declareren.token", Outcome: audit.Denied, Actor: actor, TenantID: t.ID, Reason: reason})
	return err
}

// gemeente is the gemeente tenant of a token endpoint.
func (s *Service) gemeente(ctx context.Context, slug string) (tenant.Tenant, error) {
	t, err := s.tenants.Lookup(ctx, slug)
	if err != nil {
		return tenant.Tenant{}, err
	}
	if t.Kind != tenant.Gemeente {
		return tenant.Tenant{}, tenant.ErrNotFound
	}
	return t, nil
}

func numberOf(v any) (int64, bool) {
	switch n := v.(type) {
	case float64:
		return int64(n), n == float64(int64(n))
	case int64:
		return n, true
	case int:
		return int64(n), true
	case json.Number:
		i, err := n.Int64()
		return i, err == nil
	}
	return 0, false
}
