package dpop

import (
	"crypto"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/lestrrat-go/jwx/v2/jwk"
	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/internal/jose"
)

// jtiBytes: RFC 9449 §4.2 asks for "at least 96 bits of pseudorandom data"; we use 128.
const jtiBytes = 16

// New makes a DPoP proof for one request (RFC 9449 §4.2): header typ dpop+jwt, alg from the
// key and jwk the public key; claims jti (128 random bits), htm, htu (target without query
// and fragment), iat, and nonce and ath when nonce and accessToken are given. Use a fresh
// proof for every request, retries included (§7.3).
func New(key crypto.Signer, method, target, nonce, accessToken string, now time.Time) (string, error) {
	if key == nil || method == "" {
		return "", errors.New("dpop: New needs a key and a method")
	}
	htu, err := targetURI(target)
	if err != nil {
		return "", err
	}
	header, err := embeddedJWK(key.Public())
	if err != nil {
		return "", err
	}
	jti, err := newJTI()
	if err != nil {
		return "", err
	}
	c := sentClaims{JTI: jti, HTM: method, HTU: htu, IAT: now.Unix(), Nonce: nonce}
	// §4.2: with an access token "the DPoP proof MUST also contain ... ath".
	if accessToken != "" {
		c.ATH = AccessTokenHash(accessToken)
	}
	payload, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	return jose.Sign(payload, jose.Signer{Key: key}, map[string]any{"typ": ProofType, "jwk": header})
}

// targetURI strips query and fragment (§4.2: htu is the target URI "without query and
// fragment parts") and otherwise keeps the URI as the caller wrote it.
func targetURI(target string) (string, error) {
	if _, err := NormalizeURL(target); err != nil {
		return "", err
	}
	u, err := url.Parse(target)
	if err != nil {
		return "", fmt.Errorf("dpop: invalid URI: %w", err)
	}
	u.RawQuery, u.ForceQuery, u.Fragment, u.RawFragment = "", false, "", ""
	return u.String(), nil
}

// embeddedJWK is the jwk header: the public key only (§4.2: "It MUST NOT contain a private
// key"), as the jwx key type jose.Sign needs for that header.
func embeddedJWK(pub crypto.PublicKey) (jwk.Key, error) {
	data, err := did.PublicJWK(pub)
	if err != nil {
		return nil, fmt.Errorf("dpop: %w", err)
	}
	key, err := jwk.ParseKey(data)
	if err != nil {
		return nil, fmt.Errorf("dpop: %w", err)
	}
	return key, nil
}

func newJTI() (string, error) {
	b := make([]byte, jtiBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("dpop: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
