package declareren

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/internal/audit"
	"github.com/sociaaldomein/bewijs/internal/dpop"
	"github.com/sociaaldomein/bewijs/internal/jose"
	"github.com/sociaaldomein/bewijs/internal/oauth"
	"github.com/sociaaldomein/bewijs/internal/tenant"
)

// Line is one declaratie line as the aanbieder sends it (dates ISO 8601, bedrag in eurocent).
type Line struct {
	Toewijzingnummer int64  `json:"toewijzingnummer"`
	Productcategorie string `json:"productcategorie"`
	Productcode      string `json:"productcode"`
	Begindatum       string `json:"begindatum"`
	Einddatum        string `json:"einddatum"`
	GeleverdVolume   int64  `json:"geleverdVolume"`
	Eenheid          string `json:"eenheid"`
	Bedrag           int64  `json:"bedrag"`
}

// Declaratie is an accepted, stored line.
type Declaratie struct {
	ID           string    `json:"id"`
	TenantID     string    `json:"-"`
	AanbiederDID string    `json:"aanbieder"`
	Line                   // the line as declared
	CreatedAt    time.Time `json:"created_at"`
}

// Outcome is the answer to a declaratie line.
type Outcome struct {
	ID       string   `json:"id,omitempty"`
	Accepted bool     `json:"accepted"`
	Reasons  []string `json:"reasons"`
}

// DeclareRequest is a declaratie line with its access token and DPoP proof.
type DeclareRequest struct {
	AccessToken string
	DPoP        string
	URL         string
	Line        Line
}

// accessToken is what a verified access token says.
type accessToken struct {
	Slug         string
	TenantID     string
	Holder       string
	JKT          string
	Toewijzingen []map[string]any
}

// Declare checks one declaratie line against the toewijzing the access token covers, by the
// declareren policy, and stores it when accepted. Every decision is audited.
func (s *Service) Declare(ctx context.Context, req DeclareRequest) (Outcome, error) {
	at, err := s.checkAccessToken(ctx, req)
	if err != nil {
		return Outcome{}, err
	}
	input, err := s.declaratieInput(ctx, at, req.Line)
	if err != nil {
		return Outcome{}, err
	}
	d, err := s.policy.DecideRule(ctx, "declareren", "declaratie_decision", input)
	if err != nil {
		return Outcome{}, err
	}
	e := audit.Event{Action: "declaratie.check", Outcome: audit.Denied, Actor: at.Holder, TenantID: at.TenantID,
		Subject: fmt.Sprint(req.Line.Toewijzingnummer), Reason: strings.Join(d.Reasons, "; ")}
	if !d.Allow {
		_ = s.audit.Record(ctx, e)
		return Outcome{Accepted: false, Reasons: d.Reasons}, nil
	}
	decl := Declaratie{ID: uuid.NewString(), TenantID: at.TenantID, AanbiederDID: at.Holder, Line: req.Line, CreatedAt: s.now().UTC()}
	if err := s.store.Save(ctx, decl); err != nil {
		return Outcome{}, err
	}
	e.Outcome, e.Subject, e.Reason = audit.Success, decl.ID, ""
	e.Details = map[string]string{"toewijzing": fmt.Sprint(req.Line.Toewijzingnummer)}
	_ = s.audit.Record(ctx, e)
	return Outcome{ID: decl.ID, Accepted: true, Reasons: d.Reasons}, nil
}

