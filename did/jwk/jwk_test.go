package jwk_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"testing"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/did/jwk"
)

// Examples of the did:jwk specification.
const (
	specP256 = "did:jwk:eyJjcnYiOiJQLTI1NiIsImt0eSI6IkVDIiwieCI6ImFjYklRaXVNczNpOF91c3pFakoydHBUdFJNNEVVM3l6OTFQSDZDZEgyVjAiLCJ5IjoiX0tjeUxqOXZXTXB0bm1LdG00NkdxRHo4d2Y3NEk1TEtncmwyR3pIM25TRSJ9"
	// specX25519 is an encryption key ("use": "enc").
	specX25519 = "did:jwk:eyJrdHkiOiJPS1AiLCJjcnYiOiJYMjU1MTkiLCJ1c2UiOiJlbmMiLCJ4IjoiM3A3YmZYdDl3YlRUVzJIQzdPUTFOei1EUThoYmVHZE5yZngtRkctSUswOCJ9"
)

type equaler interface{ Equal(crypto.PublicKey) bool }

func TestNew_Resolve_RoundTrip(t *testing.T) {
	edPub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		pub  crypto.PublicKey
	}{
		{"ok - Ed25519", edPub},
		{"ok - P-256", mustECDSA(t, elliptic.P256())},
		{"ok - P-384", mustECDSA(t, elliptic.P384())},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := jwk.New(tt.pub)
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			doc, err := jwk.Resolver{}.Resolve(context.Background(), id)
			if err != nil {
				t.Fatalf("Resolve: %v", err)
			}
			for _, rel := range []did.Relationship{did.AssertionMethod, did.Authentication} {
				got, err := doc.Key(id+"#0", rel)
				if err != nil || !got.(equaler).Equal(tt.pub) {
					t.Fatalf("Key(%s) = %v, %v", rel, got, err)
				}
			}
		})
	}
}

func TestResolve_SpecExample(t *testing.T) {
	const wantJWK = `{"crv":"P-256","kty":"EC","x":"acbIQiuMs3i8_uszEjJ2tpTtRM4EU3yz91PH6CdH2V0","y":"_KcyLj9vWMptnmKtm46GqDz8wf74I5LKgrl2GzH3nSE"}`
	want := `{"@context":["https://www.w3.org/ns/did/v1","https://w3id.org/security/suites/jws-2020/v1"],"id":"` + specP256 + `",` +
		`"verificationMethod":[{"id":"` + specP256 + `#0","type":"JsonWebKey2020","controller":"` + specP256 + `","publicKeyJwk":` + wantJWK + `}],` +
		`"authentication":["` + specP256 + `#0"],"assertionMethod":["` + specP256 + `#0"]}`

	doc, err := jwk.Resolver{}.Resolve(context.Background(), specP256)
	if err != nil {
		t.Fatalf("Resolve: %v", err)
	}
	got, _ := json.Marshal(doc)
	if string(got) != want {
		t.Fatalf("document:\n got %s\nwant %s", got, want)
	}
	pub, err := doc.Key("#0", did.AssertionMethod)
	if err != nil {
		t.Fatalf("Key: %v", err)
	}
	b, _ := pub.(*ecdsa.PublicKey).Bytes()
	if x := base64.RawURLEncoding.EncodeToString(b[1:33]); x != "acbIQiuMs3i8_uszEjJ2tpTtRM4EU3yz91PH6CdH2V0" {
		t.Fatalf("x = %s", x)
	}
	// New serialises like the specification example (JCS), so the same key gives the same DID.
	again, err := jwk.New(pub)
	if err != nil || again != specP256 {
		t.Fatalf("New = %q, %v; want the specification's DID", again, err)
	}
}

