package issuer

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/sociaaldomein/bewijs/internal/audit"
	"github.com/sociaaldomein/bewijs/internal/dpop"
	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/issuer/oid4vci"
)

// TokenRequest is a parsed token request (RFC 6749 §4.1.3, OpenID4VCI 1.0 §6.1) with the DPoP
// header and the URL it was sent to.
type TokenRequest struct {
	GrantType         string
	PreAuthorizedCode string
	TxCode            string
	TxCodeSent        bool
	Code              string
	CodeVerifier      string
	RedirectURI       string
	ClientID          string
	DPoP              string // DPoP header value, "" when absent
	URL               string // the token endpoint URL as the client used it (DPoP htu)
}

// TokenResult is the response and, when the client uses DPoP, a fresh DPoP nonce.
type TokenResult struct {
	Response  oid4vci.TokenResponse
	DPoPNonce string
}

// Token is the token endpoint of a gemeente's authorization server.
func (i *Issuer) Token(ctx context.Context, slug string, req TokenRequest) (TokenResult, error) {
	t, err := i.issuingTenant(ctx, slug)
	if err != nil {
		return TokenResult{}, oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrInvalidRequest, "unknown issuer", err)
	}
	jkt, nonce, err := i.tokenDPoP(ctx, t, req)
	if err != nil {
		return TokenResult{DPoPNonce: nonce}, err
	}
	var code Code
	switch req.GrantType {
	case oid4vci.GrantPreAuthorizedCode:
		code, err = i.redeemPreAuthorized(ctx, t, req)
	case oid4vci.GrantAuthorizationCode:
		code, err = i.redeemAuthorizationCode(ctx, t, req, jkt)
	default:
		err = oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrUnsupportedGrantType, "grant type not supported", nil)
	}
	var resp oid4vci.TokenResponse
	if err == nil {
		resp, err = i.issueAccessToken(ctx, t, code, jkt)
	}
	if err != nil {
		i.metrics.Failed(errorCode(err))
		i.record(ctx, audit.Event{Action: "oid4vci.token", Outcome: audit.Denied, Actor: "wallet", TenantID: t.ID, Reason: errorCode(err) + ": " + errDescription(err)})
		return TokenResult{DPoPNonce: nonce}, err
	}
	return TokenResult{Response: resp, DPoPNonce: nonce}, nil
}

// redeemPreAuthorized checks the pre-authorized code and tx_code (OpenID4VCI 1.0 §6.1, §6.3).
func (i *Issuer) redeemPreAuthorized(ctx context.Context, t tenant.Tenant, req TokenRequest) (Code, error) {
	if req.PreAuthorizedCode == "" {
		return Code{}, oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrInvalidRequest, "pre-authorized_code is required", nil)
	}
	txHash := ""
	if req.TxCodeSent {
		txHash = hashSecret(req.TxCode)
	}
	code, err := i.store.RedeemPreAuthorizedCode(ctx, t.ID, hashSecret(req.PreAuthorizedCode), txHash, i.cfg.MaxTxCodeFailures, i.now().UTC())
	switch {
	case err == nil:
	case errors.Is(err, ErrTxCodeRequired):
		// §6.3: "the Authorization Server expects a Transaction Code ... but the Client does not provide" one: invalid_request.
		return Code{}, oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrInvalidRequest, "tx_code is required for this offer", err)
	case errors.Is(err, ErrTxCodeUnexpected):
		return Code{}, oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrInvalidRequest, "this offer has no tx_code", err)
	case errors.Is(err, ErrTxCode):
		// §6.3: the wrong Transaction Code is invalid_grant.
		return Code{}, oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrInvalidGrant, "wrong tx_code", err)
	case errors.Is(err, ErrNotFound), errors.Is(err, ErrReplay), errors.Is(err, ErrExpired), errors.Is(err, ErrCodeDead):
		// §6.3: a wrong or expired Pre-Authorized Code is invalid_grant; it is single use.
		return Code{}, oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrInvalidGrant, "pre-authorized code is invalid, used or expired", err)
	default:
		return Code{}, err
	}
	return code, nil
}

