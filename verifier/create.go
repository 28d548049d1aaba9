package verifier

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/sociaaldomein/bewijs/internal/audit"
	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/verifier/oid4vp"
)

// NewRequest is what a verifier tenant asks for.
type NewRequest struct {
	// QueryName names a DCQL query of the requests policy (e.g. "zorgstart"); Query is an
	// explicit DCQL query. Exactly one is given.
	QueryName string          `json:"query,omitempty"`
	Query     json.RawMessage `json:"dcql_query,omitempty"`
	// Purpose is the purpose of the requests policy; "" with a named query: the query name.
	Purpose string `json:"purpose,omitempty"`
	// ResponseMode is direct_post or direct_post.jwt (default, HAIP).
	ResponseMode string `json:"response_mode,omitempty"`
	// ClientIDPrefix is x509_hash (default when the tenant has a certificate),
	// x509_san_dns or decentralized_identifier (default otherwise).
	ClientIDPrefix string `json:"client_id_prefix,omitempty"`
	// RequestURIMethod is post (default: the wallet may send wallet_nonce) or get.
	RequestURIMethod string `json:"request_uri_method,omitempty"`
	// WebhookURL receives a signed notice when the request completes.
	WebhookURL string `json:"webhook_url,omitempty"`
}

// Created is a new presentation request as the admin API and CLI show it.
type Created struct {
	View
}

// InvalidRequestError names the fields of a NewRequest that are not acceptable.
type InvalidRequestError struct {
	Fields []FieldError
}

// FieldError is one invalid field.
type FieldError struct {
	Field  string
	Reason string
}

func (e *InvalidRequestError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Reason
	}
	return "invalid presentation request: " + strings.Join(parts, "; ")
}

func invalidField(field, format string, args ...any) *InvalidRequestError {
	return &InvalidRequestError{Fields: []FieldError{{Field: field, Reason: fmt.Sprintf(format, args...)}}}
}

// PolicyDeniedError is a request the requests policy refused; Reasons are the policy's.
type PolicyDeniedError struct {
	Reasons []string
}

func (e *PolicyDeniedError) Error() string {
	return "the requests policy refuses this request: " + strings.Join(e.Reasons, "; ")
}

// CreateRequest checks a NewRequest against the requests policy and stores it. The decision
// is audited either way.
func (s *Service) CreateRequest(ctx context.Context, actor tenant.Principal, slug string, in NewRequest) (Created, error) {
	t, err := s.verifierTenant(ctx, actor, slug)
	if err != nil {
		return Created{}, err
	}
	query, err := s.resolveQuery(ctx, &in)
	if err != nil {
		return Created{}, err
	}
	if err := s.fillDefaults(ctx, slug, &in); err != nil {
		return Created{}, err
	}
	decision, err := s.decideRequest(ctx, actor.Actor(), t, in, query)
	if err != nil {
		return Created{}, err
	}
	r, err := s.newRequest(ctx, t, slug, in, query, decision)
	if err != nil {
		return Created{}, err
	}
	if err := s.store.CreateRequest(ctx, r); err != nil {
		return Created{}, err
	}
	return Created{View: s.view(slug, r)}, nil
}

// verifierTenant is the tenant the actor may act for; every kind may verify.
func (s *Service) verifierTenant(ctx context.Context, actor tenant.Principal, slug string) (tenant.Tenant, error) {
	if _, err := s.tenants.Get(ctx, actor, slug); err != nil {
		return tenant.Tenant{}, err
	}
	return s.tenants.Lookup(ctx, slug)
}

