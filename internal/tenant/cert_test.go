package tenant_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	auditstore "github.com/sociaaldomein/bewijs/internal/audit/store"
	"github.com/sociaaldomein/bewijs/internal/pki"
	"github.com/sociaaldomein/bewijs/internal/pki/pkitest"
	pkistore "github.com/sociaaldomein/bewijs/internal/pki/store"
	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/internal/tenant/tenanttest"
	"github.com/sociaaldomein/bewijs/migrations"
	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
)

var linde = tenant.NewTenant{Slug: "de-linde", Name: "Zorg De Linde", Kind: tenant.Aanbieder,
	Ids: tenant.Identifiers{AGB: "98000101", KvK: "12345678"}}

type certEnv struct {
	tenanttest.Env
	Certs  *tenant.CertService
	CA     *pki.Authority
	clock  *time.Time // nil: time.Now
	caCert *x509.Certificate
}

// newCertEnv wires the tenant registry, a pilot CA (initialised unless noCA) and the cert service.
func newCertEnv(t *testing.T, db *migrations.DB, noCA bool) *certEnv {
	t.Helper()
	env := &certEnv{Env: tenanttest.New(t, db, "https://bewijs.gemeente.example")}
	now := func() time.Time {
		if env.clock != nil {
			return *env.clock
		}
		return time.Now()
	}
	env.CA = pki.NewAuthority(pki.AuthorityOptions{Store: pkistore.New(db.Gorm), Keys: pkitest.Keys(t), Audit: nil})
	env.Certs = tenant.NewCertService(tenant.CertOptions{Tenants: env.Service, Store: pkistore.New(db.Gorm), CA: env.CA, Now: now})
	if !noCA {
		c, err := env.CA.Init(context.Background(), pki.InitRequest{Actor: "cli", CommonName: pki.PilotCAName("bewijs.gemeente.example")})
		if err != nil {
			t.Fatal(err)
		}
		env.caCert = c
	}
	return env
}

func (env *certEnv) activeKey(t *testing.T, slug string) crypto.PublicKey {
	t.Helper()
	s, err := env.Service.Signer(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	return s.Key.Public()
}

func TestCertIssue(t *testing.T) {
	tests := []struct {
		name        string
		in          tenant.NewTenant
		wantSubject string
	}{
		{"ok - aanbieder with KvK", linde, "organizationIdentifier=NTRNL-12345678,CN=Zorg De Linde,O=Zorg De Linde,C=NL"},
		{"ok - gemeente without KvK", utrecht, "CN=Gemeente Utrecht,O=Gemeente Utrecht,C=NL"},
	}
	for _, e := range migrationstest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			env := newCertEnv(t, e.Open(t), false)
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					created, err := env.Service.Create(ctx, tenant.CLI, tt.in)
					if err != nil {
						t.Fatal(err)
					}
					info, err := env.Certs.Issue(ctx, tenant.CLI, tt.in.Slug)
					if err != nil {
						t.Fatal(err)
					}
					chain, err := env.Certs.Chain(ctx, tt.in.Slug)
					if err != nil || len(chain) != 1 {
						t.Fatalf("Chain = %d certificates, %v; want the leaf alone (no trust anchor in x5c)", len(chain), err)
					}
					leaf, err := x509.ParseCertificate(chain[0])
					if err != nil {
						t.Fatal(err)
					}
					if !leaf.PublicKey.(interface{ Equal(crypto.PublicKey) bool }).Equal(env.activeKey(t, tt.in.Slug)) {
						t.Fatal("the leaf does not certify the active signing key")
					}
					if got := pki.DistinguishedName(leaf.Subject); got != tt.wantSubject || info.Subject != tt.wantSubject {
						t.Errorf("subject = %q (info %q), want %q", got, info.Subject, tt.wantSubject)
					}
					wantURIs := []string{created.DID, "https://bewijs.gemeente.example/o/" + tt.in.Slug}
					if !slices.Equal(leaf.DNSNames, []string{"bewijs.gemeente.example"}) || len(leaf.URIs) != 2 ||
						leaf.URIs[0].String() != wantURIs[0] || leaf.URIs[1].String() != wantURIs[1] {
						t.Errorf("SANs: DNS %v, URI %v; want %v", leaf.DNSNames, leaf.URIs, wantURIs)
					}
					if leaf.KeyUsage != x509.KeyUsageDigitalSignature || leaf.NotAfter.Sub(leaf.NotBefore) > 366*24*time.Hour {
						t.Errorf("keyUsage %v, validity %v", leaf.KeyUsage, leaf.NotAfter.Sub(leaf.NotBefore))
					}
					roots := x509.NewCertPool()
					roots.AddCert(env.caCert)
					if _, err := leaf.Verify(x509.VerifyOptions{Roots: roots, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
						t.Fatalf("the chain does not verify against the pilot CA: %v", err)
					}
					opensslVerify(t, env.caCert.Raw, chain[0])
				})
			}
			events, _ := env.Audit.List(ctx, auditstore.Filter{Action: "tenant.cert.issue"})
			if len(events) != len(tests) || events[0].Outcome != "success" || events[0].Details["sha256"] == "" {
				t.Fatalf("audit events = %+v", events)
			}
		})
	}
}