// issueAccessToken gives a token for a redeemed code, unless its beschikking was revoked (or
// otherwise left the offered state) after the offer was made.
func (i *Issuer) issueAccessToken(ctx context.Context, t tenant.Tenant, code Code, jkt string) (oid4vci.TokenResponse, error) {
	creds, err := i.issuableCredentials(ctx, t, code.Beschikkingen())
	var denied *oid4vci.Error
	if errors.As(err, &denied) && denied.Code == oid4vci.ErrCredentialRequestDenied {
		creds, err = nil, nil
	}
	if err != nil {
		return oid4vci.TokenResponse{}, err
	}
	if len(creds) == 0 {
		return oid4vci.TokenResponse{}, oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrInvalidGrant, "the offer is no longer valid", nil)
	}
	token, err := randomToken()
	if err != nil {
		return oid4vci.TokenResponse{}, err
	}
	at := AccessToken{Hash: hashSecret(token), TenantID: t.ID, BeschikkingID: code.BeschikkingID, DPoPJKT: jkt,
		ExpiresAt: i.now().UTC().Add(i.cfg.AccessTokenTTL), BeschikkingIDs: code.BeschikkingIDs}
	if err := i.store.SaveAccessToken(ctx, at); err != nil {
		return oid4vci.TokenResponse{}, err
	}
	tokenType := "Bearer"
	if jkt != "" {
		tokenType = "DPoP"
	}
	return oid4vci.TokenResponse{AccessToken: token, TokenType: tokenType, ExpiresIn: int(i.cfg.AccessTokenTTL / time.Second),
		AuthorizationDetails: authorizationDetails(creds)}, nil
}

// authorizationDetails names each credential the token may fetch by credential_identifier
// (§6.2), grouped by configuration.
func authorizationDetails(creds []Credential) []oid4vci.AuthorizationDetail {
	var out []oid4vci.AuthorizationDetail
	index := map[string]int{}
	for _, c := range creds {
		k, ok := index[c.ConfigurationID]
		if !ok {
			k = len(out)
			index[c.ConfigurationID] = k
			out = append(out, oid4vci.AuthorizationDetail{Type: oid4vci.AuthzDetailsType, CredentialConfigurationID: c.ConfigurationID})
		}
		out[k].CredentialIdentifiers = append(out[k].CredentialIdentifiers, c.ID)
	}
	return out
}

// tokenDPoP verifies the DPoP proof of a token request, if any (RFC 9449 §5). The server
// requires a nonce it issued (§8): without one the answer is use_dpop_nonce with a fresh one.
func (i *Issuer) tokenDPoP(ctx context.Context, t tenant.Tenant, req TokenRequest) (jkt, nextNonce string, err error) {
	if req.DPoP == "" {
		return "", "", nil
	}
	return i.checkDPoP(ctx, t, req.DPoP, http.MethodPost, req.URL, "", "")
}

// checkDPoP verifies a proof and returns the key thumbprint and the nonce for the
// DPoP-Nonce header: a fresh one when the proof needs one, else the one it used.
func (i *Issuer) checkDPoP(ctx context.Context, t tenant.Tenant, proof, method, url, accessToken, boundJKT string) (string, string, error) {
	p, err := dpop.Verify(proof, dpop.VerifyOptions{Method: method, URL: url, Now: i.now, MaxAge: i.cfg.ProofMaxAge,
		Skew: i.cfg.Skew, AccessToken: accessToken, JKT: boundJKT})
	if err != nil {
		return "", "", oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrInvalidDPoPProof, "DPoP proof is not valid", err)
	}
	if _, err := i.checkNonce(t.ID, noncePurposeDPoP, p.Nonce); err != nil {
		nonce, err := i.newNonce(t.ID, noncePurposeDPoP)
		if err != nil {
			return "", "", err
		}
		return "", nonce, oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrUseDPoPNonce, "use the DPoP nonce in the DPoP-Nonce header", nil)
	}
	// §11.1: a proof is used once; its jti is remembered for as long as the proof is acceptable.
	if err := i.store.Remember(ctx, "dpop:"+p.JKT+":"+p.JTI, p.IssuedAt.Add(i.cfg.ProofMaxAge+i.cfg.Skew)); err != nil {
		return "", "", oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrInvalidDPoPProof, "DPoP proof was used before", err)
	}
	// RFC 9449 §8.2: the server may give the nonce to use next in a successful response too;
	// the one just used stays valid until it expires, so the client needs no extra round trip.
	return p.JKT, p.Nonce, nil
}

// errorCode returns the protocol error code of err, for metrics.
func errorCode(err error) string {
	var e *oid4vci.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return "server_error"
}
