package did

import (
	"crypto/ecdsa"
	"errors"
	"testing"
)

const keysDoc = `{"id": "did:web:example.com",
	"verificationMethod": [
		{"id": "#assert", "type": "JsonWebKey2020", "controller": "did:web:example.com", "publicKeyJwk": ` + jwkP256 + `},
		{"id": "#auth", "type": "Multikey", "controller": "did:web:example.com", "publicKeyMultibase": "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"},
		{"id": "#broken", "type": "JsonWebKey2020", "controller": "did:web:example.com"}
	],
	"assertionMethod": ["#assert", "#broken", "did:web:other.example#k"],
	"authentication": ["#auth"]}`

func TestDocument_Key(t *testing.T) {
	doc, err := Parse([]byte(keysDoc))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	tests := []struct {
		name     string
		didURL   string
		rel      Relationship
		wantKind ErrorKind
	}{
		{"ok - absolute", "did:web:example.com#assert", AssertionMethod, 0},
		{"ok - relative", "#assert", AssertionMethod, 0},
		{"ok - multibase", "#auth", Authentication, 0},
		{"error - wrong relationship", "#assert", Authentication, KeyNotFound},
		{"error - unknown relationship", "#assert", Relationship("keyAgreement"), KeyNotFound},
		{"error - unknown fragment", "#nope", AssertionMethod, KeyNotFound},
		{"error - other DID", "did:web:other.example#k", AssertionMethod, KeyNotFound},
		{"error - no fragment", "did:web:example.com", AssertionMethod, KeyNotFound},
		{"error - not a DID URL", "https://example.com#assert", AssertionMethod, InvalidDID},
		{"error - no key material", "#broken", AssertionMethod, InvalidDocument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pub, err := doc.Key(tt.didURL, tt.rel)
			if tt.wantKind != 0 {
				if KindOf(err) != tt.wantKind {
					t.Fatalf("err = %v, want kind %v", err, tt.wantKind)
				}
				var e *Error
				if errors.As(err, &e) && e.Reason != InvalidDID && e.Subject != doc.ID {
					t.Fatalf("error DID = %q, want %q", e.Subject, doc.ID)
				}
				return
			}
			if err != nil || pub == nil {
				t.Fatalf("Key: %v", err)
			}
		})
	}
}

func TestDocument_Keys(t *testing.T) {
	doc, err := Parse([]byte(keysDoc))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	tests := []struct {
		name string
		rel  Relationship
		want []string
	}{
		{"ok - assertionMethod skips external references", AssertionMethod, []string{"did:web:example.com#assert", "did:web:example.com#broken"}},
		{"ok - authentication", Authentication, []string{"did:web:example.com#auth"}},
		{"ok - unknown relationship", Relationship("keyAgreement"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, vm := range doc.Keys(tt.rel) {
				got = append(got, vm.ID)
			}
			wantEqual(t, "ids", got, tt.want)
		})
	}
	t.Run("ok - key is the P-256 example key", func(t *testing.T) {
		pub, err := doc.Keys(AssertionMethod)[0].PublicKey()
		if err != nil {
			t.Fatalf("PublicKey: %v", err)
		}
		if _, ok := pub.(*ecdsa.PublicKey); !ok {
			t.Fatalf("got %T", pub)
		}
	})
}