// opensslVerify checks the leaf with `openssl verify`, an implementation other than Go's.
func opensslVerify(t *testing.T, caDER, leafDER []byte) {
	t.Helper()
	bin, err := exec.LookPath("openssl")
	if err != nil {
		t.Log("openssl not on PATH; skipping the interop check")
		return
	}
	dir := t.TempDir()
	ca, leaf := filepath.Join(dir, "ca.pem"), filepath.Join(dir, "leaf.pem")
	if err := os.WriteFile(ca, pki.EncodePEM([][]byte{caDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(leaf, pki.EncodePEM([][]byte{leafDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "verify", "-CAfile", ca, leaf).CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte(": OK")) {
		t.Fatalf("openssl verify: %v\n%s", err, out)
	}
}

func TestCertAfterRotation(t *testing.T) {
	for _, e := range migrationstest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			env := newCertEnv(t, e.Open(t), false)
			if _, err := env.Service.Create(ctx, tenant.CLI, linde); err != nil {
				t.Fatal(err)
			}
			first, err := env.Certs.Issue(ctx, tenant.CLI, linde.Slug)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := env.Service.RotateKey(ctx, tenant.CLI, linde.Slug); err != nil {
				t.Fatal(err)
			}
			if chain, err := env.Certs.Chain(ctx, linde.Slug); err != nil || chain != nil {
				t.Fatalf("after rotate-key: Chain = %d certificates, %v; want none", len(chain), err)
			}
			second, err := env.Certs.Issue(ctx, tenant.CLI, linde.Slug)
			if err != nil {
				t.Fatal(err)
			}
			chain, err := env.Certs.Chain(ctx, linde.Slug)
			if err != nil || len(chain) != 1 {
				t.Fatalf("Chain = %d, %v", len(chain), err)
			}
			leaf, _ := x509.ParseCertificate(chain[0])
			if second.KID == first.KID || pki.Fingerprint(chain[0]) != second.SHA256 ||
				!leaf.PublicKey.(interface{ Equal(crypto.PublicKey) bool }).Equal(env.activeKey(t, linde.Slug)) {
				t.Fatalf("after a new cert: kid %s (was %s), chain is not the new key's", second.KID, first.KID)
			}
		})
	}
}

func TestCertImport(t *testing.T) {
	for _, e := range migrationstest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			env := newCertEnv(t, e.Open(t), true)
			if _, err := env.Service.Create(ctx, tenant.CLI, linde); err != nil {
				t.Fatal(err)
			}
			active := env.activeKey(t, linde.Slug)
			root := pkitest.NewRoot(t, "Test Root")
			inter := root.Intermediate(t, "Test Issuing CA")
			good := inter.Leaf(t, active, pkitest.LeafOptions{DNSNames: []string{"bewijs.gemeente.example"}})
			tests := []struct {
				name string
				pem  []byte
				want pki.Reason // "" for ok
			}{
				{"error - chain for another key", pki.EncodePEM([][]byte{inter.Leaf(t, pkitest.NewKey(t).Public(), pkitest.LeafOptions{}), inter.Cert.Raw}), pki.ReasonKeyMismatch},
				{"error - expired", pki.EncodePEM([][]byte{inter.Leaf(t, active, pkitest.LeafOptions{NotBefore: time.Now().Add(-48 * time.Hour), NotAfter: time.Now().Add(-time.Hour)}), inter.Cert.Raw}), pki.ReasonExpired},
				{"error - garbage PEM", []byte("-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n"), pki.ReasonMalformed},
				{"error - broken link", pki.EncodePEM([][]byte{good, pkitest.NewRoot(t, "Other").Cert.Raw}), pki.ReasonUntrusted},
				{"ok - test CA chain for the active key", pki.EncodePEM([][]byte{good, inter.Cert.Raw, root.Cert.Raw}), ""},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					info, err := env.Certs.Import(ctx, tenant.CLI, linde.Slug, tt.pem)
					if tt.want != "" {
						if !pki.IsReason(err, tt.want) {
							t.Fatalf("err = %v, want %s", err, tt.want)
						}
						if chain, _ := env.Certs.Chain(ctx, linde.Slug); chain != nil {
							t.Fatal("a refused chain is handed out")
						}
						return
					}
					if err != nil || info.Source != tenant.CertImported {
						t.Fatalf("Import = %+v, %v", info, err)
					}
					chain, err := env.Certs.Chain(ctx, linde.Slug)
					if err != nil || len(chain) != 2 || !bytes.Equal(chain[0], good) || !bytes.Equal(chain[1], inter.Cert.Raw) {
						t.Fatalf("Chain = %d certificates, %v; want leaf and intermediate, root left out", len(chain), err)
					}
				})
			}
			events, _ := env.Audit.List(ctx, auditstore.Filter{Action: "tenant.cert.import"})
			outcomes := map[string]int{}
			for _, ev := range events {
				outcomes[ev.Outcome]++
			}
			if outcomes["denied"] != 4 || outcomes["success"] != 1 {
				t.Fatalf("audit outcomes = %v", outcomes)
			}
		})
	}
}

