package api_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v2/jwk"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/internal/dpop"
	"github.com/sociaaldomein/bewijs/internal/jose"
	"github.com/sociaaldomein/bewijs/issuer/oid4vci"
)

// vciClient speaks OpenID4VCI by hand, without the wallet library, so that a test can bend
// any part of a request. Its methods return errors instead of failing the test, so that it can
// run in goroutines.
type vciClient struct {
	HTTP    *http.Client
	Issuer  string            // credential issuer identifier, <public url>/o/<slug>
	DPoPKey *ecdsa.PrivateKey // nil: no DPoP, Bearer tokens
	Nonce   string            // the latest DPoP nonce the server gave
	Token   oid4vci.TokenResponse
}

// vciError is the error body of the token and credential endpoints (RFC 6749 §5.2).
type vciError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

func (r response) vciError() vciError {
	var e vciError
	_ = json.Unmarshal(r.Body, &e)
	return e
}

func (r response) vciString() string { return fmt.Sprintf("%d %s", r.Status, r.Body) }

func newVCIClient(s *testServer, slug string, withDPoP bool) *vciClient {
	c := &vciClient{HTTP: http.DefaultClient, Issuer: s.URL + "/o/" + slug}
	if withDPoP {
		c.DPoPKey = mustKey()
	}
	return c
}

func (c *vciClient) endpoint(name string) string { return c.Issuer + "/" + name }

func (c *vciClient) send(ctx context.Context, endpoint string, header http.Header, body []byte) (response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return response{}, err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	res, err := c.HTTP.Do(req)
	if err != nil {
		return response{}, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return response{Status: res.StatusCode, Header: res.Header, Body: b}, err
}

// withNonceRetry repeats a request once when the server asks for a DPoP nonce (RFC 9449 §8, §9).
func (c *vciClient) withNonceRetry(send func() (response, error)) (response, error) {
	res, err := send()
	if err != nil || c.DPoPKey == nil || res.vciError().Error != oid4vci.ErrUseDPoPNonce {
		return res, err
	}
	c.Nonce = res.Header.Get(dpop.NonceHeader)
	return send()
}

// TokenRequest posts form to the token endpoint, with a DPoP proof when the client has a key.
func (c *vciClient) TokenRequest(ctx context.Context, form url.Values) (response, error) {
	return c.withNonceRetry(func() (response, error) {
		h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
		if c.DPoPKey != nil {
			proof, err := dpop.New(c.DPoPKey, http.MethodPost, c.endpoint("token"), c.Nonce, "", time.Now())
			if err != nil {
				return response{}, err
			}
			h.Set(dpop.HeaderName, proof)
		}
		return c.send(ctx, c.endpoint("token"), h, []byte(form.Encode()))
	})
}

// preAuthorizedForm is the token request of the pre-authorized code flow (OpenID4VCI 1.0
// §6.1); txCode "" leaves tx_code out.
func preAuthorizedForm(code, txCode string) url.Values {
	form := url.Values{"grant_type": {oid4vci.GrantPreAuthorizedCode}, "pre-authorized_code": {code}}
	if txCode != "" {
		form.Set("tx_code", txCode)
	}
	return form
}

// Redeem exchanges a pre-authorized code for an access token.
func (c *vciClient) Redeem(ctx context.Context, code, txCode string) error {
	res, err := c.TokenRequest(ctx, preAuthorizedForm(code, txCode))
	if err != nil {
		return err
	}
	if res.Status != http.StatusOK {
		return fmt.Errorf("token request: %s", res.vciString())
	}
	return json.Unmarshal(res.Body, &c.Token)
}

// CredentialIDs lists the credential_identifiers of the token response (§6.2).
func (c *vciClient) CredentialIDs() []string {
	var ids []string
	for _, d := range c.Token.AuthorizationDetails {
		ids = append(ids, d.CredentialIdentifiers...)
	}
	return ids
}

// CNonce asks the Nonce Endpoint (§7) for a fresh c_nonce.
func (c *vciClient) CNonce(ctx context.Context) (string, error) {
	res, err := c.send(ctx, c.endpoint("nonce"), nil, nil)
	if err != nil {
		return "", err
	}
	var n oid4vci.NonceResponse
	if res.Status != http.StatusOK || json.Unmarshal(res.Body, &n) != nil || n.CNonce == "" {
		return "", fmt.Errorf("nonce endpoint: %s", res.vciString())
	}
	return n.CNonce, nil
}

// DPoPProof makes a DPoP proof for a credential request with the client's key and nonce.
func (c *vciClient) DPoPProof() (string, error) {
	return dpop.New(c.DPoPKey, http.MethodPost, c.endpoint("credential"), c.Nonce, c.Token.AccessToken, time.Now())
}

// Credential sends a correct credential request around body: the access token with a fresh
// DPoP proof (or as Bearer without a DPoP key).
func (c *vciClient) Credential(ctx context.Context, body any) (response, error) {
	return c.withNonceRetry(func() (response, error) {
		if c.DPoPKey == nil {
			return c.RawCredential(ctx, "Bearer "+c.Token.AccessToken, nil, body)
		}
		proof, err := c.DPoPProof()
		if err != nil {
			return response{}, err
		}
		return c.RawCredential(ctx, "DPoP "+c.Token.AccessToken, []string{proof}, body)
	})
}

// RawCredential sends a credential request with exactly the Authorization and DPoP headers given.
func (c *vciClient) RawCredential(ctx context.Context, authorization string, dpopProofs []string, body any) (response, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return response{}, err
	}
	h := http.Header{"Content-Type": {"application/json"}, http.CanonicalHeaderKey(dpop.HeaderName): dpopProofs}
	if authorization != "" {
		h.Set("Authorization", authorization)
	}
	return c.send(ctx, c.endpoint("credential"), h, b)
}

