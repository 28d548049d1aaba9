package did

import (
	"crypto"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"testing"
)

func TestNewDocument_Golden(t *testing.T) {
	pub, err := ParseJWK([]byte(jwkP256))
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"@context":["https://www.w3.org/ns/did/v1","https://w3id.org/security/suites/jws-2020/v1"],` +
		`"id":"did:web:example.com:o:gemeente-utrecht",` +
		`"verificationMethod":[{"id":"did:web:example.com:o:gemeente-utrecht#key-1","type":"JsonWebKey2020",` +
		`"controller":"did:web:example.com:o:gemeente-utrecht","publicKeyJwk":` +
		`{"crv":"P-256","kty":"EC","x":"38M1FDts7Oea7urmseiugGW7tWc3mLpJh6rKe7xINZ8","y":"nDQW6XZ7b_u2Sy9slofYLlG03sOEoug3I0aAPQ0exs4"}}],` +
		`"authentication":["did:web:example.com:o:gemeente-utrecht#key-1"],` +
		`"assertionMethod":["did:web:example.com:o:gemeente-utrecht#key-1"]}`

	doc, err := NewDocument("did:web:example.com:o:gemeente-utrecht", []KeyEntry{{Fragment: "key-1", PublicKey: pub}})
	if err != nil {
		t.Fatalf("NewDocument: %v", err)
	}
	got, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatalf("document:\n got %s\nwant %s", got, want)
	}
	parsed, err := Parse(got)
	if err != nil {
		t.Fatalf("Parse of built document: %v", err)
	}
	back, err := parsed.Key("#key-1", AssertionMethod)
	if err != nil || !back.(interface{ Equal(crypto.PublicKey) bool }).Equal(pub) {
		t.Fatalf("Key = %v, %v", back, err)
	}
}

func TestNewDocument(t *testing.T) {
	edPub, edPriv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	p256 := mustECDSA(t, elliptic.P256()).Public()
	tests := []struct {
		name     string
		id       string
		keys     []KeyEntry
		wantKind ErrorKind
	}{
		{"ok - two keys", "did:web:example.com", []KeyEntry{{"a", p256}, {"b", edPub}}, 0},
		{"ok - no keys", "did:web:example.com", nil, 0},
		{"error - not a DID", "https://example.com", nil, InvalidDID},
		{"error - empty fragment", "did:web:example.com", []KeyEntry{{"", p256}}, InvalidDocument},
		{"error - fragment with space", "did:web:example.com", []KeyEntry{{"a b", p256}}, InvalidDocument},
		{"error - duplicate fragment", "did:web:example.com", []KeyEntry{{"a", p256}, {"a", edPub}}, InvalidDocument},
		{"error - private key", "did:web:example.com", []KeyEntry{{"a", edPriv}}, InvalidDocument},
		{"error - P-521", "did:web:example.com", []KeyEntry{{"a", mustECDSA(t, elliptic.P521()).Public()}}, InvalidDocument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := NewDocument(tt.id, tt.keys)
			if tt.wantKind != 0 {
				if KindOf(err) != tt.wantKind {
					t.Fatalf("err = %v, want kind %v", err, tt.wantKind)
				}
				return
			}
			if err != nil {
				t.Fatalf("NewDocument: %v", err)
			}
			for _, k := range tt.keys {
				for _, rel := range []Relationship{AssertionMethod, Authentication} {
					got, err := doc.Key(tt.id+"#"+k.Fragment, rel)
					if err != nil || !got.(interface{ Equal(crypto.PublicKey) bool }).Equal(k.PublicKey) {
						t.Fatalf("Key(%s, %s) = %v, %v", k.Fragment, rel, got, err)
					}
				}
			}
		})
	}
}