func TestCertRefusals(t *testing.T) {
	ctx := context.Background()
	env := newCertEnv(t, migrationstest.SQLite(t), true)
	if _, err := env.Service.Create(ctx, tenant.CLI, linde); err != nil {
		t.Fatal(err)
	}
	other := tenant.Principal{TenantID: "someone-else", Slug: "other", KeyID: "k"}
	tests := []struct {
		name string
		act  func() error
		want func(error) bool
	}{
		{"error - issue without a pilot CA", func() error { _, err := env.Certs.Issue(ctx, tenant.CLI, linde.Slug); return err },
			func(err error) bool { return pki.IsReason(err, pki.ReasonNoCA) }},
		{"error - issue for an unknown slug", func() error { _, err := env.Certs.Issue(ctx, tenant.CLI, "bestaat-niet"); return err },
			func(err error) bool { return errors.Is(err, tenant.ErrNotFound) }},
		{"error - another tenant's API key", func() error { _, err := env.Certs.Import(ctx, other, linde.Slug, nil); return err },
			func(err error) bool { return errors.Is(err, tenant.ErrForbidden) }},
		{"error - chain of an unknown slug", func() error { _, err := env.Certs.Chain(ctx, "bestaat-niet"); return err },
			func(err error) bool { return errors.Is(err, tenant.ErrNotFound) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.act(); !tt.want(err) {
				t.Fatalf("err = %v", err)
			}
		})
	}
}

func TestChainSkipsExpired(t *testing.T) {
	ctx := context.Background()
	env := newCertEnv(t, migrationstest.SQLite(t), false)
	if _, err := env.Service.Create(ctx, tenant.CLI, linde); err != nil {
		t.Fatal(err)
	}
	info, err := env.Certs.Issue(ctx, tenant.CLI, linde.Slug)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		at   time.Time
		want bool
	}{
		{"ok - valid now", time.Now(), true},
		{"ok - none after notAfter", info.NotAfter.Add(time.Second), false},
		{"ok - none before notBefore", info.NotBefore.Add(-time.Second), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env.clock = &tt.at
			defer func() { env.clock = nil }()
			chain, err := env.Certs.Chain(ctx, linde.Slug)
			if err != nil || (chain != nil) != tt.want {
				t.Fatalf("Chain = %d certificates, %v; want a chain: %v", len(chain), err, tt.want)
			}
		})
	}
}