// checkAccessToken verifies the access token (signature of the gemeente's key, exp, scope) and
// its DPoP proof with ath (RFC 9449 §7): a token without its key is refused.
func (s *Service) checkAccessToken(ctx context.Context, req DeclareRequest) (accessToken, error) {
	unauthorized := func(desc string, cause error) error {
		return oauth.NewError(http.StatusUnauthorized, errInvalidToken, desc, cause)
	}
	h, err := jose.ParseHeader(req.AccessToken)
	if err != nil || h.Typ != AccessTokenType {
		return accessToken{}, unauthorized("the access token is not a declareren token", err)
	}
	issuerDID, _, _ := strings.Cut(h.Kid, "#")
	slug := issuerDID[strings.LastIndex(issuerDID, ":")+1:]
	t, err := s.gemeente(ctx, slug)
	if err != nil || s.tenants.DID(slug) != issuerDID {
		return accessToken{}, unauthorized("the access token is not from a gemeente here", err)
	}
	key, err := s.keyFor(did.AssertionMethod)(ctx, h.Kid)
	if err != nil {
		return accessToken{}, unauthorized("the access token's key is unknown", err)
	}
	payload, _, err := jose.Verify(req.AccessToken, key)
	if err != nil {
		return accessToken{}, unauthorized("the access token does not verify", err)
	}
	var c struct {
		Iss, Sub, Scope string
		Exp             int64
		Cnf             struct {
			JKT string `json:"jkt"`
		} `json:"cnf"`
		Details []AuthzDetail `json:"authorization_details"`
	}
	if err := json.Unmarshal(payload, &c); err != nil || c.Iss != issuerDID || c.Scope != Scope || c.Cnf.JKT == "" {
		return accessToken{}, unauthorized("the access token is not valid for declaraties", err)
	}
	if !s.now().Before(time.Unix(c.Exp, 0)) {
		return accessToken{}, unauthorized("the access token has expired", nil)
	}
	if req.DPoP == "" {
		return accessToken{}, unauthorized("a DPoP proof is required with this token", nil)
	}
	p, err := dpop.Verify(req.DPoP, dpop.VerifyOptions{Method: http.MethodPost, URL: req.URL, Now: s.now, MaxAge: s.cfg.ProofMaxAge,
		Skew: s.cfg.Skew, AccessToken: req.AccessToken, JKT: c.Cnf.JKT})
	if err != nil {
		return accessToken{}, oauth.NewError(http.StatusUnauthorized, errInvalidDPoPProof, "the DPoP proof is not valid for this token", err)
	}
	if err := s.store.Remember(ctx, "dpop:"+p.JKT+":"+p.JTI, p.IssuedAt.Add(s.cfg.ProofMaxAge+s.cfg.Skew)); err != nil {
		return accessToken{}, oauth.NewError(http.StatusUnauthorized, errInvalidDPoPProof, "the DPoP proof was used before", err)
	}
	at := accessToken{Slug: slug, TenantID: t.ID, Holder: c.Sub, JKT: c.Cnf.JKT}
	for _, d := range c.Details {
		if d.Type == AuthzDetailsType {
			at.Toewijzingen = append(at.Toewijzingen, d.Toewijzingen...)
		}
	}
	return at, nil
}

// declaratieInput is the declaratie_decision input: the line, the toewijzing the token
// covers with that number, and what was declared before (in total and in the line's period).
func (s *Service) declaratieInput(ctx context.Context, at accessToken, l Line) (map[string]any, error) {
	var covered []int64
	var z map[string]any
	for _, t := range at.Toewijzingen {
		if n, ok := numberOf(t["toewijzingnummer"]); ok {
			covered = append(covered, n)
			if n == l.Toewijzingnummer {
				z = t
			}
		}
	}
	total, err := s.store.Declared(ctx, at.TenantID, l.Toewijzingnummer, "", "")
	if err != nil {
		return nil, err
	}
	from, to := period(frequentieOf(z), l.Begindatum)
	inPeriod := int64(0)
	if from != "" {
		if inPeriod, err = s.store.Declared(ctx, at.TenantID, l.Toewijzingnummer, from, to); err != nil {
			return nil, err
		}
	}
	in := map[string]any{"now": rfc3339(s.now()), "holder": at.Holder, "covered": covered, "declaratie": l,
		"declared_before": map[string]any{"volume": total, "in_period": map[string]any{"volume": inPeriod}}}
	if z != nil {
		z = maps.Clone(z)
		z["status"] = s.currentStatus(ctx, z)
		in["toewijzing"] = z
	}
	return in, nil
}

func frequentieOf(z map[string]any) string {
	o, _ := z["omvang"].(map[string]any)
	f, _ := o["frequentie"].(string)
	return f
}

// period is the frequentie period (WMO757) that holds date: the day (1), the ISO week (2),
// the calendar month (4); "" for the others.
func period(frequentie, date string) (string, string) {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return "", ""
	}
	switch frequentie {
	case "1":
		return date, date
	case "2":
		monday := d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
		return monday.Format(time.DateOnly), monday.AddDate(0, 0, 6).Format(time.DateOnly)
	case "4":
		first := time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
		return first.Format(time.DateOnly), first.AddDate(0, 1, -1).Format(time.DateOnly)
	}
	return "", ""
}

// List returns the accepted declaraties of a gemeente.
func (s *Service) List(ctx context.Context, actor tenant.Principal, slug string) ([]Declaratie, error) {
	if _, err := s.tenants.Get(ctx, actor, slug); err != nil {
		return nil, err
	}
	t, err := s.gemeente(ctx, slug)
	if err != nil {
		return nil, err
	}
	return s.store.List(ctx, t.ID)
}
