package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/sociaaldomein/bewijs/did/resolver"
	"github.com/sociaaldomein/bewijs/did/web"
	"github.com/sociaaldomein/bewijs/internal/fixtures"
	"github.com/sociaaldomein/bewijs/internal/jose"
	"github.com/sociaaldomein/bewijs/internal/sdjwt"
	"github.com/sociaaldomein/bewijs/verifier/oid4vp"
	"github.com/sociaaldomein/bewijs/wallet"
)

// loadWallet is the holder: one credential, its key, and an HTTP client for all wallets.
type loadWallet struct {
	base, apiKey, query string
	http                *http.Client
	cred                wallet.Credential
	key                 wallet.Key
	describe            sync.Once // prints the first presentation's shape
}

// prepared is a presentation ready to be posted: the response_uri and the form.
type prepared struct {
	responseURI string
	form        url.Values
	started     time.Time
}

// newWallet receives the credential: the gemeente creates a beschikking, the wallet
// library redeems its offer.
func newWallet(ctx context.Context, cfg config) (*loadWallet, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = cfg.c * 2
	hc := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	w := &loadWallet{base: cfg.base, apiKey: cfg.apiKey, query: cfg.query, http: hc}
	link, err := w.createBeschikking(ctx, cfg.issuerKey, cfg.fixture)
	if err != nil {
		return nil, err
	}
	webCfg := web.DefaultConfig()
	webCfg.InsecureLocalhost = true
	wr, err := web.NewResolver(webCfg)
	if err != nil {
		return nil, err
	}
	r, err := resolver.New(resolver.DefaultConfig(), resolver.StandardMethods(wr))
	if err != nil {
		return nil, err
	}
	client := &wallet.Client{Resolver: r, HTTP: hc}
	creds, keys, err := client.Receive(ctx, link, wallet.ReceiveOptions{})
	if err != nil {
		return nil, fmt.Errorf("receive: %w", err)
	}
	if len(creds) != 1 || len(keys) != 1 {
		return nil, fmt.Errorf("receive: %d credentials, %d keys", len(creds), len(keys))
	}
	w.cred, w.key = creds[0], keys[0]
	return w, nil
}

func (w *loadWallet) disclosures() int { return strings.Count(w.cred.Raw, "~") - 1 }

// createBeschikking posts the fixture as the gemeente and returns the offer link.
func (w *loadWallet) createBeschikking(ctx context.Context, apiKey, fixture string) (string, error) {
	doc, err := fixtures.Toewijzing(fixture)
	if err != nil {
		return "", err
	}
	var created struct {
		OfferLink string `json:"offer_link"`
	}
	if err := w.postJSON(ctx, "/api/v1/beschikkingen", apiKey, doc, &created); err != nil {
		return "", fmt.Errorf("create beschikking: %w", err)
	}
	return created.OfferLink, nil
}

// prepare runs the flow up to the response: create the request, fetch the request object,
// build the presentation. t records the latency of each step.
func (w *loadWallet) prepare(ctx context.Context, t *timings) (prepared, error) {
	start := time.Now()
	link, err := w.createRequest(ctx)
	if err != nil {
		return prepared{}, err
	}
	t.add("create", time.Since(start))
	t1 := time.Now()
	ar, err := w.fetchRequest(ctx, link)
	if err != nil {
		return prepared{}, err
	}
	t.add("fetch", time.Since(t1))
	t2 := time.Now()
	form, err := w.present(ar)
	if err != nil {
		return prepared{}, err
	}
	t.add("present", time.Since(t2))
	return prepared{responseURI: ar.ResponseURI, form: form, started: start}, nil
}

// createRequest starts a presentation request as the aanbieder and returns its
// authorization_request link.
func (w *loadWallet) createRequest(ctx context.Context) (string, error) {
	body, _ := json.Marshal(map[string]string{"query": w.query, "response_mode": oid4vp.ResponseModeDirectPost})
	var created struct {
		AuthorizationRequest string `json:"authorization_request"`
	}
	if err := w.postJSON(ctx, "/api/v1/presentation-requests", w.apiKey, body, &created); err != nil {
		return "", fmt.Errorf("create presentation request: %w", err)
	}
	return created.AuthorizationRequest, nil
}

