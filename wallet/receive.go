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

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/internal/dpop"
	"github.com/sociaaldomein/bewijs/internal/jose"
	"github.com/sociaaldomein/bewijs/issuer/oid4vci"
)

// ReceiveOptions are the holder's choices for one offer.
type ReceiveOptions struct {
	TxCode string // the transaction code, when the offer asks for one
	NoDPoP bool   // do not bind the access token with DPoP (for testing Bearer issuers)
	Batch  int    // credentials (holder keys) per credential request; default 1
	// Holder, when set, is the holder's own key: every proof is signed with it and names it
	// with a kid header (Holder.KeyID, a DID URL, OpenID4VCI 1.0 Appendix F.1) instead of a
	// jwk; one credential per request (Batch is ignored) and no new holder keys.
	Holder *jose.Signer
	// Accept, when set, checks each received credential (the string of the credential
	// response) instead of Verify, which knows only SD-JWT VCs. It is required with Holder.
	Accept func(ctx context.Context, raw string) (Credential, error)
}

// check refuses options that cannot work together.
func (o ReceiveOptions) check() error {
	if o.Holder == nil {
		return nil
	}
	if o.Accept == nil {
		return errors.New("receive: a holder key needs an Accept function for what it receives")
	}
	if o.Holder.Key == nil {
		return errors.New("receive: the holder key is missing")
	}
	// Appendix F.1: kid "MUST NOT be present if jwk or x5c is present"; with a DID URL it
	// "MUST be an absolute DID URL" that resolves to the key.
	if _, fragment, err := did.ParseDIDURL(o.Holder.KeyID); err != nil || fragment == "" {
		return fmt.Errorf("receive: holder key id %q is not a DID URL with a fragment", o.Holder.KeyID)
	}
	return nil
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
	opts    ReceiveOptions
}

// Receive redeems a credential offer with the pre-authorized code and returns the verified
// credentials with their new holder keys (none with opts.Holder). It does not store them;
// see Wallet.Receive.
func (c *Client) Receive(ctx context.Context, offerLink string, opts ReceiveOptions) ([]Credential, []Key, error) {
	if err := opts.check(); err != nil {
		return nil, nil, err
	}
	offer, err := c.ResolveOffer(ctx, offerLink)
	if err != nil {
		return nil, nil, err
	}
	if offer.Grants == nil || offer.Grants.PreAuthorizedCode == nil {
		return nil, nil, errors.New("the offer has no pre-authorized code grant")
	}
	s := &session{c: c, issuer: offer.CredentialIssuer, opts: opts}
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

// fetch gets a c_nonce, makes one proof per credential and requests the credential(s).
func (s *session) fetch(ctx context.Context, r oid4vci.CredentialRequest, batch int) ([]Credential, []Key, error) {
	if b := s.md.BatchCredentialIssuance; b == nil || b.BatchSize < batch || s.opts.Holder != nil {
		batch = 1
	}
	cNonce, err := s.cNonce(ctx)
	if err != nil {
		return nil, nil, err
	}
	keys, err := s.addProofs(&r, cNonce, batch)
	if err != nil {
		return nil, nil, err
	}
	var resp oid4vci.CredentialResponse
	if err := s.withNonceRetry(func() error { return s.post(ctx, s.md.CredentialEndpoint, r, &resp) }); err != nil {
		return nil, nil, fmt.Errorf("credential request: %w", err)
	}
	if len(resp.Credentials) != len(r.Proofs.JWT) {
		return nil, nil, fmt.Errorf("asked for %d credentials, got %d", len(r.Proofs.JWT), len(resp.Credentials))
	}
	out := make([]Credential, 0, len(resp.Credentials))
	for k, ic := range resp.Credentials {
		cred, err := s.accept(ctx, ic.Credential, keys, k)
		if err != nil {
			return nil, nil, fmt.Errorf("received credential does not verify: %w", err)
		}
		cred.CredentialIssuer, cred.NotificationID = s.issuer, resp.NotificationID
		cred.ConfigurationID, cred.ReceivedAt = r.CredentialConfigurationID, s.c.now().UTC()
		out = append(out, cred)
	}
	if resp.NotificationID != "" {
		s.notify(ctx, resp.NotificationID)
	}
	return out, keys, nil
}

// addProofs puts batch proofs into r, each with a new holder key, or the one proof of
// opts.Holder (then no keys are returned).
func (s *session) addProofs(r *oid4vci.CredentialRequest, cNonce string, batch int) ([]Key, error) {
	r.Proofs = &oid4vci.Proofs{}
	if s.opts.Holder != nil {
		proof, err := s.signProof(cNonce, *s.opts.Holder, nil)
		r.Proofs.JWT = []string{proof}
		return nil, err
	}
	keys := make([]Key, 0, batch)
	for range batch {
		k, proof, err := s.newProof(cNonce)
		if err != nil {
			return nil, err
		}
		keys = append(keys, k)
		r.Proofs.JWT = append(r.Proofs.JWT, proof)
	}
	return keys, nil
}

// accept checks the k-th credential of a response: with opts.Accept when set, else as an
// SD-JWT VC bound to the k-th new holder key.
func (s *session) accept(ctx context.Context, raw string, keys []Key, k int) (Credential, error) {
	if s.opts.Accept == nil {
		cred, err := s.c.Verify(ctx, raw, keys[k].Private.Public())
		cred.HolderKeyID = keys[k].ID
		return cred, err
	}
	cred, err := s.opts.Accept(ctx, raw)
	switch {
	case s.opts.Holder != nil:
		cred.HolderKeyID = s.opts.Holder.KeyID
	case k < len(keys):
		cred.HolderKeyID = keys[k].ID
	}
	return cred, err
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
	proof, err := s.signProof(cNonce, jose.Signer{Key: priv}, priv.Public())
	return Key{ID: kid, Private: priv, PKCS8: der}, proof, err
}

// signProof signs a JWT proof (Appendix F.1): typ openid4vci-proof+jwt, aud the credential
// issuer, iat, and nonce the c_nonce. The key is named by jwk when given, else by the
// signer's kid.
func (s *session) signProof(cNonce string, signer jose.Signer, jwk crypto.PublicKey) (string, error) {
	claims := map[string]any{"aud": s.issuer, "iat": s.c.now().Unix()}
	if cNonce != "" {
		claims["nonce"] = cNonce
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	headers := map[string]any{"typ": oid4vci.ProofJWTType}
	if jwk != nil {
		headers["jwk"] = jwk
	}
	return jose.Sign(payload, signer, headers)
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

// ReceiveAs redeems an offer as a holder identified by a DID: the proofs are signed with
// holder (kid holder.KeyID, a DID URL) and each credential received is handed to accept,
// which checks and keeps it. A credential accept refuses stops the issuance and is not
// acknowledged to the issuer. It is Receive with ReceiveOptions{Holder, Accept}, for callers
// that only need the credential strings (an organisation wallet on a server).
func (c *Client) ReceiveAs(ctx context.Context, offerLink string, holder jose.Signer, accept func(ctx context.Context, raw string) error) error {
	opts := ReceiveOptions{Holder: &holder, Accept: func(ctx context.Context, raw string) (Credential, error) {
		return Credential{Raw: raw}, accept(ctx, raw)
	}}
	_, _, err := c.Receive(ctx, offerLink, opts)
	return err
}
