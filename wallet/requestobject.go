package wallet

import (
	"context"
	"crypto/subtle"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/sociaaldomein/bewijs/internal/jose"
	"github.com/sociaaldomein/bewijs/verifier/oid4vp"
)

// PresentOptions are the holder's trust settings for one presentation.
type PresentOptions struct {
	// TrustedRoots are the roots a verifier's x509 certificate chain must verify to. Required
	// for x509_san_dns (unless AllowUnverifiedX509); for x509_hash, without roots the chain
	// is not checked and Request.X509ChainVerified is false.
	TrustedRoots *x509.CertPool
	// AllowUnverifiedX509 accepts x509_san_dns requests without TrustedRoots (pilots only).
	AllowUnverifiedX509 bool
	// IncludeOptional also answers the Credential Queries of optional credential sets.
	IncludeOptional bool
	// InsecureLocalhost allows http request and response URIs on localhost and loopback
	// addresses (pilots, tests); everything else must be https.
	InsecureLocalhost bool
}

// Request is a verified OpenID4VP Authorization Request, ready for consent.
type Request struct {
	ClientID      string // the full client_id, with its prefix: the audience of the presentation
	Prefix        string // its Client Identifier Prefix (§5.9.3)
	Authorization oid4vp.AuthorizationRequest
	// VerifierName is what to show the holder: the DID, the DNS name, or the subject O (else
	// CN) of the leaf certificate.
	VerifierName string
	// X509ChainVerified is true when the verifier's certificate chain verified to
	// PresentOptions.TrustedRoots. Show a warning when an x509 verifier has false.
	X509ChainVerified bool
	ResponseURI       string
	RequestURI        string // where the Request Object came from ("" when by value)

	includeOptional bool
}

// requestObjectAlgs are the signature algorithms accepted on a Request Object.
var requestObjectAlgs = []string{"ES256", "ES384", "EdDSA"}

// requestObjectSkew is the clock skew allowed on the Request Object's exp.
const requestObjectSkew = time.Minute

// ResolveRequest fetches and verifies the Authorization Request an OpenID4VP link points to
// (OpenID4VP 1.0 §5, §5.9.3, §5.10; JAR, RFC 9101): the Request Object's typ, its signature
// as the client_id prefix prescribes (decentralized_identifier, x509_san_dns, x509_hash),
// that its client_id is the link's, the wallet_nonce of a POST, exp, and the request
// parameters. Refusals are *RequestError; HTTP errors of the verifier *VerifierError.
func (c *Client) ResolveRequest(ctx context.Context, link string, opts PresentOptions) (Request, error) {
	l, err := parseRequestLink(link)
	if err != nil {
		return Request{}, err
	}
	jws, walletNonce := l.Request, ""
	if l.RequestURI != "" {
		if err := checkHTTPS(l.RequestURI, opts.InsecureLocalhost); err != nil {
			return Request{}, err
		}
		if jws, walletNonce, err = c.fetchRequestObject(ctx, l); err != nil {
			return Request{}, err
		}
	}
	req, err := c.verifyRequestObject(ctx, jws, l.ClientID, walletNonce, opts)
	if err != nil {
		return Request{}, err
	}
	req.RequestURI, req.includeOptional = l.RequestURI, opts.IncludeOptional
	return req, nil
}

// requestClaims are the claims checked before the request parameters are.
type requestClaims struct {
	ClientID    string   `json:"client_id"`
	WalletNonce string   `json:"wallet_nonce"`
	Exp         *float64 `json:"exp"`
}

