package did_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/sociaaldomein/bewijs/did"
)

func TestServiceEndpoint(t *testing.T) {
	const id = "did:web:bewijs.example:o:thuiszorg-de-linde"
	tests := []struct {
		name string
		doc  string
		want string
		ok   bool
	}{
		{"ok", `{"id":"` + id + `","service":[{"id":"#a","type":"LinkedDomains","serviceEndpoint":"https://x"},` +
			`{"id":"#credential-offer","type":"OID4VCICredentialOfferEndpoint","serviceEndpoint":"https://bewijs.example/o/thuiszorg-de-linde/credential-offer-endpoint"}]}`,
			"https://bewijs.example/o/thuiszorg-de-linde/credential-offer-endpoint", true},
		{"ok - type in a set", `{"id":"` + id + `","service":[{"id":"#o","type":["X","OID4VCICredentialOfferEndpoint"],"serviceEndpoint":"https://o"}]}`, "https://o", true},
		{"error - none", `{"id":"` + id + `"}`, "", false},
		{"error - endpoint is a map", `{"id":"` + id + `","service":[{"id":"#o","type":"OID4VCICredentialOfferEndpoint","serviceEndpoint":{"uri":"https://o"}}]}`, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := did.Parse([]byte(tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			got, ok := doc.ServiceEndpoint(did.ServiceTypeCredentialOffer)
			if got != tt.want || ok != tt.ok {
				t.Fatalf("ServiceEndpoint = %q, %v; want %q, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

// NewService round-trips through the JSON a DID document is served as.
func TestNewService(t *testing.T) {
	doc := did.Document{ID: "did:web:bewijs.example:o:a", Service: []did.Service{
		did.NewService("did:web:bewijs.example:o:a#credential-offer", did.ServiceTypeCredentialOffer, "https://bewijs.example/o/a/credential-offer-endpoint")}}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	const want = `"service":[{"id":"did:web:bewijs.example:o:a#credential-offer","type":"OID4VCICredentialOfferEndpoint","serviceEndpoint":"https://bewijs.example/o/a/credential-offer-endpoint"}]`
	if !strings.Contains(string(b), want) {
		t.Fatalf("document = %s", b)
	}
	back, err := did.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := back.ServiceEndpoint(did.ServiceTypeCredentialOffer); !ok || got != "https://bewijs.example/o/a/credential-offer-endpoint" {
		t.Fatalf("endpoint after round trip = %q, %v", got, ok)
	}
}
