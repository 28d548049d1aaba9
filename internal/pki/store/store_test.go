package store_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/internal/pki"
	"github.com/sociaaldomein/bewijs/internal/pki/pkitest"
	pkistore "github.com/sociaaldomein/bewijs/internal/pki/store"
	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/internal/tenant/tenanttest"
	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
)

func TestInitTwice(t *testing.T) {
	for _, e := range migrationstest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			db := e.Open(t)
			ca := pki.NewAuthority(pki.AuthorityOptions{Store: pkistore.New(db.Gorm), Keys: pkitest.Keys(t)})
			req := pki.InitRequest{Actor: "cli", CommonName: pki.PilotCAName("bewijs.example")}

			first, err := ca.Init(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := ca.Init(ctx, req); !pki.IsReason(err, pki.ReasonCAExists) {
				t.Fatalf("second Init: err = %v, want ca_exists", err)
			}
			stored, err := ca.Certificate(ctx)
			if err != nil || !stored.Equal(first) {
				t.Fatalf("Certificate = %v, %v; want the first CA", stored, err)
			}
			var keyRef string
			db.Gorm.Raw("SELECT key_ref FROM pki_cas WHERE id = ?", pki.PilotCAID).Scan(&keyRef)
			if len(keyRef) < 20 || bytes.Contains([]byte(keyRef), []byte("PRIVATE")) {
				t.Fatalf("key_ref %q does not look sealed", keyRef)
			}
		})
	}
}

func TestStoreConflictAndNotFound(t *testing.T) {
	for _, e := range migrationstest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			s := pkistore.New(e.Open(t).Gorm)
			if _, err := s.CA(ctx, pki.PilotCAID); !errors.Is(err, pki.ErrNotFound) {
				t.Fatalf("CA on an empty table: %v, want ErrNotFound", err)
			}
			ca := pki.StoredCA{ID: pki.PilotCAID, CertDER: pkitest.NewRoot(t, "r").Cert.Raw, KeyRef: "local:x", CreatedAt: time.Now()}
			if err := s.CreateCA(ctx, ca); err != nil {
				t.Fatal(err)
			}
			if err := s.CreateCA(ctx, ca); !errors.Is(err, pki.ErrConflict) {
				t.Fatalf("second CreateCA: %v, want ErrConflict", err)
			}
			err := s.AddCert(ctx, tenant.Cert{ID: "c1", TenantID: "nope", KID: "nope", Source: tenant.CertImported,
				Chain: [][]byte{ca.CertDER}, NotBefore: time.Now(), NotAfter: time.Now(), CreatedAt: time.Now()})
			if !errors.Is(err, tenant.ErrNotFound) {
				t.Fatalf("AddCert for an unknown tenant: %v, want ErrNotFound", err)
			}
		})
	}
}

func TestCertsNewestFirst(t *testing.T) {
	for _, e := range migrationstest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			db := e.Open(t)
			env := tenanttest.New(t, db, "https://bewijs.example")
			if _, err := env.Service.Create(ctx, tenant.CLI, tenant.NewTenant{Slug: "zorg", Name: "Zorg", Kind: tenant.TrustAnchor}); err != nil {
				t.Fatal(err)
			}
			keys, err := env.Service.Keys(ctx, tenant.CLI, "zorg")
			if err != nil {
				t.Fatal(err)
			}
			var tenantID string
			db.Gorm.Raw("SELECT id FROM tenants WHERE slug = ?", "zorg").Scan(&tenantID)
			s := pkistore.New(db.Gorm)
			root := pkitest.NewRoot(t, "r")
			base := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
			for i, id := range []string{"old", "new"} {
				leaf := root.Leaf(t, pkitest.NewKey(t).Public(), pkitest.LeafOptions{})
				c := tenant.Cert{ID: id, TenantID: tenantID, KID: keys[0].KID, Source: tenant.CertFromPilotCA, Chain: [][]byte{leaf, root.Cert.Raw},
					NotBefore: base, NotAfter: base.Add(time.Hour), CreatedAt: base.Add(time.Duration(i) * time.Minute)}
				if err := s.AddCert(ctx, c); err != nil {
					t.Fatal(err)
				}
			}
			got, err := s.Certs(ctx, tenantID, keys[0].KID)
			if err != nil || len(got) != 2 || got[0].ID != "new" || got[1].ID != "old" {
				t.Fatalf("Certs = %+v, %v; want new, old", got, err)
			}
			if len(got[0].Chain) != 2 || !bytes.Equal(got[0].Chain[1], root.Cert.Raw) || !got[0].NotAfter.Equal(base.Add(time.Hour)) {
				t.Fatalf("stored chain or times changed: %d certificates, notAfter %v", len(got[0].Chain), got[0].NotAfter)
			}
		})
	}
}
