package oid4vp

import (
	"errors"
	"strings"
	"testing"
)

func TestParseClientID(t *testing.T) {
	tests := []struct {
		name       string
		clientID   string
		wantPrefix string
		wantValue  string
		wantErr    string // part of the description; "" for success
	}{
		{"ok - redirect_uri (§5.9.3 example)", "redirect_uri:https://client.example.org/cb", PrefixRedirectURI, "https://client.example.org/cb", ""},
		{"ok - x509_san_dns", "x509_san_dns:client.example.org", PrefixX509SANDNS, "client.example.org", ""},
		{"ok - x509_hash (§5.9.3 example)", "x509_hash:Uvo3HtuIxuhC92rShpgqcT3YXwrqRxWEviRiA0OZszk", PrefixX509Hash, "Uvo3HtuIxuhC92rShpgqcT3YXwrqRxWEviRiA0OZszk", ""},
		{"ok - decentralized_identifier", "decentralized_identifier:did:example:123", PrefixDecentralizedIdentifier, "did:example:123", ""},
		{"ok - decentralized_identifier did:web with port", "decentralized_identifier:did:web:verifier.example%3A8443:nl", PrefixDecentralizedIdentifier, "did:web:verifier.example%3A8443:nl", ""},
		{"ok - verifier_attestation", "verifier_attestation:verifier.example", PrefixVerifierAttestation, "verifier.example", ""},
		{"ok - value may hold colons", "verifier_attestation:a:b", PrefixVerifierAttestation, "a:b", ""},
		{"ok - openid_federation", "openid_federation:https://federation-verifier.example.com", PrefixOpenIDFederation, "https://federation-verifier.example.com", ""},
		{"ok - pre-registered (§5.9.2)", "example-client", PrefixPreRegistered, "example-client", ""},
		{"error - empty", "", "", "", "client_id is missing"},
		{"error - unknown prefix", "https://verifier.example", "", "", `unsupported client identifier prefix "https"`},
		{"error - legacy did prefix", "did:example:123", "", "", `unsupported client identifier prefix "did"`},
		{"error - origin is reserved", "origin:https://verifier.example", "", "", "reserved"},
		{"error - prefix without value", "x509_san_dns:", "", "", "no client identifier"},
		{"error - empty prefix", ":abc", "", "", "unsupported client identifier prefix"},
		{"error - redirect_uri relative", "redirect_uri:/cb", "", "", "not an absolute URI"},
		{"error - redirect_uri with fragment", "redirect_uri:https://c.example/cb#x", "", "", "fragment"},
		{"error - x509_san_dns not a DNS name", "x509_san_dns:client example.org", "", "", "not a DNS name"},
		{"error - x509_san_dns URL", "x509_san_dns:https://client.example.org", "", "", "not a DNS name"},
		{"error - x509_san_dns hyphen label", "x509_san_dns:-a.example", "", "", "not a DNS name"},
		{"error - x509_hash padded", "x509_hash:Uvo3HtuIxuhC92rShpgqcT3YXwrqRxWEviRiA0OZszk=", "", "", "SHA-256"},
		{"error - x509_hash too short", "x509_hash:AAAA", "", "", "SHA-256"},
		{"error - x509_hash standard base64", "x509_hash:Uvo3HtuIxuhC92rShpgqcT3YXwrqRxWEviRiA0OZsz+", "", "", "SHA-256"},
		{"error - decentralized_identifier not a DID", "decentralized_identifier:example:123", "", "", "not a DID"},
		{"error - openid_federation http", "openid_federation:http://fed.example", "", "", "https Entity Identifier"},
		{"error - openid_federation with query", "openid_federation:https://fed.example?x=1", "", "", "https Entity Identifier"},
		{"error - too long", "verifier_attestation:" + strings.Repeat("a", maxClientIDLength), "", "", "too long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prefix, value, err := ParseClientID(tt.clientID)

			if tt.wantErr != "" {
				var perr *Error
				if !errors.As(err, &perr) || perr.Code != ErrInvalidRequest {
					t.Fatalf("err = %v, want invalid_request", err)
				}
				if !strings.Contains(perr.Description, tt.wantErr) {
					t.Errorf("description = %q, want %q", perr.Description, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseClientID: %v", err)
			}
			if prefix != tt.wantPrefix || value != tt.wantValue {
				t.Errorf("got (%q, %q), want (%q, %q)", prefix, value, tt.wantPrefix, tt.wantValue)
			}
			if back := ClientID(prefix, value); back != tt.clientID {
				t.Errorf("ClientID(%q, %q) = %q, want %q", prefix, value, back, tt.clientID)
			}
		})
	}
}

func FuzzParseClientID(f *testing.F) {
	for _, s := range []string{
		"redirect_uri:https://client.example.org/cb", "x509_san_dns:client.example.org",
		"x509_hash:Uvo3HtuIxuhC92rShpgqcT3YXwrqRxWEviRiA0OZszk", "decentralized_identifier:did:example:123",
		"verifier_attestation:v", "openid_federation:https://fed.example", "origin:x", "plain", "", ":", "a:",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		prefix, value, err := ParseClientID(s)
		if err != nil {
			var perr *Error
			if !errors.As(err, &perr) || perr.Code != ErrInvalidRequest {
				t.Fatalf("error %v is not invalid_request", err)
			}
			return
		}
		if value == "" {
			t.Fatalf("%q: empty value without error", s)
		}
		if ClientID(prefix, value) != s {
			t.Fatalf("%q does not round-trip: (%q, %q)", s, prefix, value)
		}
		if prefix == PrefixOrigin {
			t.Fatalf("%q: the origin prefix must never be accepted", s)
		}
	})
}
