package tenant_test

import (
	"testing"

	"github.com/sociaaldomein/bewijs/internal/jose"
	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/internal/tenant/tenanttest"
	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
)

// BenchmarkSignAsTenant measures what every credential signature will pay: load the active
// key row, open the sealed key (AES-256-GCM + PKCS#8) and sign an ES256 JWS.
func BenchmarkSignAsTenant(b *testing.B) {
	env := tenanttest.New(b, migrationstest.SQLite(b), "https://bewijs.example")
	if _, err := env.Service.Create(b.Context(), tenant.CLI, utrecht); err != nil {
		b.Fatal(err)
	}
	payload := []byte(`{"iss":"did:web:bewijs.example:o:gemeente-utrecht"}`)
	b.ReportAllocs()
	for b.Loop() {
		s, err := env.Service.Signer(b.Context(), utrecht.Slug)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := jose.Sign(payload, s, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAuthenticate measures the API key check on every admin request.
func BenchmarkAuthenticate(b *testing.B) {
	env := tenanttest.New(b, migrationstest.SQLite(b), "https://bewijs.example")
	created, err := env.Service.Create(b.Context(), tenant.CLI, utrecht)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := env.Service.Authenticate(b.Context(), created.APIKey); err != nil {
			b.Fatal(err)
		}
	}
}
