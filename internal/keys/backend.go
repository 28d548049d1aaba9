package keys

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
)

// Alg is a JOSE signature algorithm a backend can generate keys for.
type Alg string

// ES256 is ECDSA on P-256 with SHA-256, the signing algorithm of every tenant key.
const ES256 Alg = "ES256"

// Generated is a new key: the public half, and the reference under which the backend finds
// the private half again. The reference is opaque to callers; store it as it is.
type Generated struct {
	Ref    string
	Public crypto.PublicKey
}

// Backend generates keys and signs with them. Implementations: Local (sealed in the database).
type Backend interface {
	Generate(ctx context.Context, alg Alg) (Generated, error)
	// Signer returns a signer for the key behind ref. The private key never leaves the backend
	// other than through crypto.Signer.
	Signer(ctx context.Context, ref string) (crypto.Signer, error)
}

// Local keeps private keys sealed in their own reference: "local:" + the sealed PKCS#8 key.
type Local struct {
	master *MasterKeys
}

var _ Backend = (*Local)(nil)

// NewLocal returns the backend that seals keys under the given master keys.
func NewLocal(master *MasterKeys) *Local { return &Local{master: master} }

const localPrefix = "local:"

// localAAD binds a sealed key to its purpose, so no other sealed blob can stand in for it.
var localAAD = []byte("bewijs/keys/local/v1")

// Generate creates a key pair and seals the private key.
func (l *Local) Generate(_ context.Context, alg Alg) (Generated, error) {
	if alg != ES256 {
		return Generated{}, fmt.Errorf("keys: algorithm %q is not supported", alg)
	}
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return Generated{}, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return Generated{}, err
	}
	sealed, err := l.master.Seal(der, localAAD)
	clear(der)
	if err != nil {
		return Generated{}, err
	}
	return Generated{Ref: localPrefix + sealed, Public: priv.Public()}, nil
}

// Signer opens the sealed key.
func (l *Local) Signer(_ context.Context, ref string) (crypto.Signer, error) {
	sealed, ok := strings.CutPrefix(ref, localPrefix)
	if !ok {
		return nil, errors.New("keys: reference does not belong to the local backend")
	}
	der, err := l.master.Open(sealed, localAAD)
	if err != nil {
		return nil, err
	}
	defer clear(der)
	key, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("keys: sealed key does not parse: %w", err)
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, errors.New("keys: sealed key cannot sign")
	}
	return signer, nil
}
