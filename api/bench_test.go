package api_test

import (
	"io"
	"net/http"
	"testing"

	"github.com/sociaaldomein/bewijs/internal/demo"
	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
)

// BenchmarkDIDDocument serves a DID document over real HTTP (loopback, keep-alive), the
// request every verifier makes before its cache is warm.
func BenchmarkDIDDocument(b *testing.B) {
	for _, e := range migrationstest.Engines() {
		b.Run(e.Name, func(b *testing.B) {
			s := startServerTB(b, e.Open(b))
			if _, err := demo.Seed(b.Context(), s.Env.Service); err != nil {
				b.Fatal(err)
			}
			url := s.URL + "/o/gemeente-utrecht/did.json"
			b.ReportAllocs()
			for b.Loop() {
				res, err := http.Get(url)
				if err != nil {
					b.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != 200 {
					b.Fatalf("status %d", res.StatusCode)
				}
			}
		})
	}
}
