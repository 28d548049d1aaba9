package did

import (
	"strings"
	"testing"
)

// splitCase is an input of a parser that splits it in two, and the parts it must give; an
// error must be InvalidDID.
type splitCase struct {
	name         string
	in           string
	want1, want2 string
	wantErr      bool
}

func checkSplit(t *testing.T, split func(string) (string, string, error), tests []splitCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b, err := split(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil {
				if KindOf(err) != InvalidDID {
					t.Fatalf("kind = %v, want InvalidDID", KindOf(err))
				}
				return
			}
			if a != tt.want1 || b != tt.want2 {
				t.Fatalf("got (%q, %q), want (%q, %q)", a, b, tt.want1, tt.want2)
			}
		})
	}
}

// ParseDID gives the method and the method-specific id.
func TestParseDID(t *testing.T) {
	checkSplit(t, ParseDID, []splitCase{
		{"ok - web", "did:web:example.com", "web", "example.com", false},
		{"ok - web with port and path", "did:web:localhost%3A8080:o:gemeente-utrecht", "web", "localhost%3A8080:o:gemeente-utrecht", false},
		{"ok - key", "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", "key", "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", false},
		{"ok - empty inner segment", "did:example::a", "example", ":a", false},
		{"error - no prefix", "web:example.com", "", "", true},
		{"error - upper case method", "did:WEB:example.com", "", "", true},
		{"error - empty method", "did::example.com", "", "", true},
		{"error - no specific id", "did:web:", "", "", true},
		{"error - trailing colon", "did:web:example.com:", "", "", true},
		{"error - fragment", "did:web:example.com#key-1", "", "", true},
		{"error - bad percent encoding", "did:web:example.com%3", "", "", true},
		{"error - space", "did:web:exa mple.com", "", "", true},
		{"error - too long", "did:web:" + strings.Repeat("a", MaxLength), "", "", true},
	})
}

// ParseDIDURL gives the DID and the fragment.
func TestParseDIDURL(t *testing.T) {
	checkSplit(t, ParseDIDURL, []splitCase{
		{"ok - fragment", "did:web:example.com#key-1", "did:web:example.com", "key-1", false},
		{"ok - no fragment", "did:web:example.com", "did:web:example.com", "", false},
		{"ok - did:key fragment", "did:key:z6Mk#z6Mk", "did:key:z6Mk", "z6Mk", false},
		{"ok - fragment with pct and slash", "did:web:a#k%20/1?x", "did:web:a", "k%20/1?x", false},
		{"error - path", "did:web:example.com/path#key-1", "", "", true},
		{"error - query", "did:web:example.com?versionId=1#key-1", "", "", true},
		{"error - empty query", "did:web:example.com?#key-1", "", "", true},
		{"error - empty path", "did:web:example.com/", "", "", true},
		{"error - relative", "#key-1", "", "", true},
		{"error - bad fragment char", "did:web:example.com#key 1", "", "", true},
		{"error - second hash", "did:web:example.com#a#b", "", "", true},
		{"error - empty", "", "", "", true},
	})
}

func TestMethod(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"ok - DID", "did:web:example.com", "web"},
		{"ok - DID URL", "did:jwk:eyJ9#0", "jwk"},
		{"ok - DID URL with path", "did:example:123/path?q=1#f", "example"},
		{"error - not a DID", "https://example.com", ""},
		{"error - empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Method(tt.in); got != tt.want {
				t.Fatalf("Method(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
