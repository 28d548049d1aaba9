package web_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/did/web"
)

func FuzzDocumentURL(f *testing.F) {
	for _, s := range []string{
		"did:web:example.com", "did:web:localhost%3A8080:o:gemeente-utrecht", "did:web:example.com:..:x",
		"did:web:127.0.0.1%3A1", "did:web:a%2Fb", "did:web:example.com:c%20d", "did:web:[::1]",
	} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, id string, insecure bool) {
		u, err := web.DocumentURL(id, insecure)
		if err != nil {
			if did.KindOf(err) == 0 {
				t.Fatalf("untyped error: %v", err)
			}
			return
		}
		if !strings.HasSuffix(u.Path, "/did.json") || strings.Contains(u.Path, "/../") || u.RawQuery != "" {
			t.Fatalf("unexpected document URL %s for %q", u, id)
		}
		if u.Scheme == "http" && (!insecure || (u.Hostname() != "localhost" && u.Hostname() != "127.0.0.1")) {
			t.Fatalf("plain http for %q", id)
		}
		back, err := url.Parse(u.String())
		if err != nil || back.Host != u.Host {
			t.Fatalf("document URL %s does not re-parse to the same host", u)
		}
	})
}
