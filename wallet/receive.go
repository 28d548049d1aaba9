package wallet

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/sociaaldomein/bewijs/internal/dpop"
	"github.com/sociaaldomein/bewijs/internal/jose"
	"github.com/sociaaldomein/bewijs/issuer/oid4vci"
)

// ReceiveOptions are the holder's choices for one offer.
type ReceiveOptions struct {
	TxCode string // the transaction code, when the offer asks for one
	NoDPoP bool   // do not bind the access token with DPoP (for testing Bearer issuers)
	Batch  int    // credentials (holder keys) per credential request; default 1
}

// session is one issuance: metadata, the access token and its DPoP key.
type session struct {
	c       *Client
	issuer  string
	md      oid4vci.IssuerMetadata
	as      oid4vci.AuthorizationServerMetadata
	dpopKey crypto.Signer
	nonce   string // the latest DPoP nonce
	token   oid4vci.TokenResponse
}

// Receive redeems a credential offer with the pre-authorized code and returns the verified
// credentials with their new holder keys. It does not store them; see Wallet.Receive.
func (c *Client) Receive(ctx context.Context, offerLink string, opts ReceiveOptions) ([]Credential, []Key, error) {
	offer, err := c.ResolveOffer(ctx, offerLink)
	if err != nil {
		return nil, nil, err
	}
	if offer.Grants == nil || offer.Grants.PreAuthorizedCode == nil {
		return nil, nil, errors.New("the offer has no pre-authorized code grant")
	}
	s := &session{c: c, issuer: offer.CredentialIssuer}
	if s.md, s.as, err = c.Metadata(ctx, offer.CredentialIssuer); err != nil {
		return nil, nil, err
	}
	if !opts.NoDPoP && len(s.as.DPoPSigningAlgValuesSupported) > 0 {
		if s.dpopKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
			return nil, nil, err
		}
	}
	if err := s.preAuthorizedToken(ctx, offer.Grants.PreAuthorizedCode, opts.TxCode); err != nil {
		return nil, nil, err
	}
	return s.fetchAll(ctx, offer, max(opts.Batch, 1))
}

// preAuthorizedToken is the token request of the pre-authorized code flow (§6.1).
func (s *session) preAuthorizedToken(ctx context.Context, g *oid4vci.PreAuthorizedCodeGrant, txCode string) error {
	form := url.Values{"grant_type": {oid4vci.GrantPreAuthorizedCode}, "pre-authorized_code": {g.PreAuthorizedCode}}
	if g.TxCode != nil {
		if txCode == "" {
			return errors.New("this offer needs a transaction code (tx_code)")
		}
		form.Set("tx_code", txCode)
	}
	return s.tokenRequest(ctx, form)
}

func (s *session) tokenRequest(ctx context.Context, form url.Values) error {
	send := func() error {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.as.TokenEndpoint, strings.NewReader(form.Encode()))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if err := s.signDPoP(req, ""); err != nil {
			return err
		}
		_, err = s.c.do(req, &s.token)
		return err
	}
	return s.withNonceRetry(send)
}

// withNonceRetry repeats a request once when the server asks for (another) DPoP nonce
// (RFC 9449 §8, §9).
func (s *session) withNonceRetry(send func() error) error {
	err := send()
	var pe *ProtocolError
	if errors.As(err, &pe) && pe.Code == oid4vci.ErrUseDPoPNonce && pe.DPoPNonce != "" && s.dpopKey != nil {
		s.nonce = pe.DPoPNonce
		return send()
	}
	return err
}

func (s *session) signDPoP(req *http.Request, accessToken string) error {
	if s.dpopKey == nil {
		if accessToken != "" {
			req.Header.Set("Authorization", "Bearer "+accessToken)
		}
		return nil
	}
	proof, err := dpop.New(s.dpopKey, req.Method, req.URL.String(), s.nonce, accessToken, s.c.now())
	if err != nil {
		return err
	}
	req.Header.Set("DPoP", proof)
	if accessToken != "" {
		req.Header.Set("Authorization", "DPoP "+accessToken)
	}
	return nil
}

