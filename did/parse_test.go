package did

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
)

// jwkP256 is the P-256 key of the did:web and did:jwk specification examples.
const jwkP256 = `{"kty":"EC","crv":"P-256","x":"38M1FDts7Oea7urmseiugGW7tWc3mLpJh6rKe7xINZ8","y":"nDQW6XZ7b_u2Sy9slofYLlG03sOEoug3I0aAPQ0exs4"}`

func TestParse(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		check func(t *testing.T, d Document)
	}{
		{"ok - references", `{
			"@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/jws-2020/v1"],
			"id": "did:web:example.com",
			"verificationMethod": [{"id": "did:web:example.com#key-2", "type": "JsonWebKey2020",
				"controller": "did:web:example.com", "publicKeyJwk": ` + jwkP256 + `}],
			"authentication": ["did:web:example.com#key-2"],
			"assertionMethod": ["did:web:example.com#key-2"]}`,
			func(t *testing.T, d Document) {
				wantEqual(t, "context", d.Context, []string{ContextDIDv1, ContextJWS2020})
				wantEqual(t, "assertionMethod", d.AssertionMethod, []string{"did:web:example.com#key-2"})
				if len(d.VerificationMethod) != 1 || d.VerificationMethod[0].Type != TypeJSONWebKey2020 {
					t.Fatalf("verificationMethod = %+v", d.VerificationMethod)
				}
			}},
		{"ok - relative ids resolved", `{"id": "did:web:example.com",
			"verificationMethod": [{"id": "#key-1", "type": "JsonWebKey2020", "controller": "did:web:example.com", "publicKeyJwk": ` + jwkP256 + `}],
			"assertionMethod": ["#key-1"]}`,
			func(t *testing.T, d Document) {
				wantEqual(t, "vm id", []string{d.VerificationMethod[0].ID}, []string{"did:web:example.com#key-1"})
				wantEqual(t, "assertionMethod", d.AssertionMethod, []string{"did:web:example.com#key-1"})
			}},
		{"ok - embedded method moved", `{"@context": "https://www.w3.org/ns/did/v1", "id": "did:web:example.com",
			"authentication": [{"id": "#keys-1", "type": "Multikey", "controller": "did:web:example.com",
				"publicKeyMultibase": "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"}]}`,
			func(t *testing.T, d Document) {
				wantEqual(t, "context", d.Context, []string{ContextDIDv1})
				wantEqual(t, "authentication", d.Authentication, []string{"did:web:example.com#keys-1"})
				if len(d.VerificationMethod) != 1 || d.VerificationMethod[0].ID != "did:web:example.com#keys-1" {
					t.Fatalf("verificationMethod = %+v", d.VerificationMethod)
				}
			}},
		{"ok - controller string, services, context map", `{"@context": ["https://www.w3.org/ns/did/v1", {"@vocab": "x"}],
			"id": "did:web:example.com", "controller": "did:web:other.example",
			"service": [{"id": "#vcs", "type": ["A", "B"], "serviceEndpoint": {"origins": ["https://example.com"]}}]}`,
			func(t *testing.T, d Document) {
				wantEqual(t, "context", d.Context, []string{ContextDIDv1})
				wantEqual(t, "controller", d.Controller, []string{"did:web:other.example"})
				wantEqual(t, "service type", d.Service[0].Type, []string{"A", "B"})
			}},
		{"ok - null key and unknown members", `{"id": "did:web:example.com", "alsoKnownAs": ["https://x"],
			"verificationMethod": [{"id": "#k", "type": "X", "controller": "did:web:example.com", "publicKeyJwk": null}]}`,
			func(t *testing.T, d Document) {
				if d.VerificationMethod[0].PublicKeyJwk != nil {
					t.Fatalf("publicKeyJwk = %s, want nil", d.VerificationMethod[0].PublicKeyJwk)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse([]byte(tt.in))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			tt.check(t, d)
		})
	}
}

func TestParse_Errors(t *testing.T) {
	const secret = "SECRET-BODY-MARKER"
	tests := []struct {
		name string
		in   string
	}{
		{"error - not JSON", `<html>` + secret + `</html>`},
		{"error - truncated", `{"id": "did:web:` + secret},
		{"error - array", `["` + secret + `"]`},
		{"error - null", `null`},
		{"error - missing id", `{"verificationMethod": []}`},
		{"error - id not a DID", `{"id": "https://` + secret + `"}`},
		{"error - id is a DID URL", `{"id": "did:web:example.com#` + secret + `"}`},
		{"error - id wrong type", `{"id": 42}`},
		{"error - controller not a DID", `{"id": "did:web:a", "controller": ["` + secret + `"]}`},
		{"error - method without type", `{"id": "did:web:a", "verificationMethod": [{"id": "#k", "controller": "did:web:a"}]}`},
		{"error - method without id", `{"id": "did:web:a", "verificationMethod": [{"type": "` + secret + `"}]}`},
		{"error - method id not a DID URL", `{"id": "did:web:a", "verificationMethod": [{"id": "` + secret + `", "type": "X"}]}`},
		{"error - duplicate method ids", `{"id": "did:web:a", "verificationMethod": [{"id": "#k", "type": "X"}],
			"authentication": [{"id": "#k", "type": "X"}]}`},
		{"error - relationship entry number", `{"id": "did:web:a", "authentication": [42]}`},
		{"error - relationship reference invalid", `{"id": "did:web:a", "assertionMethod": ["` + secret + `"]}`},
		{"error - context number", `{"@context": 1, "id": "did:web:a"}`},
		{"error - controller number", `{"id": "did:web:a", "controller": 1}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.in))
			if !errors.Is(err, ErrInvalidDocument) {
				t.Fatalf("err = %v, want InvalidDocument", err)
			}
			if strings.Contains(err.Error(), secret) {
				t.Fatalf("error message quotes the document: %v", err)
			}
		})
	}
}

func TestDocument_MarshalRoundTrip(t *testing.T) {
	in := `{"@context":["https://www.w3.org/ns/did/v1"],"id":"did:web:example.com","controller":"did:web:example.com",` +
		`"verificationMethod":[{"id":"did:web:example.com#k","type":"JsonWebKey2020","controller":"did:web:example.com","publicKeyJwk":` + jwkP256 + `}],` +
		`"authentication":["did:web:example.com#k"],"assertionMethod":["did:web:example.com#k"]}`
	d, err := Parse([]byte(in))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	out, err := jsonMarshal(d)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	if out != in {
		t.Fatalf("round trip changed the document:\n got %s\nwant %s", out, in)
	}
}

func TestDocument_Clone(t *testing.T) {
	d, err := Parse([]byte(`{"id": "did:web:a", "verificationMethod": [{"id": "#k", "type": "X", "publicKeyJwk": {"kty": "EC"}}],
		"assertionMethod": ["#k"]}`))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	c := d.Clone()
	c.AssertionMethod[0] = "changed"
	c.VerificationMethod[0].PublicKeyJwk[0] = 'X'
	if d.AssertionMethod[0] != "did:web:a#k" || d.VerificationMethod[0].PublicKeyJwk[0] != '{' {
		t.Fatal("changing the clone changed the original")
	}
}

func wantEqual[T comparable](t *testing.T, what string, got, want []T) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Fatalf("%s = %v, want %v", what, got, want)
	}
}

func jsonMarshal(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}
