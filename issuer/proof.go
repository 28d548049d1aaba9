package issuer

import (
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/internal/jose"
	"github.com/sociaaldomein/bewijs/issuer/oid4vci"
)

// holderProof is a verified key proof: the holder's key and the c_nonce it carried.
type holderProof struct {
	Key   crypto.PublicKey
	JKT   string
	Nonce string
	// DID is the DID of the proof's kid, when the key was named by a DID URL.
	DID string
}

// proofClaims are the JWT proof claims (OpenID4VCI 1.0 Appendix F.1).
type proofClaims struct {
	Iss   string          `json:"iss"`
	Aud   json.RawMessage `json:"aud"`
	Iat   *int64          `json:"iat"`
	Nonce string          `json:"nonce"`
}

// verifyProof checks one JWT proof of possession (OpenID4VCI 1.0 §8.2.1.1, Appendix F.1).
func (i *Issuer) verifyProof(ctx context.Context, jwt, issuerURL string, orgKeys bool) (holderProof, error) {
	hdr, err := jose.ParseHeader(jwt)
	if err != nil {
		return holderProof{}, invalidProof("proof is not a JWS", err)
	}
	// F.1: "typ: REQUIRED. MUST be openid4vci-proof+jwt".
	if hdr.Typ != oid4vci.ProofJWTType {
		return holderProof{}, invalidProof("proof typ must be openid4vci-proof+jwt", nil)
	}
	key, err := i.proofKey(ctx, hdr, orgKeys)
	if err != nil {
		return holderProof{}, err
	}
	// F.1: alg "MUST NOT be none or an identifier for a symmetric algorithm" — jose.Verify
	// accepts only ES256, ES384 and EdDSA, matching the key.
	payload, _, err := jose.Verify(jwt, key)
	if err != nil {
		return holderProof{}, invalidProof("proof signature does not verify with its key", err)
	}
	var c proofClaims
	if err := json.Unmarshal(payload, &c); err != nil {
		return holderProof{}, invalidProof("proof claims are not JSON", err)
	}
	if err := i.checkProofClaims(c, issuerURL); err != nil {
		return holderProof{}, err
	}
	jkt, err := jose.Thumbprint(key)
	if err != nil {
		return holderProof{}, invalidProof("proof key", err)
	}
	p := holderProof{Key: key, JKT: jkt, Nonce: c.Nonce}
	if hdr.Kid != "" {
		p.DID, _, _ = did.ParseDIDURL(hdr.Kid)
	}
	return p, nil
}

// proofKey finds the key a proof names: jwk (public only) or a did:key / did:jwk kid. Exactly
// one of kid, jwk and x5c (F.1); x5c and trust chains are not supported here.
func (i *Issuer) proofKey(ctx context.Context, hdr jose.Header, orgKeys bool) (crypto.PublicKey, error) {
	rawJWK, hasJWK := hdr.Raw["jwk"]
	_, hasX5c := hdr.Raw["x5c"]
	switch {
	case hasJWK && hdr.Kid != "", hasX5c:
		return nil, invalidProof("proof must name its key by exactly one of jwk or kid", nil)
	case hasJWK:
		b, err := json.Marshal(rawJWK)
		if err != nil {
			return nil, invalidProof("proof jwk", err)
		}
		key, err := did.ParseJWK(b)
		if err != nil {
			return nil, invalidProof("proof jwk is not a usable public key", err)
		}
		return key, nil
	case hdr.Kid != "":
		id, _, err := did.ParseDIDURL(hdr.Kid)
		if err != nil {
			return nil, invalidProof("proof kid must be a DID URL (did:key or did:jwk)", err)
		}
		resolver := i.holderDIDs
		switch m := did.Method(id); {
		case m == "web" && orgKeys && i.orgDIDs != nil:
			resolver = i.orgDIDs
		case m != "key" && m != "jwk":
			return nil, invalidProof("proof kid must use did:key or did:jwk", nil)
		}
		doc, err := resolver.Resolve(ctx, id)
		if err != nil {
			return nil, invalidProof("proof kid does not resolve", err)
		}
		key, err := doc.Key(hdr.Kid, did.Authentication)
		if err != nil {
			key, err = doc.Key(hdr.Kid, did.AssertionMethod)
		}
		if err != nil {
			return nil, invalidProof("proof kid names no key", err)
		}
		return key, nil
	}
	return nil, invalidProof("proof names no key (jwk or kid)", nil)
}

func (i *Issuer) checkProofClaims(c proofClaims, issuerURL string) error {
	// F.1: "aud: REQUIRED ... MUST be the Credential Issuer Identifier".
	if !audienceContains(c.Aud, issuerURL) {
		return invalidProof("proof aud must be the credential issuer identifier "+issuerURL, nil)
	}
	// F.1: "iat: REQUIRED".
	if c.Iat == nil {
		return invalidProof("proof iat is required", nil)
	}
	iat, now := time.Unix(*c.Iat, 0), i.now()
	if iat.After(now.Add(i.cfg.Skew)) {
		return invalidProof("proof iat is in the future", nil)
	}
	if now.Sub(iat) > i.cfg.ProofMaxAge {
		return invalidProof(fmt.Sprintf("proof is older than %s", i.cfg.ProofMaxAge), nil)
	}
	// F.1: the nonce is REQUIRED when the issuer has a Nonce Endpoint, which this one has.
	if c.Nonce == "" {
		return oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrInvalidNonce, "proof carries no c_nonce; get one from the nonce endpoint", nil)
	}
	return nil
}

func audienceContains(raw json.RawMessage, want string) bool {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return one == want
	}
	var many []string
	return json.Unmarshal(raw, &many) == nil && slices.Contains(many, want)
}

func invalidProof(desc string, cause error) error {
	return oid4vci.NewError(http.StatusBadRequest, oid4vci.ErrInvalidProof, desc, cause)
}

var errNoProof = errors.New("no proof")