// resolveQuery takes the named query from policy or parses the explicit one (OpenID4VP 1.0 §6).
func (s *Service) resolveQuery(ctx context.Context, in *NewRequest) (oid4vp.Query, error) {
	raw := in.Query
	switch {
	case in.QueryName != "" && len(in.Query) > 0:
		return oid4vp.Query{}, invalidField("query", "give a named query or a dcql_query, not both")
	case in.QueryName != "":
		named, err := s.policy.NamedQuery(ctx, in.QueryName)
		if err != nil {
			return oid4vp.Query{}, invalidField("query", "no named query %q in the requests policy", in.QueryName)
		}
		raw = named
		if in.Purpose == "" {
			in.Purpose = in.QueryName
		}
	case len(in.Query) == 0:
		return oid4vp.Query{}, invalidField("query", "give a named query or a dcql_query")
	}
	q, err := oid4vp.ParseQuery(raw)
	if err != nil {
		return oid4vp.Query{}, invalidField("dcql_query", "%v", err)
	}
	for _, cq := range q.Credentials {
		if cq.Format != oid4vp.FormatSDJWTVC {
			return oid4vp.Query{}, invalidField("dcql_query", "credential query %q: only format %s is supported", cq.ID, oid4vp.FormatSDJWTVC)
		}
	}
	in.Query = raw
	if in.Purpose == "" {
		return oid4vp.Query{}, invalidField("purpose", "a purpose is required with an explicit dcql_query")
	}
	return q, nil
}

// fillDefaults sets and checks the protocol choices.
func (s *Service) fillDefaults(ctx context.Context, slug string, in *NewRequest) error {
	if in.ResponseMode == "" {
		in.ResponseMode = oid4vp.ResponseModeDirectPostJWT
	}
	if in.ResponseMode != oid4vp.ResponseModeDirectPost && in.ResponseMode != oid4vp.ResponseModeDirectPostJWT {
		return invalidField("response_mode", "use direct_post or direct_post.jwt")
	}
	if in.RequestURIMethod == "" {
		in.RequestURIMethod = oid4vp.RequestURIMethodPost
	}
	if in.RequestURIMethod != oid4vp.RequestURIMethodPost && in.RequestURIMethod != oid4vp.RequestURIMethodGet {
		return invalidField("request_uri_method", "use post or get")
	}
	if in.WebhookURL != "" {
		if u, err := url.Parse(in.WebhookURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return invalidField("webhook_url", "an absolute https URL is required")
		}
	}
	if in.ClientIDPrefix == "" {
		chain, err := s.chain(ctx, slug)
		if err != nil {
			return err
		}
		in.ClientIDPrefix = oid4vp.PrefixDecentralizedIdentifier
		if len(chain) > 0 {
			in.ClientIDPrefix = oid4vp.PrefixX509Hash
		}
	}
	return nil
}

// decideRequest asks the requests policy and audits its decision.
func (s *Service) decideRequest(ctx context.Context, actor string, t tenant.Tenant, in NewRequest, query oid4vp.Query) (Decision, error) {
	var q any
	if err := json.Unmarshal(in.Query, &q); err != nil {
		return Decision{}, invalidField("dcql_query", "not JSON")
	}
	input := map[string]any{
		"verifier": map[string]any{"did": s.tenants.DID(t.Slug), "kind": string(t.Kind), "slug": t.Slug},
		"purpose":  in.Purpose,
		"query":    q,
	}
	d, err := s.policy.Decide(ctx, "requests", input)
	if err != nil {
		return Decision{}, fmt.Errorf("verifier: requests policy: %w", err)
	}
	e := audit.Event{Action: "presentation.request", Actor: actor, TenantID: t.ID, Subject: in.Purpose,
		Outcome: audit.Success, Details: map[string]string{"policy_revision": d.Revision, "reasons": strings.Join(d.Reasons, "; "),
			"credential_queries": fmt.Sprint(len(query.Credentials))}}
	if !d.Allow {
		e.Outcome, e.Reason = audit.Denied, "policy_denied"
	}
	if err := s.audit.Record(ctx, e); err != nil {
		return Decision{}, err
	}
	if !d.Allow {
		return d, &PolicyDeniedError{Reasons: d.Reasons}
	}
	return d, nil
}

