package issuer

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"

	"github.com/google/uuid"

	"github.com/sociaaldomein/bewijs/internal/audit"
	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/issuer/oid4vci"
	"github.com/sociaaldomein/bewijs/issuer/toewijzing"
)

// CredentialRequest is a parsed credential request with its authorization.
type CredentialRequest struct {
	Scheme      string // "Bearer" or "DPoP"
	AccessToken string
	DPoP        string
	URL         string // the credential endpoint URL as used (DPoP htu)
	Body        oid4vci.CredentialRequest
}

// CredentialResult is the response and, when a DPoP nonce is needed, that nonce.
type CredentialResult struct {
	Response  oid4vci.CredentialResponse
	DPoPNonce string
}

// Credential is the Credential Endpoint (OpenID4VCI 1.0 §8): one SD-JWT VC per proof key.
func (i *Issuer) Credential(ctx context.Context, slug string, req CredentialRequest) (CredentialResult, error) {
	t, err := i.issuingTenant(ctx, slug)
	if err != nil {
		return CredentialResult{}, oid4vci.NewError(http.StatusNotFound, oid4vci.ErrInvalidRequest, "unknown issuer", err)
	}
	token, nonce, err := i.checkAccessToken(ctx, t, req)
	if err != nil {
		return CredentialResult{DPoPNonce: nonce}, i.fail(ctx, t, err)
	}
	creds, err := i.issuableCredentials(ctx, t, token.Beschikkingen())
	if err != nil {
		return CredentialResult{}, i.fail(ctx, t, err)
	}
	cred, err := selectCredential(creds, req.Body)
	if err != nil {
		return CredentialResult{}, i.fail(ctx, t, err)
	}
	if cred.ConfigurationID == ConfigZorgtoewijzing && i.zorg != nil {
		resp, err := i.issueZorgtoewijzing(ctx, t, slug, cred, req.Body)
		if err != nil {
			return CredentialResult{}, i.fail(ctx, t, err)
		}
		return CredentialResult{Response: resp}, nil
	}
	proofs, err := i.proofs(ctx, t, req.Body)
	if err != nil {
		return CredentialResult{}, i.fail(ctx, t, err)
	}
	resp, err := i.issue(ctx, t, slug, cred, proofs)
	if err != nil {
		return CredentialResult{}, i.fail(ctx, t, err)
	}
	return CredentialResult{Response: resp}, nil
}

func (i *Issuer) fail(ctx context.Context, t tenant.Tenant, err error) error {
	code := errorCode(err)
	i.metrics.Failed(code)
	i.record(ctx, audit.Event{Action: "oid4vci.credential", Outcome: audit.Denied, Actor: "wallet", TenantID: t.ID, Reason: code + ": " + errDescription(err)})
	return err
}

func errDescription(err error) string {
	var e *oid4vci.Error
	if errors.As(err, &e) {
		return e.Description
	}
	return "internal error"
}

// checkAccessToken checks a Bearer or DPoP-bound access token (RFC 6750, RFC 9449 §7).
func (i *Issuer) checkAccessToken(ctx context.Context, t tenant.Tenant, req CredentialRequest) (AccessToken, string, error) {
	invalid := func(desc string, cause error) error {
		return oid4vci.NewError(http.StatusUnauthorized, oid4vci.ErrInvalidToken, desc, cause)
	}
	if req.AccessToken == "" {
		return AccessToken{}, "", invalid("access token required", nil)
	}
	token, err := i.store.AccessToken(ctx, t.ID, hashSecret(req.AccessToken), i.now().UTC())
	if err != nil {
		return AccessToken{}, "", invalid("access token is invalid or expired", err)
	}
	if token.DPoPJKT != "" {
		// RFC 9449 §7.1: a DPoP-bound token must be presented with the DPoP scheme and a
		// proof by the key it is bound to, carrying ath.
		if req.Scheme != "DPoP" || req.DPoP == "" {
			return AccessToken{}, "", invalid("this access token is DPoP-bound: use the DPoP scheme and a DPoP proof", nil)
		}
		if _, nonce, err := i.checkDPoP(ctx, t, req.DPoP, http.MethodPost, req.URL, req.AccessToken, token.DPoPJKT); err != nil {
			return AccessToken{}, nonce, err
		}
	} else if req.Scheme != "Bearer" {
		return AccessToken{}, "", invalid("this access token is a Bearer token", nil)
	}
	return token, "", nil
}

