// Package didtest holds the checks every key-based DID method of bewijs (did:key, did:jwk)
// passes: a round trip per supported key type, typed errors, keys it must refuse, and a fuzz
// body. Each method's own tests add what only that method has (spec vectors, prefixes).
// LocalResolver is the resolver tests use against servers on loopback.
package didtest

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"testing"

	"github.com/sociaaldomein/bewijs/did"
)

// Method is a key-based DID method under test.
type Method struct {
	// New makes the DID of a public key.
	New func(crypto.PublicKey) (string, error)
	// Resolver resolves the method's DIDs.
	Resolver did.Resolver
	// KeyID is the DID URL of the key in the document of id.
	KeyID func(id string) string
}

// Key is a public key of a type every method supports, with a name for subtests.
type Key struct {
	Name string
	Pub  crypto.PublicKey
}

// Keys returns fresh Ed25519, P-256 and P-384 public keys.
func Keys(t testing.TB) []Key {
	t.Helper()
	edPub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return []Key{{"ok - Ed25519", edPub}, {"ok - P-256", ECDSA(t, elliptic.P256())}, {"ok - P-384", ECDSA(t, elliptic.P384())}}
}

// ECDSA returns a fresh public key on curve c.
func ECDSA(t testing.TB, c elliptic.Curve) *ecdsa.PublicKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(c, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return &k.PublicKey
}

type equaler interface{ Equal(crypto.PublicKey) bool }

// RoundTrip makes the DID of each of Keys, resolves it, and checks that the document gives the
// same key for assertionMethod and authentication. extra, when set, runs the method's own
// checks on each DID.
func RoundTrip(t *testing.T, m Method, extra func(t *testing.T, k Key, id string)) {
	for _, k := range Keys(t) {
		t.Run(k.Name, func(t *testing.T) {
			id, err := m.New(k.Pub)
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			doc, err := m.Resolver.Resolve(context.Background(), id)
			if err != nil {
				t.Fatalf("Resolve: %v", err)
			}
			for _, rel := range []did.Relationship{did.AssertionMethod, did.Authentication} {
				got, err := doc.Key(m.KeyID(id), rel)
				if err != nil || !got.(equaler).Equal(k.Pub) {
					t.Fatalf("Key(%s) = %v, %v", rel, got, err)
				}
			}
			if extra != nil {
				extra(t, k, id)
			}
		})
	}
}

// ErrorCase is a DID that must not resolve, and the kind of error it must give.
type ErrorCase struct {
	Name string
	DID  string
	Kind did.ErrorKind
}

// ResolveErrors checks that each case fails with its kind.
func ResolveErrors(t *testing.T, r did.Resolver, cases []ErrorCase) {
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			_, err := r.Resolve(context.Background(), tc.DID)
			if did.KindOf(err) != tc.Kind {
				t.Fatalf("err = %v, want kind %v", err, tc.Kind)
			}
		})
	}
}

// NewErrors checks that New refuses a private key, an unsupported curve (P-521) and nil.
func NewErrors(t *testing.T, newDID func(crypto.PublicKey) (string, error)) {
	_, edPriv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []Key{{"error - private key", edPriv}, {"error - P-521", ECDSA(t, elliptic.P521())}, {"error - nil", nil}} {
		t.Run(tc.Name, func(t *testing.T) {
			if id, err := newDID(tc.Pub); err == nil {
				t.Fatalf("New = %q, want error", id)
			}
		})
	}
}

// Fuzz resolves arbitrary input: it either fails with a typed error or gives a document whose
// first verification method holds a usable key.
func Fuzz(f *testing.F, r did.Resolver, seeds ...string) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		doc, err := r.Resolve(context.Background(), s)
		if err != nil {
			if did.KindOf(err) == 0 {
				t.Fatalf("untyped error: %v", err)
			}
			return
		}
		if len(doc.VerificationMethod) == 0 {
			t.Fatal("resolved document has no verification method")
		}
		if _, err := doc.VerificationMethod[0].PublicKey(); err != nil {
			t.Fatalf("resolved document has no usable key: %v", err)
		}
	})
}
