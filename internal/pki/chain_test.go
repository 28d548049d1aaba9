package pki_test

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"

	"github.com/sociaaldomein/bewijs/internal/pki"
	"github.com/sociaaldomein/bewijs/internal/pki/pkitest"
)

func TestParseChain(t *testing.T) {
	root := pkitest.NewRoot(t, "Test Root")
	inter := root.Intermediate(t, "Test Intermediate")
	leaf := inter.Leaf(t, pkitest.NewKey(t).Public(), pkitest.LeafOptions{})
	chainPEM := pki.EncodePEM([][]byte{leaf, inter.Cert.Raw, root.Cert.Raw})
	keyDER, _ := x509.MarshalPKCS8PrivateKey(pkitest.NewKey(t))
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
	broken := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte("not DER")})
	truncated := chainPEM[:len(chainPEM)/2]
	tests := []struct {
		name      string
		in        []byte
		wantCerts int
		wantErr   string
	}{
		{"ok - leaf, intermediate, root", chainPEM, 3, ""},
		{"ok - openssl text around the blocks", append([]byte("subject=CN = test leaf\nissuer=CN = Test Intermediate\n"), chainPEM...), 3, ""},
		{"ok - leaf only", pki.EncodePEM([][]byte{leaf}), 1, ""},
		{"error - empty", nil, 0, "no PEM CERTIFICATE block"},
		{"error - garbage", []byte("this is not a certificate"), 0, "no PEM CERTIFICATE block"},
		{"error - private key", append(pki.EncodePEM([][]byte{leaf}), keyPEM...), 0, "private key"},
		{"error - other block type", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: []byte{1}}), 0, `"CERTIFICATE REQUEST"`},
		{"error - certificate does not parse", broken, 0, "certificate 1 does not parse"},
		{"error - truncated block", truncated, 0, "does not decode"},
		{"error - broken first block before a good one", append([]byte("-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n"), chainPEM...), 0, "does not decode"},
		{"error - too many certificates", bytes.Repeat(pki.EncodePEM([][]byte{leaf}), pki.MaxChainCerts+1), 0, "more than"},
		{"error - too large", bytes.Repeat([]byte{' '}, pki.MaxChainBytes+1), 0, "larger than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			chain, err := pki.ParseChain(tt.in)
			if tt.wantErr != "" {
				if !pki.IsReason(err, pki.ReasonMalformed) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want malformed_chain mentioning %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || len(chain) != tt.wantCerts {
				t.Fatalf("ParseChain = %d certificates, %v; want %d", len(chain), err, tt.wantCerts)
			}
			if !bytes.Equal(chain[0], leaf) {
				t.Fatal("the first certificate is not the leaf")
			}
		})
	}
}

// FuzzParseChain feeds ParseChain arbitrary files: it must never panic, and whatever it
// accepts must be certificates that survive a PEM round trip.
func FuzzParseChain(f *testing.F) {
	root := pkitest.NewRoot(f, "Fuzz Root")
	leaf := root.Leaf(f, pkitest.NewKey(f).Public(), pkitest.LeafOptions{})
	good := pki.EncodePEM([][]byte{leaf, root.Cert.Raw})
	f.Add(good)
	f.Add(good[:len(good)-40])
	f.Add([]byte("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"))
	f.Add([]byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		chain, err := pki.ParseChain(data)
		if err != nil {
			if !pki.IsReason(err, pki.ReasonMalformed) {
				t.Fatalf("error of another reason: %v", err)
			}
			return
		}
		if len(chain) == 0 || len(chain) > pki.MaxChainCerts {
			t.Fatalf("accepted %d certificates", len(chain))
		}
		again, err := pki.ParseChain(pki.EncodePEM(chain))
		if err != nil || len(again) != len(chain) {
			t.Fatalf("round trip: %d, %v", len(again), err)
		}
		for i := range chain {
			if _, err := x509.ParseCertificate(chain[i]); err != nil || !bytes.Equal(chain[i], again[i]) {
				t.Fatalf("certificate %d: %v", i, err)
			}
		}
	})
}