// issuableState: credentials are handed out only while the beschikking is offered or issued.
// issuableCredentials are the credentials of the beschikkingen a code or token covers that may
// still be issued. For one beschikking a state that forbids issuing is an error; of several
// (login by disclosure), one revoked in the meantime is left out.
func (i *Issuer) issuableCredentials(ctx context.Context, t tenant.Tenant, ids []string) ([]Credential, error) {
	var out []Credential
	for _, id := range ids {
		b, creds, err := i.store.Beschikking(ctx, t.ID, id)
		if err != nil {
			return nil, err
		}
		if err := issuableState(b); err != nil {
			if len(ids) == 1 {
				return nil, err
			}
			continue
		}
		out = append(out, creds...)
	}
	return out, nil
}

func issuableState(b Beschikking) error {
	if b.State != Offered && b.State != Issued {
		return oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrCredentialRequestDenied, "the beschikking is "+string(b.State), nil)
	}
	return nil
}

// selectCredential picks the credential a request names (§8.2): by credential_identifier
// from the token response, or the next unissued one of a credential_configuration_id.
func selectCredential(creds []Credential, body oid4vci.CredentialRequest) (Credential, error) {
	configID := body.CredentialConfigurationID
	if configID == "" && body.CredentialIdentifier == "" && body.Format == oid4vci.FormatSDJWTVC {
		configID = configurationForVCT(body.VCT) // drafts 13-14 named the type instead
	}
	switch {
	case body.CredentialIdentifier != "" && configID != "":
		return Credential{}, oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrInvalidCredentialRequest, "send credential_identifier or credential_configuration_id, not both", nil)
	case body.CredentialIdentifier != "":
		k := slices.IndexFunc(creds, func(c Credential) bool { return c.ID == body.CredentialIdentifier })
		if k < 0 {
			return Credential{}, oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrUnknownCredentialIdentifier, "unknown credential_identifier", nil)
		}
		return issuable(creds[k])
	case configID != "":
		var known bool
		for _, c := range creds {
			known = known || c.ConfigurationID == configID
			if c.ConfigurationID == configID && c.SealedClaims != "" {
				return c, nil
			}
		}
		if !known {
			return Credential{}, oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrUnknownCredentialConfiguration, "unknown credential_configuration_id", nil)
		}
		return Credential{}, oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrCredentialRequestDenied, "every credential of this configuration has been issued", nil)
	}
	return Credential{}, oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrInvalidCredentialRequest, "credential_identifier or credential_configuration_id is required", nil)
}

func issuable(c Credential) (Credential, error) {
	if c.SealedClaims == "" {
		return Credential{}, oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrCredentialRequestDenied, "this credential has been issued already", nil)
	}
	return c, nil
}

func configurationForVCT(vct string) string {
	for _, wet := range []string{"Wmo2015", "Jeugdwet"} {
		if toewijzing.VCT(wet) == vct {
			return configurationID(wet)
		}
	}
	return ""
}

// proofs verifies the key proofs (§8.2: proofs.jwt, or the drafts' singular proof) and uses
// up their c_nonces.
func (i *Issuer) proofs(ctx context.Context, t tenant.Tenant, body oid4vci.CredentialRequest) ([]holderProof, error) {
	return i.proofsFor(ctx, t, body, false)
}

