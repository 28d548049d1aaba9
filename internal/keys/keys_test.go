package keys_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/internal/keys"
)

func newMaster(t *testing.T) (*keys.MasterKeys, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "master.key")
	if err := keys.GenerateMasterKeyFile(path, time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	m, err := keys.LoadMasterKeys(path)
	if err != nil {
		t.Fatal(err)
	}
	return m, path
}

func TestGenerateMasterKeyFile(t *testing.T) {
	_, path := newMaster(t)
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Fatalf("mode = %o, want 600", info.Mode().Perm())
	}
	if err := keys.GenerateMasterKeyFile(path, time.Now()); err == nil {
		t.Fatal("GenerateMasterKeyFile overwrote an existing file")
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := keys.LoadMasterKeys(path); err == nil {
		t.Fatal("LoadMasterKeys accepted a world-readable file")
	}
}

func TestParseMasterKeys(t *testing.T) {
	key := "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
	tests := []struct {
		name    string
		file    string
		active  string
		wantErr bool
	}{
		{"ok - one key", "mk-1 " + key + "\n", "mk-1", false},
		{"ok - comments and second key", "# c\nmk-2 " + key + "\nmk-1 " + key + "\n", "mk-2", false},
		{"error - empty", "# nothing\n", "", true},
		{"error - short key", "mk-1 AAEC\n", "", true},
		{"error - bad id", "mk/1 " + key + "\n", "", true},
		{"error - duplicate id", "a " + key + "\na " + key + "\n", "", true},
		{"error - missing key", "mk-1\n", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := keys.ParseMasterKeys([]byte(tt.file))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err == nil && m.ActiveID() != tt.active {
				t.Fatalf("active = %q, want %q", m.ActiveID(), tt.active)
			}
		})
	}
}

func TestSealOpen(t *testing.T) {
	m, _ := newMaster(t)
	sealed, err := m.Seal([]byte("secret"), []byte("aad"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sealed, "secret") || !strings.HasPrefix(sealed, "v1."+m.ActiveID()+".") {
		t.Fatalf("sealed = %q", sealed)
	}
	got, err := m.Open(sealed, []byte("aad"))
	if err != nil || string(got) != "secret" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	if _, err := m.Open(sealed, []byte("other")); !errors.Is(err, keys.ErrUnseal) {
		t.Fatalf("Open with other aad: err = %v, want ErrUnseal", err)
	}
	other, _ := newMaster(t)
	if _, err := other.Open(sealed, []byte("aad")); !errors.Is(err, keys.ErrUnseal) {
		t.Fatalf("Open under another master key: err = %v, want ErrUnseal", err)
	}
	tampered := sealed[:len(sealed)-2] + "AA"
	if _, err := m.Open(tampered, []byte("aad")); !errors.Is(err, keys.ErrUnseal) {
		t.Fatalf("Open tampered: err = %v, want ErrUnseal", err)
	}
}

func TestLocalBackendSigns(t *testing.T) {
	m, _ := newMaster(t)
	b := keys.NewLocal(m)
	ctx := context.Background()
	gen, err := b.Generate(ctx, keys.ES256)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(gen.Ref, "local:v1.") {
		t.Fatalf("ref = %q", gen.Ref)
	}
	signer, err := b.Signer(ctx, gen.Ref)
	if err != nil {
		t.Fatal(err)
	}
	digest := sha256.Sum256([]byte("payload"))
	sig, err := signer.Sign(rand.Reader, digest[:], crypto.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	if !ecdsa.VerifyASN1(gen.Public.(*ecdsa.PublicKey), digest[:], sig) {
		t.Fatal("signature does not verify with the generated public key")
	}
	if _, err := b.Generate(ctx, "HS256"); err == nil {
		t.Fatal("Generate accepted HS256")
	}
	if _, err := b.Signer(ctx, "hsm:label"); err == nil {
		t.Fatal("Signer accepted a foreign reference")
	}
}

func TestDerive(t *testing.T) {
	m, path := newMaster(t)
	again, err := keys.LoadMasterKeys(path)
	if err != nil {
		t.Fatal(err)
	}
	a, b := m.Derive("nonce"), again.Derive("nonce")
	if len(a) != 32 || string(a) != string(b) {
		t.Fatal("the same master key file must derive the same secret on every replica")
	}
	if string(m.Derive("other")) == string(a) {
		t.Fatal("different labels must derive different secrets")
	}
	other, _ := newMaster(t)
	if string(other.Derive("nonce")) == string(a) {
		t.Fatal("another master key derived the same secret")
	}
}
