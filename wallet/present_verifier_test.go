package wallet_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/did/jwk"
	"github.com/sociaaldomein/bewijs/internal/jose"
	"github.com/sociaaldomein/bewijs/verifier/oid4vp"
	"github.com/sociaaldomein/bewijs/wallet"
)

// verifierHost is the host name of the test verifier; the wallet's HTTP client dials the
// httptest server whatever host a URL names.
const verifierHost = "localhost"

// Client identifier kinds of the test verifier.
const (
	kindDID     = "did"
	kindX509    = "x509_hash"
	kindX509DNS = "x509_san_dns"
)

// verifierConfig is what a test verifier varies on; zero fields take the defaults.
type verifierConfig struct {
	kind         string // kindDID (default), kindX509 or kindX509DNS
	responseMode string // default direct_post
	query        string // DCQL JSON; default wmoQuery
	encs         []string
	// Request Object faults.
	typ           string            // default oauth-authz-req+jwt
	clientIDClaim string            // a client_id claim other than the verifier's
	kid           string            // a kid other than the verifier's (did only)
	signer        *ecdsa.PrivateKey // a key other than the verifier's
	dropNonce     bool              // do not echo wallet_nonce
	responseURI   string            // a response_uri other than the verifier's
	exp           time.Time
	requestStatus int // answer the request_uri with this status
}

// testVerifier is a small OpenID4VP verifier: it serves a signed Request Object at /request
// (GET and POST) and reads the Authorization Response at /response.
type testVerifier struct {
	t        *testing.T
	cfg      verifierConfig
	srv      *httptest.Server
	url      string
	clientID string
	key      *ecdsa.PrivateKey
	kid      string
	x5c      []string
	roots    *x509.CertPool
	encKey   *ecdsa.PrivateKey
	nonce    string
	state    string

	mu             sync.Mutex
	walletMetadata string
	got            *oid4vp.AuthorizationResponse
	gotJWE         jose.JWEHeader
}

func newTestVerifier(t *testing.T, cfg verifierConfig) *testVerifier {
	t.Helper()
	v := &testVerifier{t: t, cfg: cfg, url: "http://" + verifierHost, encKey: newECKey(t),
		nonce: "n-" + rand.Text(), state: "st-" + rand.Text()}
	switch cfg.kind {
	case kindX509:
		v.useSelfSigned()
	case kindX509DNS:
		v.useCASigned()
	default:
		v.useDID()
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/request", v.serveRequest)
	mux.HandleFunc("/response", v.serveResponse)
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/request", http.StatusFound)
	})
	v.srv = httptest.NewServer(mux)
	t.Cleanup(v.srv.Close)
	return v
}

func (v *testVerifier) useDID() {
	v.key = newECKey(v.t)
	id, err := jwk.New(v.key.Public())
	if err != nil {
		v.t.Fatal(err)
	}
	v.clientID, v.kid = oid4vp.ClientID(oid4vp.PrefixDecentralizedIdentifier, id), id+"#0"
}

// useSelfSigned makes a self-signed certificate and the x509_hash client identifier.
func (v *testVerifier) useSelfSigned() {
	v.key = newECKey(v.t)
	der := makeCert(v.t, v.key, nil, nil, &x509.Certificate{Subject: pkix.Name{Organization: []string{"Gemeente Utrecht"}, CommonName: "verifier"}})
	cert, _ := x509.ParseCertificate(der)
	v.roots = x509.NewCertPool()
	v.roots.AddCert(cert)
	sum := sha256.Sum256(der)
	v.clientID = oid4vp.ClientID(oid4vp.PrefixX509Hash, base64.RawURLEncoding.EncodeToString(sum[:]))
	v.x5c = []string{base64.StdEncoding.EncodeToString(der)}
}

// useCASigned makes a CA and a leaf with the verifier's DNS name for x509_san_dns.
func (v *testVerifier) useCASigned() {
	caKey := newECKey(v.t)
	v.key = newECKey(v.t)
	caDER := makeCert(v.t, caKey, nil, nil, &x509.Certificate{Subject: pkix.Name{CommonName: "Test CA"}, IsCA: true,
		BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign})
	ca, _ := x509.ParseCertificate(caDER)
	leafDER := makeCert(v.t, v.key, ca, caKey, &x509.Certificate{Subject: pkix.Name{CommonName: verifierHost}, DNSNames: []string{verifierHost}})
	v.roots = x509.NewCertPool()
	v.roots.AddCert(ca)
	v.clientID = oid4vp.ClientID(oid4vp.PrefixX509SANDNS, verifierHost)
	v.x5c = []string{base64.StdEncoding.EncodeToString(leafDER), base64.StdEncoding.EncodeToString(caDER)}
}

// makeCert signs tmpl for key's public key with parent/parentKey (nil: self-signed).
func makeCert(t *testing.T, key *ecdsa.PrivateKey, parent *x509.Certificate, parentKey *ecdsa.PrivateKey, tmpl *x509.Certificate) []byte {
	t.Helper()
	tmpl.SerialNumber = big.NewInt(time.Now().UnixNano())
	tmpl.NotBefore, tmpl.NotAfter = time.Now().Add(-time.Hour), time.Now().Add(24*time.Hour)
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, key.Public(), parentKey)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func newECKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// link is the openid4vp:// link a QR code of this verifier holds.
func (v *testVerifier) link(method string) string {
	q := url.Values{"client_id": {v.clientID}, "request_uri": {v.url + "/request"}}
	if method != "" {
		q.Set("request_uri_method", method)
	}
	return "openid4vp://?" + q.Encode()
}

