package key_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"strings"
	"testing"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/did/didtest"
	"github.com/sociaaldomein/bewijs/did/key"
)

// Test vectors of the did:key specification.
const (
	vectorEd25519 = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
	vectorP256    = "did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169"
)

type equaler interface{ Equal(crypto.PublicKey) bool }

var method = didtest.Method{New: key.New, Resolver: key.Resolver{}, KeyID: func(id string) string { return id + "#" + id[len("did:key:"):] }}

func TestNew_Resolve_RoundTrip(t *testing.T) {
	prefixes := map[string]string{"ok - Ed25519": "did:key:z6Mk", "ok - P-256": "did:key:zDn", "ok - P-384": "did:key:z82"}
	didtest.RoundTrip(t, method, func(t *testing.T, k didtest.Key, id string) {
		if want := prefixes[k.Name]; !strings.HasPrefix(id, want) {
			t.Fatalf("New = %q, want prefix %q", id, want)
		}
		direct, err := key.PublicKey(method.KeyID(id))
		if err != nil || !direct.(equaler).Equal(k.Pub) {
			t.Fatalf("PublicKey = %v, %v", direct, err)
		}
	})
}

func TestResolve_SpecVectors(t *testing.T) {
	tests := []struct {
		name  string
		did   string
		check func(t *testing.T, pub crypto.PublicKey)
	}{
		{"ok - Ed25519", vectorEd25519, func(t *testing.T, pub crypto.PublicKey) {
			got := base64.RawURLEncoding.EncodeToString(pub.(ed25519.PublicKey))
			if got != "Lm_M42cB3HkUiODQsXRcweM6TByfzEHGO9ND274JcOY" {
				t.Fatalf("x = %s", got)
			}
		}},
		{"ok - P-256", vectorP256, func(t *testing.T, pub crypto.PublicKey) {
			b, _ := pub.(*ecdsa.PublicKey).Bytes()
			x := base64.RawURLEncoding.EncodeToString(b[1:33])
			y := base64.RawURLEncoding.EncodeToString(b[33:])
			if x != "fyNYMN0976ci7xqiSdag3buk-ZCwgXU4kz9XNkBlNUI" || y != "hW2ojTNfH7Jbi8--CJUo3OCbH3y5n91g-IMA9MLMbTU" {
				t.Fatalf("point = (%s, %s)", x, y)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := key.Resolver{}.Resolve(context.Background(), tt.did)
			if err != nil {
				t.Fatalf("Resolve: %v", err)
			}
			pub, err := doc.Key(tt.did+"#"+tt.did[len("did:key:"):], did.AssertionMethod)
			if err != nil {
				t.Fatalf("Key: %v", err)
			}
			tt.check(t, pub)
			again, err := key.New(pub)
			if err != nil || again != tt.did {
				t.Fatalf("New = %q, %v; want %q", again, err, tt.did)
			}
		})
	}
}

func TestResolve_Document(t *testing.T) {
	const want = `{"@context":["https://www.w3.org/ns/did/v1","https://w3id.org/security/multikey/v1"],` +
		`"id":"did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",` +
		`"verificationMethod":[{"id":"did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",` +
		`"type":"Multikey","controller":"did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",` +
		`"publicKeyMultibase":"z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"}],` +
		`"authentication":["did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"],` +
		`"assertionMethod":["did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"]}`
	doc, err := key.Resolver{}.Resolve(context.Background(), vectorEd25519)
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatalf("document:\n got %s\nwant %s", got, want)
	}
	if _, err := did.Parse(got); err != nil {
		t.Fatalf("document does not parse: %v", err)
	}
}

func TestResolve_Errors(t *testing.T) {
	didtest.ResolveErrors(t, key.Resolver{}, []didtest.ErrorCase{
		{Name: "error - secp256k1", DID: "did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme", Kind: did.UnsupportedMethod},
		{Name: "error - P-521", DID: "did:key:z2J9gaYxrKVpdoG9A4gRnmpnRCcxU6agDtFVVBVdn1JedouoZN7SzcyREXXzWgt3gGiwpoHq7K68X4m32D8HgzG8wv3sY5j7", Kind: did.UnsupportedMethod},
		{Name: "error - other method", DID: "did:web:example.com", Kind: did.UnsupportedMethod},
		{Name: "error - not base58btc", DID: "did:key:u6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", Kind: did.InvalidDID},
		{Name: "error - invalid base58", DID: "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2do0", Kind: did.InvalidDID},
		{Name: "error - short Ed25519 key", DID: "did:key:" + multibase([]byte{0xed, 0x01, 1, 2, 3}), Kind: did.InvalidDID},
		{Name: "error - uncompressed P-256", DID: "did:key:" + multibase(append([]byte{0x80, 0x24, 0x04}, make([]byte, 64)...)), Kind: did.InvalidDID},
		{Name: "error - version prefix", DID: "did:key:1:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", Kind: did.InvalidDID},
		{Name: "error - DID URL", DID: vectorEd25519 + "#z6Mk", Kind: did.InvalidDID},
		{Name: "error - only prefix", DID: "did:key:z", Kind: did.InvalidDID},
		{Name: "error - empty", DID: "", Kind: did.InvalidDID},
	})
}

func TestNew_Errors(t *testing.T) { didtest.NewErrors(t, key.New) }

func FuzzResolve(f *testing.F) {
	didtest.Fuzz(f, key.Resolver{}, vectorEd25519, vectorP256, "did:key:z", "did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme")
}

// multibase encodes b as base58btc with the "z" prefix (leading zero bytes do not occur here).
func multibase(b []byte) string {
	const alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
	n := new(big.Int).SetBytes(b)
	var out []byte
	for mod := new(big.Int); n.Sign() > 0; {
		n.DivMod(n, big.NewInt(58), mod)
		out = append([]byte{alphabet[mod.Int64()]}, out...)
	}
	return "z" + string(out)
}
