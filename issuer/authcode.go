package issuer

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/sociaaldomein/bewijs/internal/audit"
	"github.com/sociaaldomein/bewijs/internal/pkce"
	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/issuer/oid4vci"
)

// The authorization code flow (OpenID4VCI 1.0 §5, RFC 6749 §4.1) for a citizen who starts in
// the wallet: the wallet pushes its authorization request (RFC 9126 PAR, required), the
// citizen logs in at the authorization endpoint with a pluggable Authenticator, and the
// wallet redeems the code with PKCE (RFC 7636, S256 only) and, when it uses DPoP, a code
// bound to its DPoP key (RFC 9449 §10).

// requestURIPrefix is RFC 9126 §2.2's URN prefix.
const requestURIPrefix = "urn:ietf:params:oauth:request_uri:"

// parLifetime: long enough for a citizen to type a login code.
const parLifetime = 10 * time.Minute

// maxLoginFailures is how many wrong logins one pushed request allows.
const maxLoginFailures = 5

// PARRequest is a parsed pushed authorization request.
type PARRequest struct {
	ClientID             string
	ResponseType         string
	RedirectURI          string
	CodeChallenge        string
	CodeChallengeMethod  string
	State                string
	Scope                string
	AuthorizationDetails string
	DPoPJKT              string // RFC 9449 §10: the dpop_jkt parameter
	DPoP                 string
	URL                  string
}

// PARResponse is RFC 9126 §2.2.
type PARResponse struct {
	RequestURI string `json:"request_uri"`
	ExpiresIn  int    `json:"expires_in"`
}

// parParams is what is kept of a pushed request until the citizen has logged in.
type parParams struct {
	ClientID      string   `json:"client_id"`
	RedirectURI   string   `json:"redirect_uri"`
	CodeChallenge string   `json:"code_challenge"`
	State         string   `json:"state,omitempty"`
	Configs       []string `json:"configs"`
	DPoPJKT       string   `json:"dpop_jkt,omitempty"`
}

// PushAuthorizationRequest is the PAR endpoint.
func (i *Issuer) PushAuthorizationRequest(ctx context.Context, slug string, req PARRequest) (PARResponse, string, error) {
	t, err := i.issuingTenant(ctx, slug)
	if err != nil {
		return PARResponse{}, "", oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrInvalidRequest, "unknown issuer", err)
	}
	p, err := validatePAR(req)
	if err != nil {
		return PARResponse{}, "", err
	}
	// RFC 9449 §10: the code is bound to a DPoP key named by the dpop_jkt parameter or by a
	// DPoP proof at the PAR endpoint (§10.1); "if both are present, the authorization server
	// MUST check that the values match".
	p.DPoPJKT = req.DPoPJKT
	var nonce string
	if req.DPoP != "" {
		var jkt string
		if jkt, nonce, err = i.checkDPoP(ctx, t, req.DPoP, http.MethodPost, req.URL, "", ""); err != nil {
			return PARResponse{}, nonce, err
		}
		if p.DPoPJKT != "" && p.DPoPJKT != jkt {
			return PARResponse{}, nonce, oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrInvalidDPoPProof, "dpop_jkt does not match the DPoP proof's key", nil)
		}
		p.DPoPJKT = jkt
	}
	body, err := json.Marshal(p)
	if err != nil {
		return PARResponse{}, "", err
	}
	id, err := randomToken()
	if err != nil {
		return PARResponse{}, "", err
	}
	uri := requestURIPrefix + id
	if err := i.store.SavePAR(ctx, t.ID, uri, body, i.now().UTC().Add(parLifetime)); err != nil {
		return PARResponse{}, "", err
	}
	return PARResponse{RequestURI: uri, ExpiresIn: int(parLifetime / time.Second)}, nonce, nil
}

