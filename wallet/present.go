package wallet

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/sociaaldomein/bewijs/internal/jose"
	"github.com/sociaaldomein/bewijs/internal/sdjwt"
	"github.com/sociaaldomein/bewijs/verifier/oid4vp"
)

// Plan says what the wallet will present for a Request: per Credential Query, which stored
// credential and exactly which claims. It holds claim values: show it to the holder, never
// log it.
type Plan struct {
	Items []PlannedCredential
}

// PlannedCredential answers one Credential Query.
type PlannedCredential struct {
	QueryID      string
	CredentialID string
	VCT          string
	Issuer       string
	HolderKeyID  string
	// Paths are the concrete claims path pointers disclosed (§7: strings and array indexes),
	// as oid4vp.Match selected them; nil when the query asks for no selectively disclosable
	// claims.
	Paths [][]any
	// Claims are the same paths with the values that go along.
	Claims []DisclosedClaim
	// AlwaysDisclosed are the top-level claims of the credential that are not selectively
	// disclosable (iss, vct, cnf, and whatever else the issuer left in plain text): every
	// presentation carries them.
	AlwaysDisclosed []string

	raw string // the SD-JWT as issued
}

// DisclosedClaim is one claim that goes to the verifier.
type DisclosedClaim struct {
	Path  []any
	Value any
}

// PlanPresentation matches the request's DCQL query (§6.4) against creds and answers each
// Credential Query the wallet must answer (and, with PresentOptions.IncludeOptional, those of
// optional credential sets) with its first matching credential. When the credentials cannot
// satisfy the query it returns the *oid4vp.UnsatisfiedError naming what is missing.
func (c *Client) PlanPresentation(req Request, creds []Credential) (Plan, error) {
	q := req.Authorization.DCQLQuery
	if q == nil {
		return Plan{}, refuse(ReasonUnsupported, "the request has no dcql_query")
	}
	byID := make(map[string]Credential, len(creds))
	cands := make([]oid4vp.Candidate, 0, len(creds))
	for _, cr := range creds {
		byID[cr.ID] = cr
		cands = append(cands, oid4vp.Candidate{ID: cr.ID, Format: cr.Format, VCT: cr.VCT, Claims: cr.Claims})
	}
	res, err := oid4vp.Match(*q, cands)
	if err != nil {
		return Plan{}, err
	}
	ids := res.Selected
	if req.includeOptional {
		ids = append(slices.Clone(ids), res.Optional...)
	}
	var plan Plan
	for _, id := range ids {
		m := res.Matches[id][0]
		item, err := planItem(id, byID[m.CandidateID], m.Paths)
		if err != nil {
			return Plan{}, err
		}
		plan.Items = append(plan.Items, item)
	}
	return plan, nil
}

func planItem(queryID string, cred Credential, paths [][]any) (PlannedCredential, error) {
	if cred.Format != oid4vp.FormatSDJWTVC {
		return PlannedCredential{}, fmt.Errorf("credential %s has format %q; this wallet presents only %s", cred.ID, cred.Format, oid4vp.FormatSDJWTVC)
	}
	item := PlannedCredential{QueryID: queryID, CredentialID: cred.ID, VCT: cred.VCT, Issuer: cred.Issuer,
		HolderKeyID: cred.HolderKeyID, Paths: paths, raw: cred.Raw}
	for _, p := range paths {
		_, values, err := oid4vp.SelectClaims(cred.Claims, p)
		if err != nil || len(values) != 1 {
			return PlannedCredential{}, fmt.Errorf("credential %s: claim %s cannot be selected", cred.ID, PathString(p))
		}
		item.Claims = append(item.Claims, DisclosedClaim{Path: p, Value: values[0]})
	}
	var err error
	if item.AlwaysDisclosed, err = plaintextClaims(cred.Raw); err != nil {
		return PlannedCredential{}, fmt.Errorf("credential %s: %w", cred.ID, err)
	}
	return item, nil
}

