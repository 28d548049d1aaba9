package issuer

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"net/http"
	"time"

	"github.com/sociaaldomein/bewijs/issuer/oid4vci"
)

// Nonces (c_nonce, DPoP nonce) are stateless: a timestamp, 8 random bytes and an HMAC over
// them, the tenant and the purpose, under a secret every replica derives from the shared
// master key. Any replica can check one without a database read; single use (c_nonce) is
// enforced by the replay guard when it is spent.

const (
	noncePurposeC    = "c_nonce"
	noncePurposeDPoP = "dpop"
	nonceMACLen      = 16
	nonceLen         = 8 + 8 + nonceMACLen
)

var errNonce = errors.New("nonce is not valid")

// Nonce is the Nonce Endpoint (OpenID4VCI 1.0 §7): a fresh c_nonce.
func (i *Issuer) Nonce(ctx context.Context, slug string) (oid4vci.NonceResponse, error) {
	t, err := i.issuingTenant(ctx, slug)
	if err != nil {
		return oid4vci.NonceResponse{}, oid4vci.NewError(http.StatusNotFound, oid4vci.ErrInvalidRequest, "unknown issuer", err)
	}
	n, err := i.newNonce(t.ID, noncePurposeC)
	if err != nil {
		return oid4vci.NonceResponse{}, err
	}
	return oid4vci.NonceResponse{CNonce: n}, nil
}

func (i *Issuer) newNonce(tenantID, purpose string) (string, error) {
	b := make([]byte, nonceLen)
	binary.BigEndian.PutUint64(b[:8], uint64(i.now().Unix()))
	if _, err := rand.Read(b[8:16]); err != nil {
		return "", err
	}
	copy(b[16:], i.nonceMAC(tenantID, purpose, b[:16]))
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// checkNonce verifies a nonce's MAC and age and returns when it expires.
func (i *Issuer) checkNonce(tenantID, purpose, nonce string) (time.Time, error) {
	b, err := base64.RawURLEncoding.DecodeString(nonce)
	if err != nil || len(b) != nonceLen {
		return time.Time{}, errNonce
	}
	if subtle.ConstantTimeCompare(b[16:], i.nonceMAC(tenantID, purpose, b[:16])) != 1 {
		return time.Time{}, errNonce
	}
	issued := time.Unix(int64(binary.BigEndian.Uint64(b[:8])), 0)
	now := i.now()
	if issued.After(now.Add(i.cfg.Skew)) || now.Sub(issued) > i.cfg.NonceTTL {
		return time.Time{}, errNonce
	}
	return issued.Add(i.cfg.NonceTTL), nil
}

func (i *Issuer) nonceMAC(tenantID, purpose string, head []byte) []byte {
	m := hmac.New(sha256.New, i.nonceSecret)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write([]byte(tenantID))
	m.Write([]byte{0})
	m.Write(head)
	return m.Sum(nil)[:nonceMACLen]
}

// spendCNonce checks a c_nonce and uses it up: a second use is refused.
func (i *Issuer) spendCNonce(ctx context.Context, tenantID, nonce string) error {
	exp, err := i.checkNonce(tenantID, noncePurposeC, nonce)
	if err != nil {
		return err
	}
	return i.store.Remember(ctx, "c_nonce:"+nonce, exp)
}