func validatePAR(req PARRequest) (parParams, error) {
	bad := func(code, desc string) error { return oid4vci.NewError(http.StatusBadRequest, code, desc, nil) }
	switch {
	case req.ResponseType != "code":
		return parParams{}, bad("unsupported_response_type", "response_type must be code")
	case req.ClientID == "":
		return parParams{}, bad(oid4vci.ErrInvalidRequest, "client_id is required")
	case !validRedirect(req.RedirectURI):
		return parParams{}, bad(oid4vci.ErrInvalidRequest, "redirect_uri must be an absolute URI without fragment")
	}
	// RFC 7636 §4.3 with S256 required (HAIP): plain is refused.
	if err := pkce.CheckChallenge(req.CodeChallenge, req.CodeChallengeMethod); err != nil {
		return parParams{}, oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrInvalidRequest, "code_challenge with code_challenge_method S256 is required", err)
	}
	configs, err := requestedConfigs(req.Scope, req.AuthorizationDetails)
	if err != nil {
		return parParams{}, err
	}
	return parParams{ClientID: req.ClientID, RedirectURI: req.RedirectURI, CodeChallenge: req.CodeChallenge, State: req.State, Configs: configs}, nil
}

func validRedirect(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && u.Fragment == "" && (u.Host != "" || u.Opaque != "" || u.Path != "")
}

// requestedConfigs reads the credential configurations asked for by scope (§5.1.2: the
// scope values of credential_configurations_supported) or authorization_details (§5.1.1).
func requestedConfigs(scope, details string) ([]string, error) {
	known := []string{ConfigWmo, ConfigJeugdwet}
	var out []string
	for _, s := range strings.Fields(scope) {
		if slices.Contains(known, s) {
			out = append(out, s)
		}
	}
	if details != "" {
		var ds []oid4vci.AuthorizationDetail
		if err := json.Unmarshal([]byte(details), &ds); err != nil {
			return nil, oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrInvalidAuthorizationDetails, "authorization_details is not a JSON array", err)
		}
		for _, d := range ds {
			if d.Type != oid4vci.AuthzDetailsType || !slices.Contains(known, d.CredentialConfigurationID) {
				return nil, oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrInvalidAuthorizationDetails, "unknown authorization_details entry", nil)
			}
			out = append(out, d.CredentialConfigurationID)
		}
	}
	if len(out) == 0 {
		return nil, oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrInvalidScope, "ask for a credential configuration by scope or authorization_details", nil)
	}
	return out, nil
}

// redeemAuthorizationCode is the authorization_code grant (RFC 6749 §4.1.3).
func (i *Issuer) redeemAuthorizationCode(ctx context.Context, t tenant.Tenant, req TokenRequest, jkt string) (Code, error) {
	grant := func(desc string, cause error) error {
		return oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrInvalidGrant, desc, cause)
	}
	if req.Code == "" || req.CodeVerifier == "" {
		return Code{}, oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrInvalidRequest, "code and code_verifier are required", nil)
	}
	code, err := i.store.RedeemAuthorizationCode(ctx, t.ID, hashSecret(req.Code), i.now().UTC())
	if err != nil {
		return Code{}, grant("authorization code is invalid, used or expired", err)
	}
	// RFC 7636 §4.6: the server MUST verify code_verifier against the code_challenge.
	if err := pkce.Verify(code.CodeChallenge, pkce.MethodS256, req.CodeVerifier); err != nil {
		return Code{}, grant("code_verifier does not match the code_challenge", err)
	}
	// RFC 6749 §4.1.3: redirect_uri must be identical; the client must be the one the code
	// was issued to.
	if req.RedirectURI != code.RedirectURI || req.ClientID != code.ClientID {
		return Code{}, grant("redirect_uri or client_id differs from the authorization request", nil)
	}
	// RFC 9449 §10: a code bound to a DPoP key is redeemed only with a proof by that key.
	if code.DPoPJKT != "" && code.DPoPJKT != jkt {
		return Code{}, oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrInvalidDPoPProof, "the code is bound to another DPoP key", nil)
	}
	return code, nil
}

// errLogin is the generic login failure: the page says the code is wrong without saying why.
var errLogin = errors.New("login failed")

// LoginPage is what the authorization endpoint shows.
type LoginPage struct {
	Issuer     string
	RequestURI string
	ClientID   string
	Fields     []LoginField
	Error      string
	// PIDLogin is the link to log in by disclosing the wallet's PID, when the server offers it.
	PIDLogin string
}

