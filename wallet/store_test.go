package wallet_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sociaaldomein/bewijs/wallet"
)

func TestStoreRoundTripAndRefusals(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "w")
	s, err := wallet.Init(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wallet.Init(dir); err == nil {
		t.Fatal("Init overwrote an existing wallet")
	}
	if info, err := os.Stat(filepath.Join(dir, "wallet.key")); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", info, err)
	}
	priv, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.MarshalPKCS8PrivateKey(priv)
	err = s.Update(func(st *wallet.State) error {
		st.Keys = append(st.Keys, wallet.Key{ID: "k1", PKCS8: der})
		st.Credentials = append(st.Credentials, wallet.Credential{ID: "c1", VCT: "urn:x", Claims: map[string]any{"client": map[string]any{"bsn": "999991772"}}})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "wallet.state"))
	if err != nil || strings.Contains(string(raw), "999991772") || strings.Contains(string(raw), "urn:x") {
		t.Fatalf("state file is not encrypted (%v)", err)
	}
	reopened, err := wallet.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := reopened.Load()
	if err != nil || len(st.Credentials) != 1 || st.Keys[0].Private == nil || !st.Keys[0].Private.Equal(priv) {
		t.Fatalf("load: %+v %v", st, err)
	}

	tests := []struct {
		name    string
		breakIt func()
	}{
		{"error - tampered state", func() {
			raw[len(raw)-1] ^= 1
			_ = os.WriteFile(filepath.Join(dir, "wallet.state"), raw, 0o600)
		}},
		{"error - another key", func() {
			_ = os.WriteFile(filepath.Join(dir, "wallet.key"), make([]byte, 32), 0o600)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.breakIt()
			s, err := wallet.Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Load(); err == nil {
				t.Fatal("Load accepted a broken wallet")
			}
		})
	}
	if _, err := wallet.Open(t.TempDir()); !errors.Is(err, wallet.ErrNoWallet) {
		t.Fatalf("Open of an empty folder: %v, want ErrNoWallet", err)
	}
}