// verifyRequestObject checks a Request Object; clientID is the link's ("" for a bare
// request_uri) and walletNonce the one POSTed ("" for GET).
func (c *Client) verifyRequestObject(ctx context.Context, jws, clientID, walletNonce string, opts PresentOptions) (Request, error) {
	hdr, err := jose.ParseHeader(jws)
	if err != nil {
		return Request{}, refuse(ReasonMalformed, "request object: %v", err)
	}
	// §5: "Wallets MUST NOT process Request Objects where the typ Header Parameter is not
	// present or does not have the value oauth-authz-req+jwt."
	if hdr.Typ != oid4vp.RequestObjectType {
		return Request{}, refuse(ReasonType, "typ is %q, want %s", hdr.Typ, oid4vp.RequestObjectType)
	}
	if !slices.Contains(requestObjectAlgs, hdr.Alg) {
		return Request{}, refuse(ReasonSignature, "alg %q is not allowed", hdr.Alg)
	}
	if clientID == "" {
		// A bare request_uri: the client_id the Request Object names decides how to verify it;
		// after verification it is compared with itself, i.e. taken as signed.
		if clientID, err = unverifiedClientID(jws); err != nil {
			return Request{}, err
		}
	}
	prefix, value, err := oid4vp.ParseClientID(clientID)
	if err != nil {
		return Request{}, &RequestError{Reason: ReasonUnsupported, Err: err}
	}
	payload, id, err := c.authenticateClient(ctx, jws, hdr, prefix, value, opts)
	if err != nil {
		return Request{}, err
	}
	if err := c.checkRequestClaims(payload, clientID, walletNonce); err != nil {
		return Request{}, err
	}
	ar, err := oid4vp.ParseAuthorizationRequest(payload)
	if err != nil {
		return Request{}, &RequestError{Reason: ReasonInvalid, Err: err}
	}
	if err := checkParameters(ar, prefix, value, opts); err != nil {
		return Request{}, err
	}
	return Request{ClientID: clientID, Prefix: prefix, Authorization: ar, VerifierName: id.name,
		X509ChainVerified: id.chainVerified, ResponseURI: ar.ResponseURI}, nil
}

// checkParameters checks what this wallet requires of the request parameters beyond
// oid4vp's Validate: what it supports, an https response_uri, and the x509_san_dns host.
func checkParameters(ar oid4vp.AuthorizationRequest, prefix, value string, opts PresentOptions) error {
	if err := checkSupported(ar); err != nil {
		return err
	}
	if err := checkHTTPS(ar.ResponseURI, opts.InsecureLocalhost); err != nil {
		return err
	}
	if prefix == oid4vp.PrefixX509SANDNS {
		return checkResponseURIHost(ar.ResponseURI, value)
	}
	return nil
}

// checkRequestClaims checks client_id, wallet_nonce and exp of the verified payload.
func (c *Client) checkRequestClaims(payload []byte, clientID, walletNonce string) error {
	var rc requestClaims
	if err := json.Unmarshal(payload, &rc); err != nil {
		return refuse(ReasonMalformed, "request object claims: %v", err)
	}
	// §5.10.1: "The Client Identifier value in the client_id Authorization Request parameter
	// and the Request Object client_id claim value MUST be identical, including the Client
	// Identifier Prefix." (RFC 9101 §6.3 likewise.)
	if rc.ClientID != clientID {
		return refuse(ReasonClientID, "the request object's client_id %q is not the link's %q", rc.ClientID, clientID)
	}
	// §5.10.1: "if the Wallet passed a wallet_nonce in the POST request, the Wallet MUST
	// validate whether the request object contains the respective nonce value in a
	// wallet_nonce claim. If it does not, the Wallet MUST terminate request processing."
	if walletNonce != "" && subtle.ConstantTimeCompare([]byte(rc.WalletNonce), []byte(walletNonce)) != 1 {
		return refuse(ReasonWalletNonce, "the request object does not carry the wallet_nonce sent")
	}
	// RFC 7519 §4.1.4: the JWT "MUST NOT be accepted for processing" on or after exp.
	if rc.Exp != nil && !c.now().Before(time.Unix(int64(*rc.Exp), 0).Add(requestObjectSkew)) {
		return refuse(ReasonExpired, "exp %s has passed", time.Unix(int64(*rc.Exp), 0).UTC().Format(time.RFC3339))
	}
	return nil
}

