package tenant_test

import (
	"testing"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/internal/tenant/tenanttest"
	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
)

// An aanbieder's DID document names its organisation wallet's credential offer endpoint, so
// that a gemeente on another instance can deliver a credential offer; a gemeente's does not.
func TestDIDDocumentCredentialOfferService(t *testing.T) {
	env := tenanttest.New(t, migrationstest.SQLite(t), "https://bewijs.example")
	ctx := t.Context()
	linde := tenant.NewTenant{Slug: "thuiszorg-de-linde", Name: "Thuiszorg De Linde B.V.", Kind: tenant.Aanbieder, Ids: tenant.Identifiers{AGB: "98000101", KvK: "68750110"}}
	for _, n := range []tenant.NewTenant{utrecht, linde} {
		if _, err := env.Service.Create(ctx, tenant.CLI, n); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name string
		slug string
		want string
	}{
		{"ok - aanbieder", linde.Slug, "https://bewijs.example/o/thuiszorg-de-linde/credential-offer-endpoint"},
		{"ok - gemeente has none", utrecht.Slug, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := env.Service.DIDDocument(ctx, tt.slug)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := doc.ServiceEndpoint(did.ServiceTypeCredentialOffer)
			if got != tt.want {
				t.Fatalf("credential offer endpoint = %q, want %q", got, tt.want)
			}
			if tt.want != "" && (len(doc.Service) != 1 || doc.Service[0].ID != env.Service.DID(tt.slug)+"#credential-offer") {
				t.Fatalf("services = %+v", doc.Service)
			}
			if tt.want != "" && env.Service.CredentialOfferEndpoint(tt.slug) != tt.want {
				t.Fatalf("CredentialOfferEndpoint = %q", env.Service.CredentialOfferEndpoint(tt.slug))
			}
		})
	}
}