// plaintextClaims lists the top-level member names of the issuer-signed JWT payload, which
// every presentation discloses (RFC 9901 §4.1: _sd and _sd_alg excluded).
func plaintextClaims(raw string) ([]string, error) {
	jwt, _, _ := strings.Cut(raw, "~")
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return nil, errors.New("not an SD-JWT")
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return nil, errors.New("SD-JWT payload is not base64url")
	}
	var payload map[string]json.RawMessage
	if err := json.Unmarshal(b, &payload); err != nil {
		return nil, errors.New("SD-JWT payload is not a JSON object")
	}
	names := make([]string, 0, len(payload))
	for name := range payload {
		if name != "_sd" && name != "_sd_alg" {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names, nil
}

// PresentResult is what was sent. Disclosed holds claim values: print it for the holder,
// never log it.
type PresentResult struct {
	Verifier     string      `json:"verifier"`
	ClientID     string      `json:"client_id"`
	ResponseMode string      `json:"response_mode"`
	Disclosed    []Disclosed `json:"disclosed"`
	// RedirectURI is where the Response URI asks the user agent to go next (§8.2: "When this
	// parameter is present the Wallet MUST redirect the user agent to this URI").
	RedirectURI string `json:"redirect_uri,omitempty"`
}

// Disclosed is one presented credential.
type Disclosed struct {
	QueryID      string         `json:"query_id"`
	CredentialID string         `json:"credential_id"`
	VCT          string         `json:"vct"`
	Paths        [][]any        `json:"paths"`
	Claims       map[string]any `json:"claims"` // by PathString
}

// Present builds one SD-JWT VC presentation per planned credential, disclosing only the
// planned claims with a Key Binding JWT for the verifier (B.3.6), and sends the
// Authorization Response (§8.1) to the Response URI with direct_post or direct_post.jwt.
// keys returns the holder key of a credential.
func (c *Client) Present(ctx context.Context, req Request, plan Plan, keys func(holderKeyID string) (Key, error)) (PresentResult, error) {
	if len(plan.Items) == 0 {
		return PresentResult{}, errors.New("the plan presents nothing")
	}
	// §8.1 vp_token: "the key is the id value used for a Credential Query in the DCQL query
	// and the value is an array of one or more Presentations".
	token := oid4vp.VPToken{}
	result := PresentResult{Verifier: req.VerifierName, ClientID: req.ClientID, ResponseMode: req.Authorization.ResponseMode}
	for _, it := range plan.Items {
		p, err := c.presentOne(req, it, keys)
		if err != nil {
			return PresentResult{}, err
		}
		token[it.QueryID] = append(token[it.QueryID], p)
		result.Disclosed = append(result.Disclosed, disclosedOf(it))
	}
	resp := oid4vp.AuthorizationResponse{VPToken: token, State: req.Authorization.State}
	redirect, err := c.sendResponse(ctx, req, resp)
	if err != nil {
		return PresentResult{}, err
	}
	result.RedirectURI = redirect
	return result, nil
}

// presentOne makes the presentation of one planned credential.
func (c *Client) presentOne(req Request, it PlannedCredential, keys func(string) (Key, error)) (string, error) {
	var kb *sdjwt.KeyBinding
	if it.HolderKeyID != "" {
		if keys == nil {
			return "", errors.New("no holder keys given")
		}
		key, err := keys(it.HolderKeyID)
		if err != nil {
			return "", fmt.Errorf("holder key of credential %s: %w", it.CredentialID, err)
		}
		if key.Private == nil {
			return "", fmt.Errorf("holder key of credential %s has no private key", it.CredentialID)
		}
		// B.3.6: "the nonce claim MUST be the value of nonce from the Authorization Request"
		// and "the aud claim MUST be the value of the Client Identifier". §14.10: always the
		// full Client Identifier, with its prefix.
		kb = &sdjwt.KeyBinding{Signer: jose.Signer{Key: key.Private}, Audience: req.ClientID,
			Nonce: req.Authorization.Nonce, IssuedAt: c.now()}
	}
	p, err := sdjwt.Present(it.raw, keepPaths(it.Paths), kb)
	if err != nil {
		return "", fmt.Errorf("presenting credential %s: %w", it.CredentialID, err)
	}
	return p, nil
}

// keepPaths turns claims path pointers into the disclosure filter of sdjwt.Present (member
// names, array indexes in decimal). A disclosure is kept when its path leads to a requested
// claim (a parent object that must go along, RFC 9901 §4.2.6) or lies inside one (a requested
// object discloses all of itself).
func keepPaths(paths [][]any) func([]string) bool {
	want := make([][]string, 0, len(paths))
	for _, p := range paths {
		want = append(want, sdPath(p))
	}
	return func(p []string) bool {
		for _, w := range want {
			if isPrefix(p, w) || isPrefix(w, p) {
				return true
			}
		}
		return false
	}
}

func sdPath(p []any) []string {
	out := make([]string, len(p))
	for i, el := range p {
		switch v := el.(type) {
		case string:
			out[i] = v
		case int:
			out[i] = strconv.Itoa(v)
		default:
			out[i] = fmt.Sprint(v)
		}
	}
	return out
}

func isPrefix(prefix, p []string) bool {
	return len(prefix) <= len(p) && slices.Equal(prefix, p[:len(prefix)])
}

func disclosedOf(it PlannedCredential) Disclosed {
	d := Disclosed{QueryID: it.QueryID, CredentialID: it.CredentialID, VCT: it.VCT, Paths: it.Paths, Claims: map[string]any{}}
	for _, cl := range it.Claims {
		d.Claims[PathString(cl.Path)] = cl.Value
	}
	return d
}

// PathString renders a claims path pointer for people: client.naam.voornamen, items[0].
func PathString(p []any) string {
	var b strings.Builder
	for i, el := range p {
		switch v := el.(type) {
		case string:
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(v)
		case nil:
			b.WriteString("[*]")
		default:
			fmt.Fprintf(&b, "[%v]", v)
		}
	}
	return b.String()
}
