// Package pkitest builds throwaway CAs, keys and stores for tests of X.509 code.
package pkitest

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/internal/keys"
	"github.com/sociaaldomein/bewijs/internal/pki"
)

// CA is a test certificate authority with its key in memory.
type CA struct {
	Cert *x509.Certificate
	Key  *ecdsa.PrivateKey
}

// NewKey returns a fresh P-256 key.
func NewKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// NewRoot returns a self-signed root valid from an hour ago for ten years.
func NewRoot(t testing.TB, cn string) *CA {
	t.Helper()
	key := NewKey(t)
	tmpl := caTemplate(cn, time.Now().Add(-time.Hour), time.Now().Add(10*365*24*time.Hour))
	return &CA{Cert: sign(t, tmpl, tmpl, key.Public(), key), Key: key}
}

// Intermediate returns a CA certificate signed by ca.
func (ca *CA) Intermediate(t testing.TB, cn string) *CA {
	t.Helper()
	key := NewKey(t)
	tmpl := caTemplate(cn, ca.Cert.NotBefore, ca.Cert.NotAfter)
	return &CA{Cert: sign(t, tmpl, ca.Cert, key.Public(), ca.Key), Key: key}
}

// LeafOptions shape a test leaf; the zero value is a digitalSignature leaf valid for a year.
type LeafOptions struct {
	NotBefore, NotAfter time.Time
	KeyUsage            x509.KeyUsage
	IsCA                bool
	DNSNames            []string
}

// Leaf certifies pub and returns the DER.
func (ca *CA) Leaf(t testing.TB, pub crypto.PublicKey, o LeafOptions) []byte {
	t.Helper()
	if o.NotBefore.IsZero() {
		o.NotBefore = time.Now().Add(-time.Hour)
	}
	if o.NotAfter.IsZero() {
		o.NotAfter = time.Now().Add(365 * 24 * time.Hour)
	}
	if o.KeyUsage == 0 {
		o.KeyUsage = x509.KeyUsageDigitalSignature
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(t), Subject: pkix.Name{CommonName: "test leaf", Organization: []string{"Test BV"}},
		NotBefore: o.NotBefore, NotAfter: o.NotAfter, KeyUsage: o.KeyUsage,
		BasicConstraintsValid: true, IsCA: o.IsCA, DNSNames: o.DNSNames,
	}
	return sign(t, tmpl, ca.Cert, pub, ca.Key).Raw
}

// SelfSigned returns a self-signed end-entity certificate for key (which HAIP refuses).
func SelfSigned(t testing.TB, key *ecdsa.PrivateKey) []byte {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber: serial(t), Subject: pkix.Name{CommonName: "self-signed"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, BasicConstraintsValid: true,
	}
	return sign(t, tmpl, tmpl, key.Public(), key).Raw
}

// Pool is a pool holding only this CA.
func (ca *CA) Pool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(ca.Cert)
	return p
}

// PEM is the CA certificate as PEM.
func (ca *CA) PEM() []byte { return pki.EncodePEM([][]byte{ca.Cert.Raw}) }

func caTemplate(cn string, notBefore, notAfter time.Time) *x509.Certificate {
	return &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn},
		NotBefore: notBefore, NotAfter: notAfter, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true, IsCA: true,
	}
}

func sign(t testing.TB, tmpl, parent *x509.Certificate, pub crypto.PublicKey, key crypto.Signer) *x509.Certificate {
	t.Helper()
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func serial(t testing.TB) *big.Int {
	t.Helper()
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 64))
	if err != nil {
		t.Fatal(err)
	}
	return n.Add(n, big.NewInt(1))
}

// Keys returns a local key backend under a fresh master key.
func Keys(t testing.TB) *keys.Local {
	t.Helper()
	path := filepath.Join(t.TempDir(), "master.key")
	if err := keys.GenerateMasterKeyFile(path, time.Now()); err != nil {
		t.Fatal(err)
	}
	m, err := keys.LoadMasterKeys(path)
	if err != nil {
		t.Fatal(err)
	}
	return keys.NewLocal(m)
}

// MemStore is an in-memory pki.CAStore.
type MemStore struct {
	mu  sync.Mutex
	cas map[string]pki.StoredCA
}

var _ pki.CAStore = (*MemStore)(nil)

// CreateCA stores ca unless its id exists.
func (m *MemStore) CreateCA(_ context.Context, ca pki.StoredCA) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cas == nil {
		m.cas = map[string]pki.StoredCA{}
	}
	if _, ok := m.cas[ca.ID]; ok {
		return pki.ErrConflict
	}
	m.cas[ca.ID] = ca
	return nil
}

// CA returns a stored CA.
func (m *MemStore) CA(_ context.Context, id string) (pki.StoredCA, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	ca, ok := m.cas[id]
	if !ok {
		return pki.StoredCA{}, pki.ErrNotFound
	}
	return ca, nil
}