// newRequest builds the stored request: the client identifier, nonce, state and, for
// direct_post.jwt, a fresh P-256 key the response is encrypted to (OpenID4VP 1.0 §8.3, HAIP:
// an ephemeral key per request).
func (s *Service) newRequest(ctx context.Context, t tenant.Tenant, slug string, in NewRequest, q oid4vp.Query, d Decision) (Request, error) {
	clientID, err := s.clientID(ctx, slug, in.ClientIDPrefix)
	if err != nil {
		return Request{}, err
	}
	decision, err := json.Marshal(d)
	if err != nil {
		return Request{}, err
	}
	now := s.now().UTC()
	r := Request{ID: uuid.NewString(), TenantID: t.ID, State: Pending, Purpose: in.Purpose, QueryName: in.QueryName,
		Query: in.Query, ClientID: clientID, ResponseMode: in.ResponseMode, RequestURIMethod: in.RequestURIMethod,
		Nonce: randomToken(), StateParam: randomToken(), PolicyDecision: decision, WebhookURL: in.WebhookURL,
		ExpiresAt: now.Add(s.cfg.RequestTTL), CreatedAt: now}
	if in.ResponseMode == oid4vp.ResponseModeDirectPostJWT {
		if r.EncKey, r.EncKID, err = s.newEncryptionKey(r.ID); err != nil {
			return Request{}, err
		}
	}
	return r, nil
}

// clientID is the tenant's Client Identifier with the chosen prefix (OpenID4VP 1.0 §5.9.3).
func (s *Service) clientID(ctx context.Context, slug, prefix string) (string, error) {
	switch prefix {
	case oid4vp.PrefixDecentralizedIdentifier:
		return oid4vp.ClientID(prefix, s.tenants.DID(slug)), nil
	case oid4vp.PrefixX509Hash, oid4vp.PrefixX509SANDNS:
	default:
		return "", invalidField("client_id_prefix", "use x509_hash, x509_san_dns or decentralized_identifier")
	}
	chain, err := s.chain(ctx, slug)
	if err != nil {
		return "", err
	}
	if len(chain) == 0 {
		return "", invalidField("client_id_prefix", "%s needs an X.509 certificate for the organisation's key (bewijs tenant cert)", prefix)
	}
	if prefix == oid4vp.PrefixX509Hash {
		// §5.9.3: "the base64url-encoded value of the SHA-256 hash of the DER-encoded X.509
		// certificate".
		sum := sha256.Sum256(chain[0])
		return oid4vp.ClientID(prefix, base64.RawURLEncoding.EncodeToString(sum[:])), nil
	}
	leaf, err := x509.ParseCertificate(chain[0])
	if err != nil {
		return "", err
	}
	if len(leaf.DNSNames) == 0 {
		return "", invalidField("client_id_prefix", "x509_san_dns needs a certificate with a DNS name (the public URL has an IP address)")
	}
	return oid4vp.ClientID(prefix, leaf.DNSNames[0]), nil
}

func (s *Service) chain(ctx context.Context, slug string) ([][]byte, error) {
	if s.certs == nil {
		return nil, nil
	}
	return s.certs.Chain(ctx, slug)
}

// newEncryptionKey makes the request's response encryption key, sealed with the request id as
// additional data.
func (s *Service) newEncryptionKey(id string) (sealed, kid string, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", "", err
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", "", err
	}
	if sealed, err = s.sealer.Seal(der, []byte("oid4vp-enc:"+id)); err != nil {
		return "", "", err
	}
	return sealed, "enc-" + randomToken()[:12], nil
}

// randomToken is 256 bits from crypto/rand, base64url: nonces, state, response codes.
// OpenID4VP 1.0 §14.1: the nonce "MUST be ... fresh, cryptographically random".
func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// expired reports whether r can no longer be answered at now.
func (r Request) expired(now time.Time) bool { return !now.Before(r.ExpiresAt) }
