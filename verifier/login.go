package verifier

import (
	"context"
	"errors"
	"strings"

	"github.com/sociaaldomein/bewijs/internal/audit"
	"github.com/sociaaldomein/bewijs/internal/tenant"
)

// Login by disclosure: the OpenID4VCI authorization step of a gemeente asks the wallet for
// its PID over OpenID4VP (the named query pid-login, purpose login of the requests policy);
// the BSN of the verified PID identifies the citizen.
const (
	LoginQuery   = "pid-login"
	LoginPurpose = "login"
)

// ErrLoginFailed is a login by disclosure whose presentation is missing, not verified, not a
// PID accepted by the pid policy, or without a BSN.
var ErrLoginFailed = errors.New("verifier: the PID presentation does not log this citizen in")

// CreateLoginRequest starts the PID presentation of a login by disclosure for gemeente slug;
// after the response the wallet's browser goes to returnTo (which must already carry a query).
func (s *Service) CreateLoginRequest(ctx context.Context, slug, returnTo string) (View, error) {
	t, err := s.tenants.Lookup(ctx, slug)
	if err != nil {
		return View{}, err
	}
	if t.Kind != tenant.Gemeente {
		return View{}, tenant.ErrNotFound
	}
	in := NewRequest{QueryName: LoginQuery, Purpose: LoginPurpose, RequestURIMethod: "get"}
	query, err := s.resolveQuery(ctx, &in)
	if err != nil {
		return View{}, err
	}
	if err := s.fillDefaults(ctx, slug, &in); err != nil {
		return View{}, err
	}
	d, err := s.decideRequest(ctx, "citizen", t, in, query)
	if err != nil {
		return View{}, err
	}
	r, err := s.newRequest(ctx, t, slug, in, query, d)
	if err != nil {
		return View{}, err
	}
	r.ReturnTo = returnTo
	if err := s.store.CreateRequest(ctx, r); err != nil {
		return View{}, err
	}
	return s.view(slug, r), nil
}

// LoginPID returns the BSN of the verified PID of login request id, which the wallet's
// browser came back with (response_code). The pid policy decides which PID issuers are
// trusted for login; the decision is audited.
func (s *Service) LoginPID(ctx context.Context, slug, id, responseCode string) (string, error) {
	v, err := s.ShowByResponseCode(ctx, slug, id, responseCode)
	if err != nil {
		return "", ErrLoginFailed
	}
	e := audit.Event{Action: "presentation.login", Outcome: audit.Denied, Actor: "citizen", Subject: id}
	if r, err := s.store.Request(ctx, "", id); err == nil {
		e.TenantID = r.TenantID
		if r.QueryName != LoginQuery {
			e.Reason = "not_a_login_request"
			s.record(ctx, e)
			return "", ErrLoginFailed
		}
	}
	bsn, reason, err := s.pidBSN(ctx, v)
	if err != nil {
		return "", err
	}
	if reason != "" {
		e.Reason = reason
		s.record(ctx, e)
		return "", ErrLoginFailed
	}
	e.Outcome = audit.Success
	s.record(ctx, e)
	return bsn, nil
}

// pidBSN checks a login result and reads the BSN; reason says why it does not log in.
func (s *Service) pidBSN(ctx context.Context, v View) (string, string, error) {
	if v.State != Verified || v.Result == nil || len(v.Result.Credentials) != 1 {
		return "", "not_verified", nil
	}
	c := v.Result.Credentials[0]
	d, err := s.policy.Decide(ctx, "pid", map[string]any{"issuer": c.Issuer, "vct": c.VCT})
	if err != nil {
		return "", "", err
	}
	if !d.Allow {
		return "", "pid_policy_denied: " + strings.Join(d.Reasons, "; "), nil
	}
	bsn, _ := c.Claims["bsn"].(string)
	if bsn == "" {
		return "", "no_bsn", nil
	}
	return bsn, "", nil
}