// ProofRequest is a credential request for one credential_identifier with one proof per key,
// each signed by its key over the issuer as aud, now as iat and nonce.
func (c *vciClient) ProofRequest(id, nonce string, keys ...*ecdsa.PrivateKey) (oid4vci.CredentialRequest, error) {
	req := oid4vci.CredentialRequest{CredentialIdentifier: id, Proofs: &oid4vci.Proofs{}}
	for _, k := range keys {
		p, err := vciProof(k, proofClaims(c.Issuer, nonce, time.Now()), nil)
		if err != nil {
			return req, err
		}
		req.Proofs.JWT = append(req.Proofs.JWT, p)
	}
	return req, nil
}

// proofClaims are the claims of a key proof (OpenID4VCI 1.0 Appendix F.1) without iss (the
// pre-authorized code flow is anonymous).
func proofClaims(aud, nonce string, iat time.Time) map[string]any {
	c := map[string]any{"aud": aud, "iat": iat.Unix()}
	if nonce != "" {
		c["nonce"] = nonce
	}
	return c
}

// vciProof signs a key proof JWT with key: header typ openid4vci-proof+jwt and jwk (the public
// key of key), overridden by header (a nil value drops that header).
func vciProof(key *ecdsa.PrivateKey, claims, header map[string]any) (string, error) {
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	h := map[string]any{"typ": oid4vci.ProofJWTType, "jwk": key.Public()}
	for k, v := range header {
		if v == nil {
			delete(h, k)
			continue
		}
		h[k] = v
	}
	return jose.Sign(payload, jose.Signer{Key: key}, h)
}

// rawJWS assembles a compact JWS from header and claims as given, with the signature sign
// makes over the signing input (for algorithms jose.Sign refuses to make: none, HS256).
func rawJWS(header, claims map[string]any, sign func(input []byte) []byte) (string, error) {
	h, err := json.Marshal(header)
	if err != nil {
		return "", err
	}
	p, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	enc := base64.RawURLEncoding
	input := enc.EncodeToString(h) + "." + enc.EncodeToString(p)
	return input + "." + enc.EncodeToString(sign([]byte(input))), nil
}

func mustKey() *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	return k
}

// preAuthorizedCode is the pre-authorized code of a created beschikking's offer.
func (c createdBeschikking) preAuthorizedCode(t testing.TB) string {
	t.Helper()
	var offer oid4vci.CredentialOffer
	if err := json.Unmarshal(c.CredentialOffer, &offer); err != nil || offer.Grants == nil || offer.Grants.PreAuthorizedCode == nil {
		t.Fatalf("offer %s has no pre-authorized code (%v)", c.CredentialOffer, err)
	}
	return offer.Grants.PreAuthorizedCode.PreAuthorizedCode
}

// statusEntry is the status.status_list claim of an issued SD-JWT VC (Token Status List §6.1).
type statusEntry struct {
	URI string `json:"uri"`
	Idx int    `json:"idx"`
}

// credentialStatus reads the status list entry from the issuer-signed JWT of an SD-JWT VC
// (signature not checked: the wallet library does that elsewhere).
func credentialStatus(sdjwt string) (statusEntry, error) {
	jwt, _, _ := strings.Cut(sdjwt, "~")
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return statusEntry{}, errors.New("not a compact JWS")
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return statusEntry{}, err
	}
	var claims struct {
		Status struct {
			StatusList *statusEntry `json:"status_list"`
		} `json:"status"`
	}
	if err := json.Unmarshal(payload, &claims); err != nil || claims.Status.StatusList == nil {
		return statusEntry{}, fmt.Errorf("no status.status_list claim (%v)", err)
	}
	return *claims.Status.StatusList, nil
}

// publicJWK is the public JWK of k as JSON.
func publicJWK(k *ecdsa.PrivateKey) json.RawMessage {
	b, err := did.PublicJWK(k.Public())
	if err != nil {
		panic(err)
	}
	return b
}

// privateJWK is the JWK of k with its private member d: a key proof must never carry it.
func privateJWK(k *ecdsa.PrivateKey) json.RawMessage {
	key, err := jwk.FromRaw(k)
	if err != nil {
		panic(err)
	}
	b, err := json.Marshal(key)
	if err != nil {
		panic(err)
	}
	return b
}

// es256 signs a JWS signing input with k as ES256 does (RFC 7518 §3.4: R || S, 32 bytes each).
func es256(k *ecdsa.PrivateKey) func([]byte) []byte {
	return func(input []byte) []byte {
		sum := sha256.Sum256(input)
		r, s, err := ecdsa.Sign(rand.Reader, k, sum[:])
		if err != nil {
			panic(err)
		}
		return append(r.FillBytes(make([]byte, 32)), s.FillBytes(make([]byte, 32))...)
	}
}
