package verifier

import (
	"context"
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/internal/audit"
	"github.com/sociaaldomein/bewijs/internal/jose"
	"github.com/sociaaldomein/bewijs/verifier/oid4vp"
)

// maxWalletNonce bounds the wallet_nonce echoed into a request object.
const maxWalletNonce = 256

// RequestObjectFetch is a wallet's fetch of a request_uri (OpenID4VP 1.0 §5.10): GET, or POST
// with an optional wallet_nonce.
type RequestObjectFetch struct {
	Slug        string
	ID          string
	Method      string // http.MethodGet or http.MethodPost
	WalletNonce string
}

// RequestObject returns the signed Request Object of a request, once. §5: "Verifiers MUST
// include the typ Header Parameter in Request Objects with the value oauth-authz-req+jwt".
// A second fetch is refused: the nonce and state it carries are single-use.
func (s *Service) RequestObject(ctx context.Context, f RequestObjectFetch) (string, error) {
	t, err := s.tenants.Lookup(ctx, f.Slug)
	if err != nil {
		return "", err
	}
	r, err := s.store.Request(ctx, t.ID, f.ID)
	if err != nil {
		return "", err
	}
	if len(f.WalletNonce) > maxWalletNonce {
		return "", oid4vp.NewError(http.StatusBadRequest, oid4vp.ErrInvalidRequest, "wallet_nonce is too long", nil)
	}
	now := s.now().UTC()
	refuse := func(reason, desc string, cause error) (string, error) {
		s.record(ctx, audit.Event{Action: "presentation.request_object", Outcome: audit.Denied, Actor: "wallet", TenantID: t.ID, Subject: r.ID, Reason: reason})
		return "", oid4vp.NewError(http.StatusBadRequest, oid4vp.ErrInvalidRequest, desc, cause)
	}
	if r.expired(now) {
		return refuse("expired", "the request has expired", ErrExpired)
	}
	if err := s.store.MarkRetrieved(ctx, r.ID, now); err != nil {
		if errors.Is(err, ErrConflict) {
			return refuse("fetched_twice", "the request object was already retrieved", err)
		}
		return "", err
	}
	signed, err := s.signRequestObject(ctx, f, r)
	if err != nil {
		return "", err
	}
	r.State, r.RetrievedAt = Retrieved, &now
	s.retrieved.put(r, now)
	s.notify(r.ID)
	return signed, nil
}

func (s *Service) signRequestObject(ctx context.Context, f RequestObjectFetch, r Request) (string, error) {
	claims, err := s.requestClaims(f, r)
	if err != nil {
		return "", err
	}
	if err := claims.Validate(); err != nil {
		return "", err // our own mistake: the request we would send is not valid
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	signer, err := s.tenants.Signer(ctx, f.Slug)
	if err != nil {
		return "", err
	}
	header := map[string]any{"typ": oid4vp.RequestObjectType}
	prefix, _, _ := oid4vp.ParseClientID(r.ClientID)
	if prefix == oid4vp.PrefixX509Hash || prefix == oid4vp.PrefixX509SANDNS {
		// §5.9.3 x509_san_dns / x509_hash: "the Request MUST be signed with the private key
		// corresponding to the public key in the leaf X.509 certificate of the certificate
		// chain added to the request in the x5c JOSE header".
		chain, err := s.chain(ctx, f.Slug)
		if err != nil {
			return "", err
		}
		if len(chain) == 0 {
			return "", errors.New("verifier: the organisation's certificate is gone; create a new request")
		}
		x5c := make([]string, len(chain))
		for i, der := range chain {
			x5c[i] = base64.StdEncoding.EncodeToString(der)
		}
		header["x5c"] = x5c
	}
	return jose.Sign(payload, signer, header)
}

// requestClaims are the Authorization Request parameters of §5.1 as Request Object claims.
func (s *Service) requestClaims(f RequestObjectFetch, r Request) (oid4vp.AuthorizationRequest, error) {
	q, err := s.queries.parse(r.Query)
	if err != nil {
		return oid4vp.AuthorizationRequest{}, err
	}
	md, err := s.clientMetadata(r)
	if err != nil {
		return oid4vp.AuthorizationRequest{}, err
	}
	claims := oid4vp.AuthorizationRequest{
		ClientID: r.ClientID, ResponseType: oid4vp.ResponseTypeVPToken, ResponseMode: r.ResponseMode,
		ResponseURI: s.responseURI(f.Slug, r.ID), Nonce: r.Nonce, State: r.StateParam, DCQLQuery: &q,
		ClientMetadata: md, Aud: oid4vp.AudienceSelfIssuedV2, Iat: s.now().Unix(), Exp: r.ExpiresAt.Unix(),
	}
	// §5.10.1: "If the Wallet provided a wallet_nonce in the request, the Verifier MUST
	// include it in the Request Object".
	if f.Method == http.MethodPost {
		claims.WalletNonce = f.WalletNonce
	}
	return claims, nil
}

// clientMetadata says what the verifier accepts and, for direct_post.jwt, the key to encrypt
// the response to (§5.1, §8.3: "The alg parameter MUST be present in the JWKs").
func (s *Service) clientMetadata(r Request) (*oid4vp.ClientMetadata, error) {
	md := &oid4vp.ClientMetadata{VPFormatsSupported: map[string]oid4vp.VPFormat{oid4vp.FormatSDJWTVC: {
		SDJWTAlgValues: []string{"ES256", "ES384", "EdDSA"}, KBJWTAlgValues: []string{"ES256", "ES384", "EdDSA"},
	}}}
	if r.ResponseMode != oid4vp.ResponseModeDirectPostJWT {
		return md, nil
	}
	key, err := s.encryptionKey(r)
	if err != nil {
		return nil, err
	}
	pub, err := did.PublicJWK(&key.PublicKey)
	if err != nil {
		return nil, err
	}
	var jwk map[string]any
	if err := json.Unmarshal(pub, &jwk); err != nil {
		return nil, err
	}
	jwk["kid"], jwk["use"], jwk["alg"] = r.EncKID, "enc", jose.AlgECDHES
	raw, err := json.Marshal(jwk)
	if err != nil {
		return nil, err
	}
	md.JWKS = &oid4vp.JWKS{Keys: []json.RawMessage{raw}}
	md.EncryptedResponseEncValuesSupported = []string{jose.EncA128GCM, jose.EncA256GCM}
	return md, nil
}

// encryptionKey opens the request's sealed response encryption key.
func (s *Service) encryptionKey(r Request) (*ecdsa.PrivateKey, error) {
	der, err := s.sealer.Open(r.EncKey, []byte("oid4vp-enc:"+r.ID))
	if err != nil {
		return nil, err
	}
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, err
	}
	key, ok := k.(*ecdsa.PrivateKey)
	if !ok {
		return nil, errors.New("verifier: the response encryption key is not EC")
	}
	return key, nil
}

// record audits a decision taken outside a transaction; a failure to store it is logged by
// the audit log itself.
func (s *Service) record(ctx context.Context, e audit.Event) {
	_ = s.audit.Record(ctx, e)
}
