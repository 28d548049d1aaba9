package web_test

import (
	"net/url"
	"testing"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/did/web"
)

func TestDIDFromURL(t *testing.T) {
	tests := []struct {
		name     string
		base     string
		segments []string
		want     string
		wantErr  bool
	}{
		{"ok - port and path", "http://localhost:8080", []string{"o", "gemeente-utrecht"}, "did:web:localhost%3A8080:o:gemeente-utrecht", false},
		{"ok - no path", "https://example.com", nil, "did:web:example.com", false},
		{"ok - base path first", "https://example.com/bewijs/", []string{"o", "x"}, "did:web:example.com:bewijs:o:x", false},
		{"ok - IPv4", "http://127.0.0.1:9000", []string{"o"}, "did:web:127.0.0.1%3A9000:o", false},
		{"ok - host lower-cased", "https://Example.COM", nil, "did:web:example.com", false},
		{"ok - percent-encoding", "https://example.com", []string{"a:b", "c d", "é"}, "did:web:example.com:a%3Ab:c%20d:%C3%A9", false},
		{"ok - idchars kept", "https://example.com", []string{"A-z_0.9"}, "did:web:example.com:A-z_0.9", false},
		{"error - IPv6", "https://[::1]:8080", nil, "", true},
		{"error - query", "https://example.com?x=1", nil, "", true},
		{"error - user info", "https://u:p@example.com", nil, "", true},
		{"error - scheme", "ftp://example.com", nil, "", true},
		{"error - empty segment", "https://example.com", []string{""}, "", true},
		{"error - dot-dot segment", "https://example.com", []string{".."}, "", true},
		{"error - bad host", "https://exa_mple.com", nil, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base, err := url.Parse(tt.base)
			if err != nil {
				t.Fatal(err)
			}
			got, err := web.DIDFromURL(base, tt.segments...)
			if tt.wantErr {
				if did.KindOf(err) != did.InvalidDID {
					t.Fatalf("DIDFromURL = %q, %v; want InvalidDID", got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("DIDFromURL = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
	t.Run("error - nil base", func(t *testing.T) {
		if _, err := web.DIDFromURL(nil); err == nil {
			t.Fatal("want error")
		}
	})
}

func TestDocumentURL(t *testing.T) {
	tests := []struct {
		name     string
		did      string
		insecure bool
		want     string
		wantKind did.ErrorKind
	}{
		{"ok - no path", "did:web:w3c-ccg.github.io", false, "https://w3c-ccg.github.io/.well-known/did.json", 0},
		{"ok - path", "did:web:w3c-ccg.github.io:user:alice", false, "https://w3c-ccg.github.io/user/alice/did.json", 0},
		{"ok - port and path", "did:web:example.com%3A3000:user:alice", false, "https://example.com:3000/user/alice/did.json", 0},
		{"ok - lower-case %3a", "did:web:example.com%3a3000", false, "https://example.com:3000/.well-known/did.json", 0},
		{"ok - IPv4", "did:web:192.0.2.1", false, "https://192.0.2.1/.well-known/did.json", 0},
		{"ok - percent-encoded segment", "did:web:example.com:c%20d:%C3%A9", false, "https://example.com/c%20d/%C3%A9/did.json", 0},
		{"ok - insecure localhost", "did:web:localhost%3A8080:o:gemeente-utrecht", true, "http://localhost:8080/o/gemeente-utrecht/did.json", 0},
		{"ok - insecure 127.0.0.1", "did:web:127.0.0.1%3A8080", true, "http://127.0.0.1:8080/.well-known/did.json", 0},
		{"ok - localhost secure by default", "did:web:localhost%3A8080", false, "https://localhost:8080/.well-known/did.json", 0},
		{"ok - insecure only for exact hosts", "did:web:localhost.example.com", true, "https://localhost.example.com/.well-known/did.json", 0},
		{"error - other method", "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", false, "", did.UnsupportedMethod},
		{"error - not a DID", "https://example.com", false, "", did.InvalidDID},
		{"error - DID URL", "did:web:example.com#key-1", false, "", did.InvalidDID},
		{"error - encoded dot in host", "did:web:example%2Ecom", false, "", did.InvalidDID},
		{"error - empty segment", "did:web:example.com::a", false, "", did.InvalidDID},
		{"error - dot-dot segment", "did:web:example.com:..:a", false, "", did.InvalidDID},
		{"error - encoded slash", "did:web:example.com:a%2Fb", false, "", did.InvalidDID},
		{"error - port out of range", "did:web:example.com%3A70000", false, "", did.InvalidDID},
		{"error - empty port", "did:web:example.com%3A", false, "", did.InvalidDID},
		{"error - bad host label", "did:web:-example.com", false, "", did.InvalidDID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := web.DocumentURL(tt.did, tt.insecure)
			if tt.wantKind != 0 {
				if did.KindOf(err) != tt.wantKind {
					t.Fatalf("DocumentURL = %v, %v; want kind %v", got, err, tt.wantKind)
				}
				return
			}
			if err != nil || got.String() != tt.want {
				t.Fatalf("DocumentURL = %v, %v; want %s", got, err, tt.want)
			}
		})
	}
}

func TestDIDFromURL_DocumentURL_RoundTrip(t *testing.T) {
	tests := []struct {
		name     string
		base     string
		segments []string
	}{
		{"ok - port and path", "https://example.com:8443", []string{"o", "gemeente-utrecht"}},
		{"ok - no path", "https://example.com", nil},
		{"ok - encoded", "https://example.com", []string{"a b", "c:d", "ü"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base, _ := url.Parse(tt.base)
			id, err := web.DIDFromURL(base, tt.segments...)
			if err != nil {
				t.Fatal(err)
			}
			u, err := web.DocumentURL(id, false)
			if err != nil {
				t.Fatal(err)
			}
			want := base.JoinPath(append(tt.segments, "did.json")...)
			if len(tt.segments) == 0 {
				want = base.JoinPath(".well-known", "did.json")
			}
			if u.String() != want.String() {
				t.Fatalf("DocumentURL = %s, want %s", u, want)
			}
		})
	}
}
