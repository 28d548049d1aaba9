// Package verifier verifies OpenID4VP 1.0 presentations of SD-JWT VCs as a library: no
// HTTP server, no storage. For each presentation it checks, in this order, the size, the
// SD-JWT serialization (RFC 9901 §4), typ dc+sd-jwt (SD-JWT VC draft -16 §3.2.1), the
// issuer key named by the DID URL kid, the issuer signature, disclosures and validity
// (RFC 9901 §7.1), the key binding to this request (RFC 9901 §7.3, OpenID4VP 1.0 B.3.6),
// iss against the kid's DID, the vct, the trust policy and the Token Status List
// (draft-ietf-oauth-status-list-20 §8.3). A vp_token is then checked against the DCQL
// query (OpenID4VP 1.0 §6.4, §8.6).
//
// Every failure is a *Failure with its own Reason.
package verifier

import (
	"context"
	"time"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/verifier/oid4vp"
)

// Trust decides whether an issuer may issue a vct (the Rego trust policy implements it).
// reasons explain a refusal; they end up in Failure.Detail, so they must not hold
// personal data.
type Trust interface {
	Trusted(ctx context.Context, issuerDID, vct string) (bool, []string, error)
}

// StatusFetcher gets a Status List Token by its URI: HTTP in production, cached for its
// ttl (NewHTTPStatusFetcher, NewCachingStatusFetcher). It returns the token as served;
// verifying it is the Verifier's job. Callers must not modify the returned bytes.
type StatusFetcher interface {
	Fetch(ctx context.Context, uri string) ([]byte, error)
}

// Defaults of Options.
const (
	DefaultSkew                 = 60 * time.Second
	DefaultKBMaxAge             = 5 * time.Minute
	DefaultMaxPresentationBytes = 64 << 10
	DefaultMaxTokenBytes        = 256 << 10
)

// Options is the verifier's policy for one request.
type Options struct {
	Now      func() time.Time // nil: time.Now
	Skew     time.Duration    // allowed clock skew for iat, nbf, exp and the KB-JWT iat; 0: DefaultSkew
	KBMaxAge time.Duration    // how old a KB-JWT may be; 0: DefaultKBMaxAge
	// Audience is the Client Identifier of the request (with its prefix): the KB-JWT aud
	// must equal it (OpenID4VP 1.0 B.3.6). Required.
	Audience string
	// Nonce is the nonce of the request: the KB-JWT nonce must equal it. Required.
	Nonce string
	// KnownVCTs are the credential types this verifier accepts. Empty: none is accepted.
	KnownVCTs []string
	// MaxPresentationBytes bounds one presentation; 0: DefaultMaxPresentationBytes.
	MaxPresentationBytes int
	// MaxTokenBytes bounds the presentations of a vp_token together; 0: DefaultMaxTokenBytes.
	MaxTokenBytes int
	// Query is the DCQL query of the request; VerifyVPToken checks that the verified
	// presentations satisfy it. VerifyPresentation ignores it.
	Query oid4vp.Query
	// QueryValidated says Query came from oid4vp.ParseQuery, which validated it; otherwise
	// VerifyVPToken validates it first.
	QueryValidated bool
}

func (o Options) withDefaults() Options {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Skew <= 0 {
		o.Skew = DefaultSkew
	}
	if o.KBMaxAge <= 0 {
		o.KBMaxAge = DefaultKBMaxAge
	}
	if o.MaxPresentationBytes <= 0 {
		o.MaxPresentationBytes = DefaultMaxPresentationBytes
	}
	if o.MaxTokenBytes <= 0 {
		o.MaxTokenBytes = DefaultMaxTokenBytes
	}
	return o
}

// Bounds of the Verifier's own caches.
const (
	// issuerKeyTTL is how long a key resolved from a DID is reused. It adds to the
	// resolver's own cache time: a key removed from a DID document is refused at most
	// this much later than the resolver notices.
	issuerKeyTTL = time.Minute
	issuerKeys   = 1000
	// statusLists bounds the verified status lists kept in memory (each at most
	// maxStatusListBytes).
	statusLists = 256
)

// Verifier verifies presentations. It is safe for concurrent use; build it with New.
type Verifier struct {
	resolver did.Resolver
	status   StatusFetcher
	trust    Trust
	keys     *lru[string, issuerKey]      // kid -> key, see issuerkey.go
	lists    *lru[string, verifiedStatus] // status list uri -> verified list, see status.go
}

// New returns a Verifier that resolves issuer DIDs with resolver, fetches status lists with
// status and asks trust whether an issuer may issue a vct. A nil status or trust makes every
// verification fail (status_unavailable, untrusted_issuer): there is no way to skip them.
func New(resolver did.Resolver, status StatusFetcher, trust Trust) *Verifier {
	return &Verifier{
		resolver: resolver,
		status:   status,
		trust:    trust,
		keys:     newLRU[string, issuerKey](issuerKeys),
		lists:    newLRU[string, verifiedStatus](statusLists),
	}
}
