package api_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/internal/demo"
	"github.com/sociaaldomein/bewijs/internal/jose"
	"github.com/sociaaldomein/bewijs/internal/pki"
	"github.com/sociaaldomein/bewijs/internal/sdjwt"
	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
	"github.com/sociaaldomein/bewijs/verifier/oid4vp"
	"github.com/sociaaldomein/bewijs/wallet"
)

// verifierSlug is the demo aanbieder that verifies in these tests.
const verifierSlug = "thuiszorg-de-linde"

// presentationCreated is the 201 body of POST /api/v1/presentation-requests.
type presentationCreated struct {
	ID                   string          `json:"id"`
	State                string          `json:"state"`
	ClientID             string          `json:"client_id"`
	ResponseMode         string          `json:"response_mode"`
	AuthorizationRequest string          `json:"authorization_request"`
	RequestURI           string          `json:"request_uri"`
	VerifyPageURL        string          `json:"verify_page_url"`
	QRPNGURL             string          `json:"qr_png_url"`
	ExpiresAt            time.Time       `json:"expires_at"`
	PolicyDecision       json.RawMessage `json:"policy_decision"`
	Result               *struct {
		Verified          bool   `json:"verified"`
		Reason            string `json:"reason"`
		Detail            string `json:"detail"`
		CredentialQueryID string `json:"credential_query_id"`
		Credentials       []struct {
			QueryID string         `json:"credential_query_id"`
			Issuer  string         `json:"issuer"`
			VCT     string         `json:"vct"`
			Status  string         `json:"status"`
			Claims  map[string]any `json:"claims"`
			Trust   []string       `json:"trust"`
		} `json:"credentials"`
		EvidenceKept bool `json:"evidence_kept"`
	} `json:"result"`
}

// presentationEnv is a server with the demo organisations, a gemeente API key, an aanbieder
// API key, and one received Wmo credential with its holder key.
type presentationEnv struct {
	*testServer
	GemeenteKey string
	VerifierKey string
	Cred        wallet.Credential
	HolderKey   wallet.Key
	Beschikking createdBeschikking
}

func newPresentationEnv(t *testing.T, e migrationstest.Engine) *presentationEnv {
	t.Helper()
	s, gkey := issuanceServer(t, e)
	vkey, err := s.Env.Service.NewAPIKey(t.Context(), tenant.CLI, verifierSlug, false)
	if err != nil {
		t.Fatal(err)
	}
	env := &presentationEnv{testServer: s, GemeenteKey: gkey, VerifierKey: vkey}
	env.Beschikking = s.createBeschikking(t, gkey, "01-wmo-hbh-minuten-per-week.json", "")
	creds, keys, err := s.wallet().Receive(t.Context(), env.Beschikking.OfferLink, wallet.ReceiveOptions{})
	if err != nil || len(creds) != 1 || len(keys) != 1 {
		t.Fatalf("receive: %d credentials, %v", len(creds), err)
	}
	env.Cred, env.HolderKey = creds[0], keys[0]
	return env
}

var _ = demo.Seed // the demo organisations come from issuanceServer

// createPresentation posts a presentation request with the aanbieder's key.
func (e *presentationEnv) createPresentation(t *testing.T, body map[string]any) presentationCreated {
	t.Helper()
	res := e.postJSON(t, "/api/v1/presentation-requests", e.VerifierKey, body)
	if res.Status != http.StatusCreated {
		t.Fatalf("create presentation request: %d %s", res.Status, res.Body)
	}
	var c presentationCreated
	res.json(t, &c)
	return c
}

func (e *presentationEnv) showPresentation(t *testing.T, id string) presentationCreated {
	t.Helper()
	res := e.do(t, http.MethodGet, "/api/v1/presentation-requests/"+id, e.VerifierKey, "", nil)
	if res.Status != http.StatusOK {
		t.Fatalf("get presentation request: %d %s", res.Status, res.Body)
	}
	var c presentationCreated
	res.json(t, &c)
	return c
}

