package main_test

import (
	"crypto/x509"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sociaaldomein/bewijs/internal/pki"
	"github.com/sociaaldomein/bewijs/internal/pki/pkitest"
	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
)

type certJSON struct {
	Slug     string `json:"slug"`
	KID      string `json:"kid"`
	Source   string `json:"source"`
	Subject  string `json:"subject"`
	ChainPEM string `json:"chain_pem"`
}

func TestPKICommands(t *testing.T) {
	for _, e := range migrationstest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			env := engineEnv(t, e)
			dir := t.TempDir()
			caPath := filepath.Join(dir, "ca.pem")
			if r := cli(t, env, "pki", "init", "--out", caPath); r.code != 0 || !strings.Contains(r.stdout, "wrote "+caPath) {
				t.Fatalf("pki init: %d %s %s", r.code, r.stdout, r.stderr)
			}
			caCert := readCert(t, caPath)
			if caCert.Subject.CommonName != "bewijs pilot CA (bewijs.gemeente.example)" || !caCert.IsCA {
				t.Fatalf("CA certificate: %s, CA %v", caCert.Subject, caCert.IsCA)
			}
			if r := cli(t, env, "pki", "ca"); r.code != 0 || r.stdout != string(pki.EncodePEM([][]byte{caCert.Raw})) {
				t.Fatalf("pki ca prints another certificate: %d %s", r.code, r.stderr)
			}
			if r := cli(t, env, "tenant", "create", "--slug", "de-linde", "--name", "Zorg De Linde", "--kind", "aanbieder", "--agb", "98000101", "--kvk", "12345678"); r.code != 0 {
				t.Fatalf("tenant create: %s", r.stderr)
			}
			issued := tenantCert(t, env, "--slug", "de-linde", "--json")
			leaf := parseChain(t, issued.ChainPEM)[0]
			if issued.Source != "pilot-ca" || !strings.Contains(issued.Subject, "organizationIdentifier=NTRNL-12345678") {
				t.Fatalf("tenant cert --json = %+v", issued)
			}
			roots := x509.NewCertPool()
			roots.AddCert(caCert)
			if _, err := leaf.Verify(x509.VerifyOptions{Roots: roots, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
				t.Fatalf("issued leaf does not verify against ca.pem: %v", err)
			}
			leafPath := filepath.Join(dir, "leaf.pem")
			writeFile(t, leafPath, []byte(issued.ChainPEM))
			if bin, err := exec.LookPath("openssl"); err == nil {
				if out, err := exec.Command(bin, "verify", "-CAfile", caPath, leafPath).CombinedOutput(); err != nil {
					t.Fatalf("openssl verify: %v %s", err, out)
				}
			}

			// A real CA's chain for the same (active) key replaces the pilot certificate.
			root := pkitest.NewRoot(t, "Test Root")
			inter := root.Intermediate(t, "Test Issuing CA")
			chainPath := filepath.Join(dir, "chain.pem")
			writeFile(t, chainPath, pki.EncodePEM([][]byte{inter.Leaf(t, leaf.PublicKey, pkitest.LeafOptions{}), inter.Cert.Raw, root.Cert.Raw}))
			imported := tenantCert(t, env, "--slug", "de-linde", "--import", chainPath, "--json")
			if imported.Source != "import" || imported.KID != issued.KID || len(parseChain(t, imported.ChainPEM)) != 2 {
				t.Fatalf("tenant cert --import = %+v", imported)
			}
		})
	}
}

func TestPKIBadInput(t *testing.T) {
	env := engineEnv(t, migrationstest.Engines()[0])
	if r := cli(t, env, "tenant", "create", "--slug", "de-linde", "--name", "De Linde", "--kind", "aanbieder", "--agb", "98000101"); r.code != 0 {
		t.Fatalf("seed: %s", r.stderr)
	}
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.pem")
	writeFile(t, garbage, []byte("dit is geen certificaat\n"))
	root := pkitest.NewRoot(t, "Test Root")
	otherKey := filepath.Join(dir, "other.pem")
	writeFile(t, otherKey, pki.EncodePEM([][]byte{root.Leaf(t, pkitest.NewKey(t).Public(), pkitest.LeafOptions{}), root.Cert.Raw}))
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"error - cert before pki init", []string{"tenant", "cert", "--slug", "de-linde"}, "bewijs pki init"},
		{"error - pki ca before pki init", []string{"pki", "ca"}, "no pilot CA"},
		{"ok - pki init", []string{"pki", "init"}, ""},
		{"error - pki init twice", []string{"pki", "init"}, "exists already"},
		{"error - garbage PEM", []string{"tenant", "cert", "--slug", "de-linde", "--import", garbage}, "no PEM CERTIFICATE block"},
		{"error - chain for another key", []string{"tenant", "cert", "--slug", "de-linde", "--import", otherKey}, "does not certify the active signing key"},
		{"error - missing import file", []string{"tenant", "cert", "--slug", "de-linde", "--import", filepath.Join(dir, "nope.pem")}, "--import"},
		{"error - unknown slug", []string{"tenant", "cert", "--slug", "bestaat-niet"}, "not found"},
		{"error - missing slug", []string{"tenant", "cert"}, "--slug"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := cli(t, env, tt.args...)
			if tt.want == "" {
				if r.code != 0 || !strings.Contains(r.stdout, "BEGIN CERTIFICATE") {
					t.Fatalf("exit code %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
				}
				return
			}
			if r.code != 2 {
				t.Fatalf("exit code = %d, want 2 (stderr %q)", r.code, r.stderr)
			}
			if strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 || !strings.Contains(r.stderr, tt.want) {
				t.Fatalf("stderr = %q, want one line mentioning %q", r.stderr, tt.want)
			}
		})
	}
}

func tenantCert(t *testing.T, env []string, args ...string) certJSON {
	t.Helper()
	r := cli(t, env, append([]string{"tenant", "cert"}, args...)...)
	if r.code != 0 {
		t.Fatalf("tenant cert %v: %d %s", args, r.code, r.stderr)
	}
	var out certJSON
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("tenant cert --json: %v: %s", err, r.stdout)
	}
	return out
}

func parseChain(t *testing.T, pemText string) []*x509.Certificate {
	t.Helper()
	ders, err := pki.ParseChain([]byte(pemText))
	if err != nil {
		t.Fatal(err)
	}
	certs := make([]*x509.Certificate, 0, len(ders))
	for _, der := range ders {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			t.Fatal(err)
		}
		certs = append(certs, c)
	}
	return certs
}

func readCert(t *testing.T, path string) *x509.Certificate {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	certs := parseChain(t, string(data))
	if len(certs) != 1 {
		t.Fatalf("%s holds %d certificates", path, len(certs))
	}
	return certs[0]
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}