// fetchAll requests every credential the token covers: by credential_identifier when the
// token response lists them (§6.2), else once per offered configuration.
func (s *session) fetchAll(ctx context.Context, offer oid4vci.CredentialOffer, batch int) ([]Credential, []Key, error) {
	var reqs []oid4vci.CredentialRequest
	for _, d := range s.token.AuthorizationDetails {
		for _, id := range d.CredentialIdentifiers {
			reqs = append(reqs, oid4vci.CredentialRequest{CredentialIdentifier: id})
		}
	}
	if len(reqs) == 0 {
		for _, id := range offer.CredentialConfigurationIDs {
			reqs = append(reqs, oid4vci.CredentialRequest{CredentialConfigurationID: id})
		}
	}
	var creds []Credential
	var keys []Key
	for _, r := range reqs {
		cs, ks, err := s.fetch(ctx, r, batch)
		if err != nil {
			return nil, nil, err
		}
		creds, keys = append(creds, cs...), append(keys, ks...)
	}
	return creds, keys, nil
}

// fetch gets a c_nonce, makes one proof per new holder key and requests the credential(s).
func (s *session) fetch(ctx context.Context, r oid4vci.CredentialRequest, batch int) ([]Credential, []Key, error) {
	if b := s.md.BatchCredentialIssuance; b == nil || b.BatchSize < batch {
		batch = 1
	}
	cNonce, err := s.cNonce(ctx)
	if err != nil {
		return nil, nil, err
	}
	keys := make([]Key, 0, batch)
	r.Proofs = &oid4vci.Proofs{}
	for range batch {
		k, proof, err := s.newProof(cNonce)
		if err != nil {
			return nil, nil, err
		}
		keys = append(keys, k)
		r.Proofs.JWT = append(r.Proofs.JWT, proof)
	}
	var resp oid4vci.CredentialResponse
	if err := s.withNonceRetry(func() error { return s.post(ctx, s.md.CredentialEndpoint, r, &resp) }); err != nil {
		return nil, nil, fmt.Errorf("credential request: %w", err)
	}
	if len(resp.Credentials) != len(keys) {
		return nil, nil, fmt.Errorf("asked for %d credentials, got %d", len(keys), len(resp.Credentials))
	}
	out := make([]Credential, 0, len(keys))
	for k, ic := range resp.Credentials {
		cred, err := s.c.Verify(ctx, ic.Credential, keys[k].Private.Public())
		if err != nil {
			return nil, nil, fmt.Errorf("received credential does not verify: %w", err)
		}
		cred.CredentialIssuer, cred.HolderKeyID, cred.NotificationID = s.issuer, keys[k].ID, resp.NotificationID
		cred.ConfigurationID, cred.ReceivedAt = r.CredentialConfigurationID, s.c.now().UTC()
		out = append(out, cred)
	}
	if resp.NotificationID != "" {
		s.notify(ctx, resp.NotificationID)
	}
	return out, keys, nil
}

func (s *session) cNonce(ctx context.Context) (string, error) {
	if s.md.NonceEndpoint == "" {
		return "", nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.md.NonceEndpoint, nil)
	if err != nil {
		return "", err
	}
	var n oid4vci.NonceResponse
	if _, err := s.c.do(req, &n); err != nil {
		return "", fmt.Errorf("nonce endpoint: %w", err)
	}
	return n.CNonce, nil
}

// newProof makes a holder key and its JWT proof (§8.2.1.1, Appendix F.1).
func (s *session) newProof(cNonce string) (Key, string, error) {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return Key{}, "", err
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return Key{}, "", err
	}
	kid, err := jose.Thumbprint(priv.Public())
	if err != nil {
		return Key{}, "", err
	}
	claims := map[string]any{"aud": s.issuer, "iat": s.c.now().Unix()}
	if cNonce != "" {
		claims["nonce"] = cNonce
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return Key{}, "", err
	}
	proof, err := jose.Sign(payload, jose.Signer{Key: priv}, map[string]any{"typ": oid4vci.ProofJWTType, "jwk": priv.Public()})
	return Key{ID: kid, Private: priv, PKCS8: der}, proof, err
}

func (s *session) post(ctx context.Context, endpoint string, body, out any) error {
	r, err := jsonBody(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, r)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if err := s.signDPoP(req, s.token.AccessToken); err != nil {
		return err
	}
	_, err = s.c.do(req, out)
	return err
}

// notify tells the issuer the credentials were accepted (§11). A failure here does not undo
// the issuance, so it is not returned.
func (s *session) notify(ctx context.Context, id string) {
	if s.md.NotificationEndpoint == "" {
		return
	}
	n := oid4vci.NotificationRequest{NotificationID: id, Event: oid4vci.EventCredentialAccepted}
	_ = s.withNonceRetry(func() error { return s.post(ctx, s.md.NotificationEndpoint, n, nil) })
}