// fetchRequest resolves an openid4vp:// link by hand: it fetches the request object (POST
// with a wallet_nonce when the link says so), checks typ and signature against the client
// identifier, and returns the request.
func fetchRequest(ctx context.Context, resolver did.Resolver, link string) (oid4vp.AuthorizationRequest, response, error) {
	u, err := url.Parse(link)
	if err != nil {
		return oid4vp.AuthorizationRequest{}, response{}, err
	}
	q := u.Query()
	var req *http.Request
	nonce := "wn-" + fmt.Sprint(time.Now().UnixNano())
	if q.Get("request_uri_method") == "post" {
		form := url.Values{"wallet_nonce": {nonce}}
		req, _ = http.NewRequestWithContext(ctx, http.MethodPost, q.Get("request_uri"), strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req, _ = http.NewRequestWithContext(ctx, http.MethodGet, q.Get("request_uri"), nil)
	}
	res, err := send(req)
	if err != nil || res.Status != http.StatusOK {
		return oid4vp.AuthorizationRequest{}, res, err
	}
	if ct := res.Header.Get("Content-Type"); ct != oid4vp.RequestObjectMIME {
		return oid4vp.AuthorizationRequest{}, res, fmt.Errorf("content type %q", ct)
	}
	payload, err := verifyRequestObject(ctx, resolver, q.Get("client_id"), string(res.Body))
	if err != nil {
		return oid4vp.AuthorizationRequest{}, res, err
	}
	ar, err := oid4vp.ParseAuthorizationRequest(payload)
	if err != nil {
		return oid4vp.AuthorizationRequest{}, res, err
	}
	if ar.ClientID != q.Get("client_id") {
		return ar, res, errors.New("client_id of the request object differs from the link")
	}
	if q.Get("request_uri_method") == "post" && ar.WalletNonce != nonce {
		return ar, res, errors.New("wallet_nonce not echoed")
	}
	return ar, res, nil
}

// verifyRequestObject checks the request object's signature as its client identifier prefix
// requires (OpenID4VP 1.0 §5.9.3).
func verifyRequestObject(ctx context.Context, resolver did.Resolver, clientID, jws string) ([]byte, error) {
	h, err := jose.ParseHeader(jws)
	if err != nil {
		return nil, err
	}
	if h.Typ != oid4vp.RequestObjectType {
		return nil, fmt.Errorf("typ %q", h.Typ)
	}
	prefix, value, err := oid4vp.ParseClientID(clientID)
	if err != nil {
		return nil, err
	}
	switch prefix {
	case oid4vp.PrefixX509Hash:
		if len(h.X5c) == 0 {
			return nil, errors.New("no x5c")
		}
		der, err := base64.StdEncoding.DecodeString(h.X5c[0])
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(der)
		if base64.RawURLEncoding.EncodeToString(sum[:]) != value {
			return nil, errors.New("x509_hash does not match the leaf")
		}
		leaf, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, err
		}
		payload, _, err := jose.Verify(jws, leaf.PublicKey)
		return payload, err
	case oid4vp.PrefixDecentralizedIdentifier:
		if !strings.HasPrefix(h.Kid, value+"#") {
			return nil, errors.New("kid is not a DID URL of the client")
		}
		doc, err := resolver.Resolve(ctx, value)
		if err != nil {
			return nil, err
		}
		pub, err := doc.Key(h.Kid, did.AssertionMethod)
		if err != nil {
			return nil, err
		}
		payload, _, err := jose.Verify(jws, pub)
		return payload, err
	}
	return nil, fmt.Errorf("prefix %s not supported here", prefix)
}

// presentOpts bends a presentation for negative tests.
type presentOpts struct {
	Keep     func(path []string) bool // nil: the claims the query asks for
	Audience string                   // "": the request's client_id
	Nonce    string                   // "": the request's nonce
	IssuedAt time.Time                // zero: now
	NoKB     bool
	Signer   *ecdsa.PrivateKey // nil: the holder key
}

