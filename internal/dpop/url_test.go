package dpop_test

import (
	"testing"

	"github.com/sociaaldomein/bewijs/internal/dpop"
)

func TestNormalizeURL(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // "" means an error
	}{
		{"ok - already normal", "https://issuer.example/t/token", "https://issuer.example/t/token"},
		{"ok - scheme and host case", "HTTPS://Issuer.Example/T/token", "https://issuer.example/T/token"},
		{"ok - default https port", "https://issuer.example:443/token", "https://issuer.example/token"},
		{"ok - default http port", "http://localhost:80/token", "http://localhost/token"},
		{"ok - empty port", "https://issuer.example:/token", "https://issuer.example/token"},
		{"ok - other port kept", "https://issuer.example:8443/token", "https://issuer.example:8443/token"},
		{"ok - https on port 80 kept", "https://issuer.example:80/token", "https://issuer.example:80/token"},
		{"ok - port with leading zero", "http://localhost:08080/token", "http://localhost:8080/token"},
		{"ok - query and fragment dropped", "https://issuer.example/token?x=1&y#frag", "https://issuer.example/token"},
		{"ok - empty path", "https://issuer.example", "https://issuer.example/"},
		{"ok - trailing slash kept", "https://issuer.example/token/", "https://issuer.example/token/"},
		{"ok - dot segments", "https://issuer.example/a/./b/../token", "https://issuer.example/a/token"},
		{"ok - dot segments at the end", "https://issuer.example/a/b/..", "https://issuer.example/a/"},
		{"ok - dot segments above the root", "https://issuer.example/../../token", "https://issuer.example/token"},
		{"ok - encoded unreserved decoded", "https://issuer.example/%7Euser/%61%2D%5f", "https://issuer.example/~user/a-_"},
		{"ok - encoded reserved upper-cased", "https://issuer.example/a%2fb%3a", "https://issuer.example/a%2Fb%3A"},
		{"ok - encoded dot segment", "https://issuer.example/a/%2E%2E/token", "https://issuer.example/token"},
		{"ok - double slash kept", "https://issuer.example//token", "https://issuer.example//token"},
		{"ok - IPv6 host", "http://[::1]:8080/token", "http://[::1]:8080/token"},
		{"ok - IPv6 host default port", "https://[2001:DB8::1]:443/token", "https://[2001:db8::1]/token"},
		{"error - relative", "/token", ""},
		{"error - no host", "https:///token", ""},
		{"error - opaque", "https:issuer.example/token", ""},
		{"error - other scheme", "ftp://issuer.example/token", ""},
		{"error - userinfo", "https://user@issuer.example/token", ""},
		{"error - port out of range", "https://issuer.example:70000/token", ""},
		{"error - port zero", "https://issuer.example:0/token", ""},
		{"error - bad escape", "https://issuer.example/%zz", ""},
		{"error - empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := dpop.NormalizeURL(tt.in)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("NormalizeURL(%q) = %q, want an error", tt.in, got)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("NormalizeURL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
			// Normalising is idempotent.
			if again, err := dpop.NormalizeURL(got); err != nil || again != got {
				t.Fatalf("NormalizeURL(%q) = %q, %v; not idempotent", got, again, err)
			}
		})
	}
}
