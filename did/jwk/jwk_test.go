package jwk_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"encoding/base64"
	"encoding/json"
	"testing"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/did/didtest"
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
	didtest.RoundTrip(t, didtest.Method{New: jwk.New, Resolver: jwk.Resolver{}, KeyID: func(id string) string { return id + "#0" }}, nil)
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
	didtest.ResolveErrors(t, jwk.Resolver{}, []didtest.ErrorCase{
		{Name: "error - private key", DID: enc(`{"kty":"EC","crv":"P-256","x":"acbIQiuMs3i8_uszEjJ2tpTtRM4EU3yz91PH6CdH2V0","y":"_KcyLj9vWMptnmKtm46GqDz8wf74I5LKgrl2GzH3nSE","d":"AAAA"}`), Kind: did.InvalidDID},
		{Name: "error - symmetric key", DID: enc(`{"kty":"oct","k":"c2VjcmV0"}`), Kind: did.InvalidDID},
		{Name: "error - X25519 spec example", DID: specX25519, Kind: did.UnsupportedMethod},
		{Name: "error - not JSON", DID: enc(`not json`), Kind: did.InvalidDID},
		{Name: "error - JSON array", DID: enc(`[1]`), Kind: did.InvalidDID},
		{Name: "error - invalid UTF-8", DID: enc("{\"kty\":\"\xff\"}"), Kind: did.InvalidDID},
		{Name: "error - not base64url", DID: "did:jwk:eyJ.rdHki", Kind: did.InvalidDID},
		{Name: "error - padded", DID: specP256 + "%3D", Kind: did.InvalidDID},
		{Name: "error - DID URL", DID: specP256 + "#0", Kind: did.InvalidDID},
		{Name: "error - other method", DID: "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", Kind: did.UnsupportedMethod},
		{Name: "error - empty", DID: "did:jwk:", Kind: did.InvalidDID},
	})
}

func TestNew_Errors(t *testing.T) { didtest.NewErrors(t, jwk.New) }

func FuzzResolve(f *testing.F) {
	didtest.Fuzz(f, jwk.Resolver{}, specP256, specX25519, "did:jwk:e30", "did:jwk:")
}
