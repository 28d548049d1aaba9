package pki_test

import (
	"bytes"
	"crypto/x509"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/internal/pki"
	"github.com/sociaaldomein/bewijs/internal/pki/pkitest"
)

func TestValidateImport(t *testing.T) {
	key := pkitest.NewKey(t)
	root := pkitest.NewRoot(t, "Test Root")
	inter := root.Intermediate(t, "Test Intermediate")
	other := pkitest.NewRoot(t, "Other Root")
	now := time.Now()
	leaf := inter.Leaf(t, key.Public(), pkitest.LeafOptions{})
	tests := []struct {
		name      string
		chain     [][]byte
		want      pki.Reason // "" for ok
		wantChain int
	}{
		{"ok - leaf and intermediate, root absent", [][]byte{leaf, inter.Cert.Raw}, "", 2},
		{"ok - root present is dropped", [][]byte{leaf, inter.Cert.Raw, root.Cert.Raw}, "", 2},
		{"ok - leaf alone", [][]byte{leaf}, "", 1},
		{"error - leaf for another key", [][]byte{inter.Leaf(t, pkitest.NewKey(t).Public(), pkitest.LeafOptions{}), inter.Cert.Raw}, pki.ReasonKeyMismatch, 0},
		{"error - leaf not first", [][]byte{inter.Cert.Raw, leaf}, pki.ReasonMalformed, 0},
		{"error - expired leaf", [][]byte{inter.Leaf(t, key.Public(), pkitest.LeafOptions{NotBefore: now.Add(-48 * time.Hour), NotAfter: now.Add(-time.Hour)}), inter.Cert.Raw}, pki.ReasonExpired, 0},
		{"error - leaf not yet valid", [][]byte{inter.Leaf(t, key.Public(), pkitest.LeafOptions{NotBefore: now.Add(time.Hour)}), inter.Cert.Raw}, pki.ReasonNotYetValid, 0},
		{"error - intermediate did not sign the leaf", [][]byte{other.Leaf(t, key.Public(), pkitest.LeafOptions{}), inter.Cert.Raw}, pki.ReasonUntrusted, 0},
		{"error - root did not sign the intermediate", [][]byte{leaf, inter.Cert.Raw, other.Cert.Raw}, pki.ReasonUntrusted, 0},
		{"error - leaf is a CA", [][]byte{inter.Leaf(t, key.Public(), pkitest.LeafOptions{IsCA: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature}), inter.Cert.Raw}, pki.ReasonUnsuitable, 0},
		{"error - leaf cannot sign", [][]byte{inter.Leaf(t, key.Public(), pkitest.LeafOptions{KeyUsage: x509.KeyUsageKeyAgreement}), inter.Cert.Raw}, pki.ReasonUnsuitable, 0},
		{"error - self-signed leaf", [][]byte{pkitest.SelfSigned(t, key)}, pki.ReasonUnsuitable, 0},
		{"error - garbage DER", [][]byte{[]byte("garbage")}, pki.ReasonMalformed, 0},
		{"error - empty", nil, pki.ReasonMalformed, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := pki.ValidateImport(tt.chain, pki.ImportOptions{PublicKey: key.Public(), Now: now})
			if tt.want != "" {
				if !pki.IsReason(err, tt.want) {
					t.Fatalf("err = %v, want reason %s", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(v.Chain) != tt.wantChain || !bytes.Equal(v.Chain[0], leaf) || !bytes.Equal(v.Leaf.Raw, leaf) {
				t.Fatalf("chain of %d certificates, leaf first = %v; want %d", len(v.Chain), bytes.Equal(v.Chain[0], leaf), tt.wantChain)
			}
		})
	}
}

func TestVerifyChain(t *testing.T) {
	key := pkitest.NewKey(t)
	root := pkitest.NewRoot(t, "Test Root")
	inter := root.Intermediate(t, "Test Intermediate")
	leaf := inter.Leaf(t, key.Public(), pkitest.LeafOptions{})
	now := time.Now()
	tests := []struct {
		name  string
		chain [][]byte
		roots *x509.CertPool
		now   time.Time
		want  pki.Reason
	}{
		{"ok - leaf and intermediate", [][]byte{leaf, inter.Cert.Raw}, root.Pool(), now, ""},
		{"ok - anchor included anyway", [][]byte{leaf, inter.Cert.Raw, root.Cert.Raw}, root.Pool(), now, ""},
		{"error - intermediate missing", [][]byte{leaf}, root.Pool(), now, pki.ReasonUntrusted},
		{"error - other anchor", [][]byte{leaf, inter.Cert.Raw}, pkitest.NewRoot(t, "Other").Pool(), now, pki.ReasonUntrusted},
		{"error - no anchors", [][]byte{leaf, inter.Cert.Raw}, nil, now, pki.ReasonUntrusted},
		{"error - expired at the given time", [][]byte{leaf, inter.Cert.Raw}, root.Pool(), now.Add(2 * 365 * 24 * time.Hour), pki.ReasonExpired},
		{"error - self-signed leaf", [][]byte{pkitest.SelfSigned(t, key)}, root.Pool(), now, pki.ReasonUnsuitable},
		{"error - garbage", [][]byte{[]byte("x")}, root.Pool(), now, pki.ReasonMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := pki.VerifyChain(tt.chain, tt.roots, tt.now)
			if tt.want != "" {
				if !pki.IsReason(err, tt.want) {
					t.Fatalf("err = %v, want reason %s", err, tt.want)
				}
				return
			}
			if err != nil || !bytes.Equal(got.Raw, leaf) {
				t.Fatalf("VerifyChain = %v, %v; want the leaf", got, err)
			}
		})
	}
}