// proofsFor is proofs; orgKeys also accepts a did:web kid (an organisation's DID key, for the
// zorgtoewijzing of an aanbieder), resolved over the network.
func (i *Issuer) proofsFor(ctx context.Context, t tenant.Tenant, body oid4vci.CredentialRequest, orgKeys bool) ([]holderProof, error) {
	var jwts []string
	switch {
	case body.Proofs != nil && body.Proof != nil:
		return nil, oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrInvalidCredentialRequest, "send proofs or proof, not both", nil)
	case body.Proofs != nil:
		jwts = body.Proofs.JWT
	case body.Proof != nil && body.Proof.ProofType == oid4vci.ProofTypeJWT:
		jwts = []string{body.Proof.JWT}
	}
	if len(jwts) == 0 {
		return nil, invalidProof("a jwt proof of possession is required", errNoProof)
	}
	if len(jwts) > i.cfg.BatchSize {
		return nil, oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrInvalidCredentialRequest, "more proofs than batch_size", nil)
	}
	issuerURL := i.tenants.IssuerURL(t.Slug)
	verified := make([]holderProof, len(jwts))
	if err := each(len(jwts), func(k int) error {
		var err error
		verified[k], err = i.verifyProof(ctx, jwts[k], issuerURL, orgKeys)
		return err
	}); err != nil {
		return nil, err
	}
	out := make([]holderProof, 0, len(jwts))
	nonces := map[string]bool{}
	for _, p := range verified {
		if slices.ContainsFunc(out, func(q holderProof) bool { return q.JKT == p.JKT }) {
			return nil, invalidProof("each proof must use a different key", nil)
		}
		out = append(out, p)
		nonces[p.Nonce] = true
	}
	for n := range nonces {
		if err := i.spendCNonce(ctx, t.ID, n); err != nil {
			return nil, oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrInvalidNonce, "c_nonce is unknown, used or expired; get a fresh one", err)
		}
	}
	return out, nil
}

// issue builds, signs and records one credential per proof in one transaction.
func (i *Issuer) issue(ctx context.Context, t tenant.Tenant, slug string, cred Credential, proofs []holderProof) (oid4vci.CredentialResponse, error) {
	plain, err := i.sealer.Open(cred.SealedClaims, []byte(cred.ID))
	if err != nil {
		return oid4vci.CredentialResponse{}, err
	}
	var claims map[string]any
	if err := json.Unmarshal(plain, &claims); err != nil {
		return oid4vci.CredentialResponse{}, err
	}
	signer, err := i.signerFor(ctx, slug)
	if err != nil {
		return oid4vci.CredentialResponse{}, err
	}
	jkts := make([]string, len(proofs))
	for k, p := range proofs {
		jkts[k] = p.JKT
	}
	now := i.now().UTC()
	var out []string
	record := audit.Event{Time: now, Action: "credential.issue", Outcome: audit.Success, Actor: "wallet", TenantID: t.ID, Subject: cred.ID,
		RequestID: audit.RequestID(ctx), Details: map[string]string{"beschikking": cred.BeschikkingID, "count": itoa(len(proofs))}}
	issued, err := i.store.Issue(ctx, IssueBatch{TenantID: t.ID, CredentialID: cred.ID, HolderJKTs: jkts, At: now, NotificationID: uuid.NewString(), Audit: &record},
		func(entries []StatusEntry) ([]string, error) {
			out = make([]string, len(entries))
			err := each(len(entries), func(k int) error {
				var err error
				out[k], err = i.buildSDJWTVC(signer, slug, cred, claims, proofs[k].Key, entries[k], now)
				return err
			})
			return out, err
		})
	if err != nil {
		if errors.Is(err, ErrConflict) {
			return oid4vci.CredentialResponse{}, oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrCredentialRequestDenied, "this credential has been issued already", err)
		}
		return oid4vci.CredentialResponse{}, err
	}
	i.metrics.Issued(cred.ConfigurationID, len(out))
	record.Details["status_list"] = issued[0].StatusListID
	i.announce(ctx, record)
	resp := oid4vci.CredentialResponse{NotificationID: issued[0].NotificationID}
	for _, s := range out {
		resp.Credentials = append(resp.Credentials, oid4vci.IssuedCredential{Credential: s})
	}
	return resp, nil
}
