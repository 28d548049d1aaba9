package dpop_test

import (
	"crypto/elliptic"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/internal/dpop"
)

// FuzzVerify feeds arbitrary header values to Verify: it must never panic, and whatever it
// accepts must be a proof for the request it was asked about.
func FuzzVerify(f *testing.F) {
	key := ecKey(f, elliptic.P256())
	good, err := dpop.New(key, "POST", tokenURL, serverNonce, "", testNow)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(rfcTokenProof)
	f.Add(rfcResourceProof)
	f.Add("eyJhbGciOiJub25lIn0.eA.")
	f.Add("..")
	f.Add("a.b.c")
	opts := dpop.VerifyOptions{Method: "POST", URL: tokenURL, Now: func() time.Time { return testNow }}
	f.Fuzz(func(t *testing.T, proof string) {
		p, err := dpop.Verify(proof, opts)
		if err != nil {
			if _, ok := err.(*dpop.Error); !ok {
				t.Fatalf("error %v is not a *dpop.Error", err)
			}
			return
		}
		if p.Method != "POST" || p.JWK == nil || p.JKT == "" || p.JTI == "" {
			t.Fatalf("accepted %+v", p)
		}
		if n, _ := dpop.NormalizeURL(p.URL); n != tokenURL {
			t.Fatalf("accepted htu %q for %s", p.URL, tokenURL)
		}
	})
}

// FuzzNormalizeURL: normalising never panics and is idempotent.
func FuzzNormalizeURL(f *testing.F) {
	for _, s := range []string{tokenURL, "HTTP://[::1]:80/a/../%7e", "https://x/%2e%2E/", "https:opaque", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, u string) {
		n, err := dpop.NormalizeURL(u)
		if err != nil {
			return
		}
		again, err := dpop.NormalizeURL(n)
		if err != nil || again != n {
			t.Fatalf("NormalizeURL(%q) = %q, then %q, %v", u, n, again, err)
		}
	})
}
