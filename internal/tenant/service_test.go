package tenant_test

import (
	"context"
	"errors"
	"testing"

	"github.com/sociaaldomein/bewijs/did"
	auditstore "github.com/sociaaldomein/bewijs/internal/audit/store"
	"github.com/sociaaldomein/bewijs/internal/jose"
	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/internal/tenant/tenanttest"
	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
)

var utrecht = tenant.NewTenant{Slug: "gemeente-utrecht", Name: "Gemeente Utrecht", Kind: tenant.Gemeente,
	Ids: tenant.Identifiers{Gemeentecode: "0344", OIN: "00000099000000344000"}}

func TestCreateAndList(t *testing.T) {
	for _, e := range migrationstest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			env := tenanttest.New(t, e.Open(t), "http://localhost:8080")

			created, err := env.Service.Create(ctx, tenant.CLI, utrecht)
			if err != nil {
				t.Fatal(err)
			}
			if created.DID != "did:web:localhost%3A8080:o:gemeente-utrecht" {
				t.Errorf("DID = %q", created.DID)
			}
			if created.DIDDocumentURL != "http://localhost:8080/o/gemeente-utrecht/did.json" {
				t.Errorf("DID document URL = %q", created.DIDDocumentURL)
			}
			if len(created.APIKey) < 40 {
				t.Errorf("API key %q looks too short", created.APIKey)
			}
			list, err := env.Service.List(ctx, tenant.CLI)
			if err != nil || len(list) != 1 || list[0].Gemeentecode != "0344" || list[0].OIN != "00000099000000344000" {
				t.Fatalf("List = %+v, %v", list, err)
			}
			var stored int64
			env.DB.Gorm.Raw("SELECT count(*) FROM api_keys WHERE hash LIKE ?", "%"+created.APIKey[4:12]+"%").Scan(&stored)
			if stored != 0 {
				t.Fatal("the API key is stored in the clear")
			}
			events, _ := env.Audit.List(ctx, auditstore.Filter{Action: "tenant.create"})
			if len(events) != 1 || events[0].Outcome != "success" || events[0].Actor != "cli" {
				t.Fatalf("audit events = %+v", events)
			}
		})
	}
}

func TestCreateRefusesAndLeavesNothing(t *testing.T) {
	for _, e := range migrationstest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			env := tenanttest.New(t, e.Open(t), "https://bewijs.example")
			if _, err := env.Service.Create(ctx, tenant.CLI, utrecht); err != nil {
				t.Fatal(err)
			}
			sameCode := utrecht
			sameCode.Slug = "utrecht-2"
			tests := []struct {
				name string
				in   tenant.NewTenant
				want error
			}{
				{"error - duplicate slug", utrecht, tenant.ErrConflict},
				{"error - duplicate gemeentecode", sameCode, tenant.ErrConflict},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					_, err := env.Service.Create(ctx, tenant.CLI, tt.in)
					if !errors.Is(err, tt.want) {
						t.Fatalf("err = %v, want %v", err, tt.want)
					}
				})
			}
			for table, want := range map[string]int64{"tenants": 1, "tenant_keys": 1, "api_keys": 1} {
				var n int64
				if err := env.DB.Gorm.Raw("SELECT count(*) FROM " + table).Scan(&n).Error; err != nil || n != want {
					t.Errorf("%s holds %d rows (%v), want %d: a refused create left state behind", table, n, err, want)
				}
			}
		})
	}
}

func TestRotateKeepsOldSignaturesVerifiable(t *testing.T) {
	for _, e := range migrationstest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			env := tenanttest.New(t, e.Open(t), "https://bewijs.example")
			if _, err := env.Service.Create(ctx, tenant.CLI, utrecht); err != nil {
				t.Fatal(err)
			}
			oldJWS := sign(t, env.Service, "before rotation")

			rotated, err := env.Service.RotateKey(ctx, tenant.CLI, utrecht.Slug)
			if err != nil {
				t.Fatal(err)
			}
			newJWS := sign(t, env.Service, "after rotation")
			if hdr, _ := jose.ParseHeader(newJWS); hdr.Kid != rotated.KeyID {
				t.Fatalf("new signature kid = %q, want the rotated key %q", hdr.Kid, rotated.KeyID)
			}
			doc, err := env.Service.DIDDocument(ctx, utrecht.Slug)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range []string{oldJWS, newJWS} {
				verify(t, doc, s)
			}

			old, _ := jose.ParseHeader(oldJWS)
			if err := env.Service.RemoveKey(ctx, tenant.CLI, utrecht.Slug, rotated.KID); err == nil {
				t.Fatal("removing the active key was allowed")
			}
			_, oldKID, _ := did.ParseDIDURL(old.Kid)
			if err := env.Service.RemoveKey(ctx, tenant.CLI, utrecht.Slug, oldKID); err != nil {
				t.Fatal(err)
			}
			doc, _ = env.Service.DIDDocument(ctx, utrecht.Slug)
			if _, err := doc.Key(old.Kid, did.AssertionMethod); err == nil {
				t.Fatal("removed key still in the DID document")
			}
		})
	}
}

