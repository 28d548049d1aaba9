package wallet

import (
	"context"
	"crypto"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/internal/jose"
	"github.com/sociaaldomein/bewijs/internal/sdjwt"
)

// Verify checks an SD-JWT VC as a holder receives it (SD-JWT VC draft -16 §3): typ
// dc+sd-jwt; the issuer signature with the key its kid names in the DID document of iss;
// every disclosure; vct present; and, when holder is given, that cnf.jwk is the holder's key.
func (c *Client) Verify(ctx context.Context, raw string, holder crypto.PublicKey) (Credential, error) {
	tok, err := sdjwt.Parse(raw)
	if err != nil {
		return Credential{}, err
	}
	if tok.Header.Typ != "dc+sd-jwt" {
		return Credential{}, fmt.Errorf("typ is %q, want dc+sd-jwt", tok.Header.Typ)
	}
	issuerDID, key, err := c.issuerKey(ctx, tok.Header.Kid)
	if err != nil {
		return Credential{}, err
	}
	v, err := tok.Verify(key, sdjwt.VerifyOptions{Now: c.now})
	if err != nil {
		return Credential{}, err
	}
	cred, err := credentialFrom(raw, v.Claims)
	if err != nil {
		return Credential{}, err
	}
	// The kid must be a key of the issuer the credential names.
	if cred.Issuer != issuerDID {
		return Credential{}, fmt.Errorf("iss %q is not the DID of the signing key %q", cred.Issuer, tok.Header.Kid)
	}
	if holder != nil {
		if err := sameKey(v.HolderKey, holder); err != nil {
			return Credential{}, err
		}
	}
	return cred, nil
}

// issuerKey resolves a DID URL kid to the DID and its assertion key.
func (c *Client) issuerKey(ctx context.Context, kid string) (string, crypto.PublicKey, error) {
	id, _, err := did.ParseDIDURL(kid)
	if err != nil {
		return "", nil, fmt.Errorf("kid %q is not a DID URL: %w", kid, err)
	}
	if c.Resolver == nil {
		return "", nil, errors.New("wallet: no DID resolver configured")
	}
	doc, err := c.Resolver.Resolve(ctx, id)
	if err != nil {
		return "", nil, err
	}
	key, err := doc.Key(kid, did.AssertionMethod)
	if err != nil {
		return "", nil, err
	}
	return id, key, nil
}

func credentialFrom(raw string, claims map[string]any) (Credential, error) {
	cred := Credential{Format: "dc+sd-jwt", Raw: raw, Claims: claims}
	cred.VCT, _ = claims["vct"].(string)
	cred.Issuer, _ = claims["iss"].(string)
	if cred.VCT == "" || cred.Issuer == "" {
		return Credential{}, errors.New("credential lacks vct or iss")
	}
	if exp, ok := claims["exp"].(float64); ok {
		cred.ExpiresAt = time.Unix(int64(exp), 0).UTC()
	}
	if st, ok := claims["status"].(map[string]any); ok {
		if sl, ok := st["status_list"].(map[string]any); ok {
			cred.StatusURI, _ = sl["uri"].(string)
			idx, _ := sl["idx"].(float64)
			cred.StatusIndex = int(idx)
		}
	}
	sum := sha256.Sum256([]byte(raw))
	cred.ID = hex.EncodeToString(sum[:8])
	return cred, nil
}

func sameKey(a, b crypto.PublicKey) error {
	if a == nil {
		return errors.New("credential has no cnf.jwk holder key")
	}
	ta, err := jose.Thumbprint(a)
	if err != nil {
		return err
	}
	tb, err := jose.Thumbprint(b)
	if err != nil {
		return err
	}
	if ta != tb {
		return errors.New("cnf.jwk is not the holder key the proof was made with")
	}
	return nil
}