func TestResolve_Use(t *testing.T) {
	tests := []struct {
		name    string
		jwk     string
		wantRef bool
	}{
		{"ok - no use", `{"kty":"OKP","crv":"Ed25519","x":"Lm_M42cB3HkUiODQsXRcweM6TByfzEHGO9ND274JcOY"}`, true},
		{"ok - use sig", `{"kty":"OKP","crv":"Ed25519","use":"sig","x":"Lm_M42cB3HkUiODQsXRcweM6TByfzEHGO9ND274JcOY"}`, true},
		{"ok - use enc is not for signatures", `{"kty":"EC","crv":"P-256","use":"enc","x":"acbIQiuMs3i8_uszEjJ2tpTtRM4EU3yz91PH6CdH2V0","y":"_KcyLj9vWMptnmKtm46GqDz8wf74I5LKgrl2GzH3nSE"}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := "did:jwk:" + base64.RawURLEncoding.EncodeToString([]byte(tt.jwk))
			doc, err := jwk.Resolver{}.Resolve(context.Background(), id)
			if err != nil {
				t.Fatalf("Resolve: %v", err)
			}
			_, err = doc.Key(id+"#0", did.AssertionMethod)
			if (err == nil) != tt.wantRef {
				t.Fatalf("Key err = %v, want referenced %v", err, tt.wantRef)
			}
			if !tt.wantRef && did.KindOf(err) != did.KeyNotFound {
				t.Fatalf("err = %v, want KeyNotFound", err)
			}
		})
	}
}

func TestResolve_Errors(t *testing.T) {
	enc := func(s string) string { return "did:jwk:" + base64.RawURLEncoding.EncodeToString([]byte(s)) }
	tests := []struct {
		name     string
		did      string
		wantKind did.ErrorKind
	}{
		{"error - private key", enc(`{"kty":"EC","crv":"P-256","x":"acbIQiuMs3i8_uszEjJ2tpTtRM4EU3yz91PH6CdH2V0","y":"_KcyLj9vWMptnmKtm46GqDz8wf74I5LKgrl2GzH3nSE","d":"AAAA"}`), did.InvalidDID},
		{"error - symmetric key", enc(`{"kty":"oct","k":"c2VjcmV0"}`), did.InvalidDID},
		{"error - X25519 spec example", specX25519, did.UnsupportedMethod},
		{"error - not JSON", enc(`not json`), did.InvalidDID},
		{"error - JSON array", enc(`[1]`), did.InvalidDID},
		{"error - invalid UTF-8", enc("{\"kty\":\"\xff\"}"), did.InvalidDID},
		{"error - not base64url", "did:jwk:eyJ.rdHki", did.InvalidDID},
		{"error - padded", specP256 + "%3D", did.InvalidDID},
		{"error - DID URL", specP256 + "#0", did.InvalidDID},
		{"error - other method", "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", did.UnsupportedMethod},
		{"error - empty", "did:jwk:", did.InvalidDID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := jwk.Resolver{}.Resolve(context.Background(), tt.did)
			if did.KindOf(err) != tt.wantKind {
				t.Fatalf("err = %v, want kind %v", err, tt.wantKind)
			}
		})
	}
}

func TestNew_Errors(t *testing.T) {
	_, edPriv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		pub  crypto.PublicKey
	}{
		{"error - private key", edPriv},
		{"error - P-521", mustECDSA(t, elliptic.P521())},
		{"error - nil", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if id, err := jwk.New(tt.pub); err == nil {
				t.Fatalf("New = %q, want error", id)
			}
		})
	}
}

func FuzzResolve(f *testing.F) {
	for _, s := range []string{specP256, specX25519, "did:jwk:e30", "did:jwk:"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		doc, err := jwk.Resolver{}.Resolve(context.Background(), s)
		if err != nil {
			if did.KindOf(err) == 0 {
				t.Fatalf("untyped error: %v", err)
			}
			return
		}
		if _, err := doc.VerificationMethod[0].PublicKey(); err != nil {
			t.Fatalf("resolved document has no usable key: %v", err)
		}
	})
}

func mustECDSA(t *testing.T, c elliptic.Curve) *ecdsa.PublicKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(c, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return &k.PublicKey
}