func TestAPIKeys(t *testing.T) {
	for _, e := range migrationstest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			env := tenanttest.New(t, e.Open(t), "https://bewijs.example")
			u, err := env.Service.Create(ctx, tenant.CLI, utrecht)
			if err != nil {
				t.Fatal(err)
			}
			linde, err := env.Service.Create(ctx, tenant.CLI, tenant.NewTenant{Slug: "thuiszorg-de-linde", Name: "Thuiszorg De Linde B.V.", Kind: tenant.Aanbieder, Ids: tenant.Identifiers{AGB: "98000101", KvK: "68750110"}})
			if err != nil {
				t.Fatal(err)
			}
			op, err := env.Service.NewOperatorAPIKey(ctx, tenant.CLI, false)
			if err != nil {
				t.Fatal(err)
			}

			p, err := env.Service.Authenticate(ctx, op)
			if err != nil || !p.Operator {
				t.Fatalf("operator key: %+v, %v", p, err)
			}
			p, err = env.Service.Authenticate(ctx, u.APIKey)
			if err != nil || p.Operator || p.Slug != utrecht.Slug {
				t.Fatalf("tenant key: %+v, %v", p, err)
			}
			if _, err := env.Service.Get(ctx, p, linde.Slug); !errors.Is(err, tenant.ErrForbidden) {
				t.Fatalf("utrecht reading linde: err = %v, want ErrForbidden", err)
			}
			if list, _ := env.Service.List(ctx, p); len(list) != 1 || list[0].Slug != utrecht.Slug {
				t.Fatalf("utrecht sees %+v, want only itself", list)
			}
			for _, bad := range []string{"", "bwk_nope", "Bearer x", u.APIKey + "x"} {
				if _, err := env.Service.Authenticate(ctx, bad); !errors.Is(err, tenant.ErrUnauthorized) {
					t.Errorf("key %q: err = %v, want ErrUnauthorized", bad, err)
				}
			}

			fresh, err := env.Service.NewAPIKey(ctx, tenant.CLI, utrecht.Slug, true)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := env.Service.Authenticate(ctx, u.APIKey); !errors.Is(err, tenant.ErrUnauthorized) {
				t.Fatalf("revoked key still works: %v", err)
			}
			if _, err := env.Service.Authenticate(ctx, fresh); err != nil {
				t.Fatalf("new key: %v", err)
			}
			if _, err := env.Service.Authenticate(ctx, linde.APIKey); err != nil {
				t.Fatalf("revoke-others touched another organisation's key: %v", err)
			}
			denied, _ := env.Audit.List(ctx, auditstore.Filter{Action: "api-key.authenticate"})
			if len(denied) < 4 || denied[0].Outcome != "denied" {
				t.Fatalf("refused keys not audited: %+v", denied)
			}
		})
	}
}

func sign(t *testing.T, svc *tenant.Service, payload string) string {
	t.Helper()
	s, err := svc.Signer(context.Background(), utrecht.Slug)
	if err != nil {
		t.Fatal(err)
	}
	jws, err := jose.Sign([]byte(payload), s, nil)
	if err != nil {
		t.Fatal(err)
	}
	return jws
}

func verify(t *testing.T, doc did.Document, jws string) {
	t.Helper()
	hdr, err := jose.ParseHeader(jws)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := doc.Key(hdr.Kid, did.AssertionMethod)
	if err != nil {
		t.Fatalf("key %s not in DID document: %v", hdr.Kid, err)
	}
	if _, _, err := jose.Verify(jws, pub); err != nil {
		t.Fatalf("signature by %s does not verify: %v", hdr.Kid, err)
	}
}