// unverifiedClientID reads client_id from a Request Object payload before verifying it, only
// to pick the verification method.
func unverifiedClientID(jws string) (string, error) {
	parts := strings.Split(jws, ".")
	if len(parts) != 3 {
		return "", refuse(ReasonMalformed, "request object is not a compact JWS")
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return "", refuse(ReasonMalformed, "request object payload is not base64url")
	}
	var rc requestClaims
	if err := json.Unmarshal(raw, &rc); err != nil || rc.ClientID == "" {
		return "", refuse(ReasonMalformed, "request object has no client_id")
	}
	return rc.ClientID, nil
}

// checkSupported refuses what this wallet does not implement.
func checkSupported(ar oid4vp.AuthorizationRequest) error {
	switch ar.ResponseMode {
	case oid4vp.ResponseModeDirectPost:
	case oid4vp.ResponseModeDirectPostJWT:
		// Fail before consent rather than after: the response must be encryptable.
		if _, err := responseEncryption(ar.ClientMetadata); err != nil {
			return err
		}
	default:
		return refuse(ReasonUnsupported, "response_mode %q (this wallet supports direct_post and direct_post.jwt)", ar.ResponseMode)
	}
	// §5: "Wallets that do not support this parameter MUST reject requests that contain it."
	if ar.TransactionData != nil {
		return refuse(ReasonUnsupported, "transaction_data is not supported")
	}
	// §5.5: a scope is "an alias for a well-defined DCQL query"; this wallet knows none.
	if ar.DCQLQuery == nil {
		return refuse(ReasonUnsupported, "scope %q is not a DCQL query this wallet knows", ar.Scope)
	}
	return nil
}

// checkResponseURIHost is §5.9.3 x509_san_dns: "If the Wallet can establish trust in the
// Client Identifier authenticated through the certificate, e.g. because the Client
// Identifier is contained in a list of trusted Client Identifiers, it may allow the client to
// freely choose the redirect_uri value. If not, the FQDN of the redirect_uri value MUST match
// the Client Identifier without the prefix x509_san_dns:". This wallet keeps no such list, and
// §8.2 applies redirect_uri rules to the response_uri of direct_post.
func checkResponseURIHost(responseURI, dnsName string) error {
	u, err := url.Parse(responseURI)
	if err != nil || !strings.EqualFold(u.Hostname(), dnsName) {
		return refuse(ReasonResponseURI, "response_uri host is not %s", dnsName)
	}
	return nil
}

// checkHTTPS holds a verifier URI to https: §5.10 "The request MUST use the HTTP POST method
// with the https scheme", and the response carries personal data. http is allowed only on
// loopback hosts, and only with insecureLocalhost.
func checkHTTPS(raw string, insecureLocalhost bool) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return refuse(ReasonMalformed, "%q is not an absolute URL", raw)
	}
	if u.Scheme == "https" || (u.Scheme == "http" && insecureLocalhost && isLoopback(u.Hostname())) {
		return nil
	}
	return refuse(ReasonInsecureURI, "%s is not https", u.Redacted())
}

func isLoopback(host string) bool {
	ip := net.ParseIP(host)
	return strings.EqualFold(host, "localhost") || (ip != nil && ip.IsLoopback())
}

// Purpose returns the purpose texts of the request's credential sets (a pre-1.0 DCQL member
// some verifiers still send: a string, or an object of texts by language), "" when none.
func (r Request) Purpose() string {
	if r.Authorization.DCQLQuery == nil {
		return ""
	}
	var out []string
	for _, set := range r.Authorization.DCQLQuery.CredentialSets {
		if s := purposeText(set.Purpose); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return strings.Join(out, "; ")
}

func purposeText(p any) string {
	switch v := p.(type) {
	case string:
		return v
	case map[string]any:
		for _, lang := range []string{"nl", "en"} {
			if s, ok := v[lang].(string); ok {
				return s
			}
		}
	}
	return ""
}
