package did

import (
	"encoding/json"
	"strings"
	"testing"
)

func FuzzParse(f *testing.F) {
	f.Add([]byte(keysDoc))
	f.Add([]byte(`{"@context": "https://www.w3.org/ns/did/v1", "id": "did:web:a", "authentication": [{"id": "#k", "type": "Multikey", "publicKeyMultibase": "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"}]}`))
	f.Add([]byte(`{"id": "did:web:a", "controller": ["did:web:b"], "service": [{"id": "#s", "type": "T", "serviceEndpoint": "https://x"}]}`))
	f.Add([]byte(`{"id": "did:web:a", "verificationMethod": [{"id": "#k", "type": "X", "publicKeyJwk": ` + jwkP256Private + `}], "assertionMethod": ["#k"]}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"id": "did:web:a", "authentication": [1, "#x", {}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := Parse(data)
		if err != nil {
			if KindOf(err) != InvalidDocument {
				t.Fatalf("error of kind %v, want InvalidDocument: %v", KindOf(err), err)
			}
			return
		}
		// A parsed document must survive a marshal/parse round trip and key lookups.
		out, err := json.Marshal(doc)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		if _, err := Parse(out); err != nil {
			t.Fatalf("re-Parse: %v", err)
		}
		for _, rel := range []Relationship{Authentication, AssertionMethod} {
			for _, vm := range doc.Keys(rel) {
				_, _ = doc.Key(vm.ID, rel)
			}
		}
	})
}

func FuzzParseDIDURL(f *testing.F) {
	for _, s := range []string{
		"did:web:example.com#key-1", "did:web:localhost%3A8080:o:x", "did:key:z6Mk#z6Mk",
		"did:web:a/b?c#d", "did:web:a%", "did::", "did:web:a#%zz", "#frag", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, fragment, err := ParseDIDURL(s)
		if err != nil {
			if KindOf(err) != InvalidDID {
				t.Fatalf("error of kind %v, want InvalidDID", KindOf(err))
			}
			return
		}
		if _, _, err := ParseDID(d); err != nil {
			t.Fatalf("ParseDIDURL returned a DID that ParseDID refuses: %q", d)
		}
		want := d
		if strings.Contains(s, "#") {
			want += "#" + fragment
		}
		if want != s {
			t.Fatalf("parts %q + %q do not rebuild %q", d, fragment, s)
		}
		if Method(s) == "" {
			t.Fatalf("Method(%q) is empty", s)
		}
	})
}

func FuzzDecodeMultikey(f *testing.F) {
	for _, s := range []string{
		"z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", "zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169",
		"zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme", "z", "z1111", "u0000",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		pub, err := DecodeMultikey(s)
		if err != nil {
			return
		}
		again, err := EncodeMultikey(pub)
		if err != nil || again != s {
			t.Fatalf("decoded key re-encodes to %q, %v; want %q", again, err, s)
		}
	})
}

func FuzzParseJWK(f *testing.F) {
	for _, s := range []string{jwkP256, jwkEd25519, jwkX25519, jwkRSA, jwkP256Private, `{}`, `{"kty":"EC"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		pub, err := ParseJWK(data)
		if err != nil {
			return
		}
		if _, err := PublicJWK(pub); err != nil {
			t.Fatalf("accepted key cannot be re-encoded: %v", err)
		}
	})
}