// present builds the SD-JWT VC presentation of cred for request ar.
func present(t *testing.T, cred wallet.Credential, holder wallet.Key, ar oid4vp.AuthorizationRequest, o presentOpts) string {
	t.Helper()
	keep := o.Keep
	if keep == nil {
		keep = ar.DCQLQuery.Requests
	}
	kb := &sdjwt.KeyBinding{Signer: jose.Signer{Key: holder.Private}, Audience: ar.ClientID, Nonce: ar.Nonce, IssuedAt: o.IssuedAt}
	if o.Audience != "" {
		kb.Audience = o.Audience
	}
	if o.Nonce != "" {
		kb.Nonce = o.Nonce
	}
	if o.NoKB {
		kb = nil
	}
	p, err := sdjwt.Present(cred.Raw, keep, kb)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// respond posts the Authorization Response to response_uri: a form (direct_post) or a JWE to
// the request's key (direct_post.jwt).
func respond(ctx context.Context, ar oid4vp.AuthorizationRequest, vpToken map[string][]string, state string) (response, error) {
	r := oid4vp.AuthorizationResponse{VPToken: vpToken, State: state}
	form, err := r.Form()
	if err != nil {
		return response{}, err
	}
	if ar.ResponseMode == oid4vp.ResponseModeDirectPostJWT {
		jwe, err := encryptResponse(ar, r)
		if err != nil {
			return response{}, err
		}
		form = url.Values{"response": {jwe}}
	}
	return postForm(ctx, ar.ResponseURI, form)
}

func encryptResponse(ar oid4vp.AuthorizationRequest, r oid4vp.AuthorizationResponse) (string, error) {
	if ar.ClientMetadata == nil || ar.ClientMetadata.JWKS == nil || len(ar.ClientMetadata.JWKS.Keys) == 0 {
		return "", errors.New("no encryption key in client_metadata")
	}
	raw := ar.ClientMetadata.JWKS.Keys[0]
	var meta struct {
		Kid string `json:"kid"`
		Alg string `json:"alg"`
	}
	if err := json.Unmarshal(raw, &meta); err != nil || meta.Alg != "ECDH-ES" {
		return "", fmt.Errorf("encryption key alg %q", meta.Alg)
	}
	pub, err := did.ParseJWK(raw)
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(r)
	if err != nil {
		return "", err
	}
	enc := "A128GCM"
	if slices.Contains(ar.ClientMetadata.EncryptedResponseEncValuesSupported, "A256GCM") {
		enc = "A256GCM"
	}
	return jose.EncryptECDHES(payload, pub.(*ecdsa.PublicKey), meta.Kid, enc)
}

func postForm(ctx context.Context, target string, form url.Values) (response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(form.Encode()))
	if err != nil {
		return response{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return send(req)
}

func send(req *http.Request) (response, error) {
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return response{}, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	return response{Status: res.StatusCode, Header: res.Header, Body: body}, err
}

// certify gives a tenant a certificate from a fresh pilot CA and returns the CA certificate.
func (s *testServer) certify(t *testing.T, slug string) *x509.Certificate {
	t.Helper()
	ca, err := s.CA.Init(t.Context(), pki.InitRequest{Actor: "test", CommonName: "bewijs pilot CA (test)", Validity: 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Certs.Issue(t.Context(), tenant.CLI, slug); err != nil {
		t.Fatal(err)
	}
	return ca
}

// walletWithBeschikking is bewijs' wallet in a fresh folder holding the credential of a new
// beschikking (fixture 01) of the gemeente whose API key is gemeenteKey.
func (s *testServer) walletWithBeschikking(t *testing.T, gemeenteKey string) *wallet.Wallet {
	t.Helper()
	store, err := wallet.Init(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	w := &wallet.Wallet{Client: s.wallet(), Store: store}
	b := s.createBeschikking(t, gemeenteKey, "01-wmo-hbh-minuten-per-week.json", "")
	if _, err := w.Receive(t.Context(), b.OfferLink, wallet.ReceiveOptions{}); err != nil {
		t.Fatal(err)
	}
	return w
}
