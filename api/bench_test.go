package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/sociaaldomein/bewijs/internal/demo"
	"github.com/sociaaldomein/bewijs/internal/fixtures"
	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
	"github.com/sociaaldomein/bewijs/wallet"
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

// BenchmarkIssuanceHTTP is one full issuance over real HTTP per iteration: offer by
// reference, both metadata documents, token with DPoP (and its nonce round trip), c_nonce,
// credential with one proof, verification in the wallet and the notification. Creating
// the beschikking is outside the timer.
func BenchmarkIssuanceHTTP(b *testing.B) {
	for _, e := range migrationstest.Engines() {
		b.Run(e.Name, func(b *testing.B) {
			s := startServerTB(b, e.Open(b))
			if _, err := demo.Seed(b.Context(), s.Env.Service); err != nil {
				b.Fatal(err)
			}
			key, err := s.Env.Service.NewAPIKey(b.Context(), tenant.CLI, "gemeente-amsterdam", false)
			if err != nil {
				b.Fatal(err)
			}
			doc, err := fixtures.Toewijzing("01-wmo-hbh-minuten-per-week.json")
			if err != nil {
				b.Fatal(err)
			}
			w := &wallet.Client{Resolver: s.Resolver}
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				link := createOfferTB(b, s, key, doc)
				b.StartTimer()
				creds, _, err := w.Receive(b.Context(), link, wallet.ReceiveOptions{})
				if err != nil || len(creds) != 1 {
					b.Fatalf("receive: %v (%d credentials)", err, len(creds))
				}
			}
		})
	}
}

func createOfferTB(b *testing.B, s *testServer, key string, doc []byte) string {
	req, _ := http.NewRequestWithContext(b.Context(), http.MethodPost, s.URL+"/api/v1/beschikkingen", bytes.NewReader(doc))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	var created struct {
		OfferLink string `json:"offer_link"`
	}
	if err := json.NewDecoder(res.Body).Decode(&created); err != nil || created.OfferLink == "" {
		b.Fatalf("create: %d %v", res.StatusCode, err)
	}
	return created.OfferLink
}
