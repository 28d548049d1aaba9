package issuer

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"net/url"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/internal/fixtures"
	"github.com/sociaaldomein/bewijs/internal/jose"
	"github.com/sociaaldomein/bewijs/internal/sdjwt"
	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/issuer/toewijzing"
)

// benchTenants is the part of the registry buildSDJWTVC uses.
type benchTenants struct{ Tenants }

func (benchTenants) DID(slug string) string       { return "did:web:bewijs.example:o:" + slug }
func (benchTenants) IssuerURL(slug string) string { return "https://bewijs.example/o/" + slug }
func (benchTenants) Lookup(context.Context, string) (tenant.Tenant, error) {
	return tenant.Tenant{}, nil
}

func benchSetup(b *testing.B) (*Issuer, credentialSigner, Credential, map[string]any, crypto.PublicKey) {
	b.Helper()
	raw, err := fixtures.Toewijzing("01-wmo-hbh-minuten-per-week.json")
	if err != nil {
		b.Fatal(err)
	}
	doc, err := toewijzing.Parse(raw)
	if err != nil {
		b.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.PublicURL, _ = url.Parse("https://bewijs.example")
	i, err := New(Options{Config: cfg, Tenants: benchTenants{}, NonceSecret: make([]byte, 32)})
	if err != nil {
		b.Fatal(err)
	}
	issuerKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	holder, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	s := credentialSigner{Signer: jose.Signer{KeyID: "did:web:bewijs.example:o:gemeente-amsterdam#k1", Key: issuerKey}}
	cred := Credential{ID: "c1", ConfigurationID: ConfigWmo, NotBefore: time.Now(), ExpiresAt: time.Now().Add(time.Hour)}
	return i, s, cred, doc.Claims(doc.Producten[0], "2026-0001"), holder.Public()
}

// BenchmarkBuildSDJWTVC builds and signs one beschikking credential: claims, 3 decoys per _sd
// array, holder binding, status reference, ES256.
func BenchmarkBuildSDJWTVC(b *testing.B) {
	i, s, cred, claims, holder := benchSetup(b)
	b.ReportAllocs()
	for b.Loop() {
		out, err := i.buildSDJWTVC(s, "gemeente-amsterdam", cred, claims, holder, StatusEntry{ListID: "l1", Index: 42}, time.Now())
		if err != nil || out == "" {
			b.Fatal(err)
		}
	}
}

// BenchmarkES256Sign is the raw signing rate the credential rate is compared with.
func BenchmarkES256Sign(b *testing.B) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	digest := sha256.Sum256([]byte("payload"))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := key.Sign(rand.Reader, digest[:], crypto.SHA256); err != nil {
			b.Fatal(err)
		}
	}
}

// TestBuiltCredentialVerifies keeps the benchmark honest: what it builds is a valid SD-JWT VC.
func TestBuiltCredentialVerifies(t *testing.T) {
	raw, _ := fixtures.Toewijzing("01-wmo-hbh-minuten-per-week.json")
	doc, err := toewijzing.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.PublicURL, _ = url.Parse("https://bewijs.example")
	i, err := New(Options{Config: cfg, Tenants: benchTenants{}, NonceSecret: make([]byte, 32)})
	if err != nil {
		t.Fatal(err)
	}
	issuerKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	holder, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	s := credentialSigner{Signer: jose.Signer{KeyID: "did:web:bewijs.example:o:gemeente-amsterdam#k1", Key: issuerKey}, x5c: []string{"MIIB"}}
	now := time.Now()
	cred := Credential{ID: "c1", ConfigurationID: ConfigWmo, NotBefore: now.Add(-time.Hour), ExpiresAt: now.Add(time.Hour)}
	out, err := i.buildSDJWTVC(s, "gemeente-amsterdam", cred, doc.Claims(doc.Producten[0], "2026-0001"), holder.Public(), StatusEntry{ListID: "l1", Index: 42}, now)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := sdjwt.Parse(out)
	if err != nil {
		t.Fatal(err)
	}
	if tok.Header.Typ != "dc+sd-jwt" || tok.Header.Kid != s.KeyID || len(tok.Header.X5c) != 1 {
		t.Fatalf("header %+v", tok.Header)
	}
	v, err := tok.Verify(issuerKey.Public(), sdjwt.VerifyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	st := v.Claims["status"].(map[string]any)["status_list"].(map[string]any)
	if v.Claims["iss"] != "did:web:bewijs.example:o:gemeente-amsterdam" || v.Claims["vct"] != toewijzing.VCTWmo ||
		st["uri"] != "https://bewijs.example/o/gemeente-amsterdam/status/l1" || st["idx"] != float64(42) {
		t.Fatalf("claims %v", v.Claims)
	}
	if v.HolderKey == nil || len(tok.Disclosures) < 5 {
		t.Fatalf("holder key %v, %d disclosures", v.HolderKey, len(tok.Disclosures))
	}
	for _, claim := range []string{"iss", "vct", "cnf", "status", "exp", "nbf"} {
		for _, d := range tok.Disclosures {
			if d.Name == claim {
				t.Fatalf("%s is selectively disclosable", claim)
			}
		}
	}
}