// AuthorizationPage checks a pushed request and returns the login page for it.
func (i *Issuer) AuthorizationPage(ctx context.Context, slug, clientID, requestURI string) (LoginPage, error) {
	t, err := i.issuingTenant(ctx, slug)
	if err != nil {
		return LoginPage{}, err
	}
	if _, err := i.pushedRequest(ctx, t, clientID, requestURI); err != nil {
		return LoginPage{}, err
	}
	return LoginPage{Issuer: t.Name, RequestURI: requestURI, ClientID: clientID, Fields: i.auth.Fields()}, nil
}

// pushedRequest loads a pushed request for the authorization endpoint. RFC 9126 §4: the
// authorization server MUST only accept a request_uri it issued to this client.
func (i *Issuer) pushedRequest(ctx context.Context, t tenant.Tenant, clientID, requestURI string) (parParams, error) {
	raw, failures, err := i.store.PAR(ctx, t.ID, requestURI, i.now().UTC())
	if err != nil || failures >= maxLoginFailures {
		return parParams{}, oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrInvalidRequest, "request_uri is unknown, used or expired", err)
	}
	var p parParams
	if err := json.Unmarshal(raw, &p); err != nil {
		return parParams{}, err
	}
	if p.ClientID != clientID {
		return parParams{}, oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrInvalidRequest, "request_uri was pushed by another client", nil)
	}
	return p, nil
}

// Authorize handles the submitted login form. On success it returns the redirect to the
// wallet with code, state and iss (RFC 9207); on a wrong login the page to show again.
func (i *Issuer) Authorize(ctx context.Context, slug, clientID, requestURI string, form map[string]string) (string, *LoginPage, error) {
	t, err := i.issuingTenant(ctx, slug)
	if err != nil {
		return "", nil, err
	}
	p, err := i.pushedRequest(ctx, t, clientID, requestURI)
	if err != nil {
		return "", nil, err
	}
	beschikkingID, err := i.auth.Authenticate(ctx, t.ID, form)
	if err != nil {
		_, _ = i.store.CountPARFailure(ctx, requestURI)
		i.record(ctx, audit.Event{Action: "oid4vci.login", Outcome: audit.Denied, Actor: "citizen", TenantID: t.ID, Reason: err.Error()})
		if !errors.Is(err, errLogin) {
			return "", nil, err
		}
		page := LoginPage{Issuer: t.Name, RequestURI: requestURI, ClientID: clientID, Fields: i.auth.Fields(), Error: "De code klopt niet. / The code is not correct."}
		return "", &page, nil
	}
	if _, err := i.store.RedeemPAR(ctx, t.ID, requestURI, i.now().UTC()); err != nil {
		return "", nil, oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrInvalidRequest, "request_uri was used already", err)
	}
	code, err := randomToken()
	if err != nil {
		return "", nil, err
	}
	c := Code{Hash: hashSecret(code), Kind: "authorization", TenantID: t.ID, BeschikkingID: beschikkingID, CodeChallenge: p.CodeChallenge,
		RedirectURI: p.RedirectURI, ClientID: p.ClientID, DPoPJKT: p.DPoPJKT, ExpiresAt: i.now().UTC().Add(time.Minute)}
	if err := i.store.SaveCode(ctx, c); err != nil {
		return "", nil, err
	}
	i.record(ctx, audit.Event{Action: "oid4vci.login", Outcome: audit.Success, Actor: "citizen", TenantID: t.ID, Subject: beschikkingID})
	return redirectWithCode(p, code, i.tenants.IssuerURL(slug)), nil, nil
}

func redirectWithCode(p parParams, code, iss string) string {
	u, _ := url.Parse(p.RedirectURI)
	q := u.Query()
	q.Set("code", code)
	if p.State != "" {
		q.Set("state", p.State)
	}
	q.Set("iss", iss) // RFC 9207 §2
	u.RawQuery = q.Encode()
	return u.String()
}
