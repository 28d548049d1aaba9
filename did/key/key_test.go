package key_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"testing"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/did/key"
)

// Test vectors of the did:key specification.
const (
	vectorEd25519 = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
	vectorP256    = "did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169"
)

type equaler interface{ Equal(crypto.PublicKey) bool }

func TestNew_Resolve_RoundTrip(t *testing.T) {
	edPub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		pub        crypto.PublicKey
		wantPrefix string
	}{
		{"ok - Ed25519", edPub, "did:key:z6Mk"},
		{"ok - P-256", mustECDSA(t, elliptic.P256()), "did:key:zDn"},
		{"ok - P-384", mustECDSA(t, elliptic.P384()), "did:key:z82"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := key.New(tt.pub)
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			if len(id) < len(tt.wantPrefix) || id[:len(tt.wantPrefix)] != tt.wantPrefix {
				t.Fatalf("New = %q, want prefix %q", id, tt.wantPrefix)
			}
			doc, err := key.Resolver{}.Resolve(context.Background(), id)
			if err != nil {
				t.Fatalf("Resolve: %v", err)
			}
			vmID := id + "#" + id[len("did:key:"):]
			for _, rel := range []did.Relationship{did.AssertionMethod, did.Authentication} {
				got, err := doc.Key(vmID, rel)
				if err != nil || !got.(equaler).Equal(tt.pub) {
					t.Fatalf("Key(%s) = %v, %v", rel, got, err)
				}
			}
			direct, err := key.PublicKey(vmID)
			if err != nil || !direct.(equaler).Equal(tt.pub) {
				t.Fatalf("PublicKey = %v, %v", direct, err)
			}
		})
	}
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
	tests := []struct {
		name     string
		did      string
		wantKind did.ErrorKind
	}{
		{"error - secp256k1", "did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme", did.UnsupportedMethod},
		{"error - P-521", "did:key:z2J9gaYxrKVpdoG9A4gRnmpnRCcxU6agDtFVVBVdn1JedouoZN7SzcyREXXzWgt3gGiwpoHq7K68X4m32D8HgzG8wv3sY5j7", did.UnsupportedMethod},
		{"error - other method", "did:web:example.com", did.UnsupportedMethod},
		{"error - not base58btc", "did:key:u6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", did.InvalidDID},
		{"error - invalid base58", "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2do0", did.InvalidDID},
		{"error - short Ed25519 key", "did:key:" + multibase([]byte{0xed, 0x01, 1, 2, 3}), did.InvalidDID},
		{"error - uncompressed P-256", "did:key:" + multibase(append([]byte{0x80, 0x24, 0x04}, make([]byte, 64)...)), did.InvalidDID},
		{"error - version prefix", "did:key:1:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", did.InvalidDID},
		{"error - DID URL", vectorEd25519 + "#z6Mk", did.InvalidDID},
		{"error - only prefix", "did:key:z", did.InvalidDID},
		{"error - empty", "", did.InvalidDID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := key.Resolver{}.Resolve(context.Background(), tt.did)
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
		{"error - P-521", mustECDSA(t, elliptic.P521())},
		{"error - private key", edPriv},
		{"error - nil", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if id, err := key.New(tt.pub); err == nil {
				t.Fatalf("New = %q, want error", id)
			}
		})
	}
}

func FuzzResolve(f *testing.F) {
	for _, s := range []string{vectorEd25519, vectorP256, "did:key:z", "did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		doc, err := key.Resolver{}.Resolve(context.Background(), s)
		if err != nil {
			if did.KindOf(err) == 0 {
				t.Fatalf("untyped error: %v", err)
			}
			return
		}
		if _, err := doc.Key(doc.AssertionMethod[0], did.AssertionMethod); err != nil {
			t.Fatalf("resolved document has no usable key: %v", err)
		}
	})
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

func mustECDSA(t *testing.T, c elliptic.Curve) *ecdsa.PublicKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(c, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return &k.PublicKey
}