// client is a wallet client whose HTTP requests all reach this verifier.
func (v *testVerifier) client() *wallet.Client {
	addr := v.srv.Listener.Addr().String()
	dial := func(ctx context.Context, _, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, "tcp", addr)
	}
	return &wallet.Client{HTTP: &http.Client{Transport: &http.Transport{DialContext: dial}}, Resolver: jwk.Resolver{}}
}

func (v *testVerifier) serveRequest(w http.ResponseWriter, r *http.Request) {
	if v.cfg.requestStatus != 0 {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(v.cfg.requestStatus)
		_, _ = w.Write([]byte(`{"error":"invalid_request","error_description":"unknown request"}`))
		return
	}
	claims := v.requestClaims()
	if r.Method == http.MethodPost {
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		v.mu.Lock()
		v.walletMetadata = r.PostForm.Get(oid4vp.ParamWalletMetadata)
		v.mu.Unlock()
		if !v.cfg.dropNonce {
			claims["wallet_nonce"] = r.PostForm.Get(oid4vp.ParamWalletNonce)
		}
	}
	w.Header().Set("Content-Type", oid4vp.RequestObjectMIME)
	_, _ = w.Write([]byte(v.sign(claims)))
}

// requestClaims are the Request Object claims (§5, §5.10.1).
func (v *testVerifier) requestClaims() map[string]any {
	mode := or(v.cfg.responseMode, oid4vp.ResponseModeDirectPost)
	claims := map[string]any{
		"client_id": or(v.cfg.clientIDClaim, v.clientID), "response_type": oid4vp.ResponseTypeVPToken,
		"response_mode": mode, "response_uri": or(v.cfg.responseURI, v.url+"/response"),
		"nonce": v.nonce, "state": v.state, "dcql_query": json.RawMessage(or(v.cfg.query, wmoQuery)),
		"aud": oid4vp.AudienceSelfIssuedV2, "iat": time.Now().Unix(),
	}
	if !v.cfg.exp.IsZero() {
		claims["exp"] = v.cfg.exp.Unix()
	}
	if mode == oid4vp.ResponseModeDirectPostJWT {
		pub, err := did.PublicJWK(v.encKey.Public())
		if err != nil {
			v.t.Error(err)
		}
		var k map[string]any
		_ = json.Unmarshal(pub, &k)
		k["kid"], k["use"], k["alg"] = "enc-1", "enc", jose.AlgECDHES
		sig := map[string]any{"kty": "EC", "crv": "P-256", "kid": "sig-1", "use": "sig", "alg": "ES256", "x": k["x"], "y": k["y"]}
		md := map[string]any{"jwks": map[string]any{"keys": []any{sig, k}}}
		if v.cfg.encs != nil {
			md["encrypted_response_enc_values_supported"] = v.cfg.encs
		}
		claims["client_metadata"] = md
	}
	return claims
}

func (v *testVerifier) sign(claims map[string]any) string {
	payload, err := json.Marshal(claims)
	if err != nil {
		v.t.Error(err)
	}
	key, kid := v.key, v.kid
	if v.cfg.signer != nil {
		key = v.cfg.signer
	}
	if v.cfg.kid != "" {
		kid = v.cfg.kid
	}
	hdr := map[string]any{"typ": or(v.cfg.typ, oid4vp.RequestObjectType)}
	if v.x5c != nil {
		hdr["x5c"] = v.x5c
	}
	jws, err := jose.Sign(payload, jose.Signer{KeyID: kid, Key: key}, hdr)
	if err != nil {
		v.t.Error(err)
	}
	return jws
}

// serveResponse reads the Authorization Response: the form of direct_post, or the JWE of
// direct_post.jwt decrypted with the verifier's key.
func (v *testVerifier) serveResponse(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var (
		resp oid4vp.AuthorizationResponse
		hdr  jose.JWEHeader
		err  error
	)
	if jwe := r.PostForm.Get(oid4vp.ParamResponse); jwe != "" {
		var payload []byte
		if payload, hdr, err = jose.DecryptECDHES(jwe, v.encKey, []string{jose.EncA128GCM, jose.EncA256GCM}); err == nil {
			resp, err = oid4vp.ParseAuthorizationResponse(payload)
		}
	} else {
		resp, err = oid4vp.ParseAuthorizationResponseForm(r.PostForm)
	}
	if err != nil {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"error":"invalid_request","error_description":"` + err.Error() + `"}`))
		return
	}
	v.mu.Lock()
	v.got, v.gotJWE = &resp, hdr
	v.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"redirect_uri":"` + v.url + `/done#response_code=abc"}`))
}

// received returns the Authorization Response the verifier got, if any.
func (v *testVerifier) received() (*oid4vp.AuthorizationResponse, jose.JWEHeader, string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.got, v.gotJWE, v.walletMetadata
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