// fetchRequest resolves an openid4vp:// link: it fetches the request object at request_uri
// (POST with a wallet_nonce when the link says so, else GET) and decodes its claims. The
// signature is not checked.
func (w *loadWallet) fetchRequest(ctx context.Context, link string) (oid4vp.AuthorizationRequest, error) {
	u, err := url.Parse(link)
	if err != nil {
		return oid4vp.AuthorizationRequest{}, err
	}
	q := u.Query()
	var req *http.Request
	nonce := fmt.Sprintf("wn-%d", time.Now().UnixNano())
	if q.Get("request_uri_method") == oid4vp.RequestURIMethodPost {
		form := url.Values{oid4vp.ParamWalletNonce: {nonce}}
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, q.Get("request_uri"), strings.NewReader(form.Encode()))
		if err == nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
	} else {
		req, err = http.NewRequestWithContext(ctx, http.MethodGet, q.Get("request_uri"), nil)
	}
	if err != nil {
		return oid4vp.AuthorizationRequest{}, err
	}
	body, res, err := w.send(req, http.StatusOK)
	if err != nil {
		return oid4vp.AuthorizationRequest{}, fmt.Errorf("request object: %w", err)
	}
	if ct := res.Header.Get("Content-Type"); ct != oid4vp.RequestObjectMIME {
		return oid4vp.AuthorizationRequest{}, fmt.Errorf("request object content type %q", ct)
	}
	return decodeRequestObject(string(body), q.Get("client_id"))
}

// decodeRequestObject reads the claims of a request object (typ checked, signature not).
func decodeRequestObject(jws, clientID string) (oid4vp.AuthorizationRequest, error) {
	j, err := jose.ParseJWS(jws)
	if err != nil {
		return oid4vp.AuthorizationRequest{}, err
	}
	if j.Header.Typ != oid4vp.RequestObjectType {
		return oid4vp.AuthorizationRequest{}, fmt.Errorf("request object typ %q", j.Header.Typ)
	}
	payload, err := j.Payload()
	if err != nil {
		return oid4vp.AuthorizationRequest{}, err
	}
	ar, err := oid4vp.ParseAuthorizationRequest(payload)
	if err != nil {
		return oid4vp.AuthorizationRequest{}, err
	}
	if ar.ClientID != clientID || ar.ResponseURI == "" || ar.DCQLQuery == nil || len(ar.DCQLQuery.Credentials) != 1 {
		return oid4vp.AuthorizationRequest{}, errors.New("request object: unexpected client_id, response_uri or query")
	}
	return ar, nil
}

// present builds the vp_token (the claims the query asks for, and a KB-JWT for this
// request) and the direct_post form.
func (w *loadWallet) present(ar oid4vp.AuthorizationRequest) (url.Values, error) {
	kb := &sdjwt.KeyBinding{Signer: jose.Signer{Key: w.key.Private}, Audience: ar.ClientID, Nonce: ar.Nonce}
	p, err := sdjwt.Present(w.cred.Raw, ar.DCQLQuery.Requests, kb)
	if err != nil {
		return nil, err
	}
	w.describe.Do(func() {
		fmt.Printf("presentation: %d of %d disclosures, %d bytes with its KB-JWT\n", strings.Count(p, "~")-1, w.disclosures(), len(p))
	})
	vpToken := oid4vp.VPToken{ar.DCQLQuery.Credentials[0].ID: {p}}
	return oid4vp.AuthorizationResponse{VPToken: vpToken, State: ar.State}.Form()
}

// respond posts the presentation to the response_uri and expects 200.
func (w *loadWallet) respond(ctx context.Context, p prepared) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.responseURI, strings.NewReader(p.form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if _, _, err := w.send(req, http.StatusOK); err != nil {
		return fmt.Errorf("response: %w", err)
	}
	return nil
}

func (w *loadWallet) postJSON(ctx context.Context, path, apiKey string, body []byte, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.base+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+apiKey)
	req.Header.Set("Content-Type", "application/json")
	resBody, _, err := w.send(req, http.StatusCreated)
	if err != nil {
		return err
	}
	return json.Unmarshal(resBody, out)
}

// send does req and reads the body; a status other than want is an error.
func (w *loadWallet) send(req *http.Request, want int) ([]byte, *http.Response, error) {
	res, err := w.http.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, res, err
	}
	if res.StatusCode != want {
		return nil, res, fmt.Errorf("%s %s: %d %s", req.Method, req.URL.Path, res.StatusCode, truncate(body, 300))
	}
	return body, res, nil
}

func truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}
