package wallet_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/sociaaldomein/bewijs/wallet"
)

const offerJSON = `{"credential_issuer":"https://bewijs.example/o/gemeente-utrecht","credential_configuration_ids":["wmo_beschikking_dc_sd_jwt"],"grants":{"urn:ietf:params:oauth:grant-type:pre-authorized_code":{"pre-authorized_code":"abc","tx_code":{"input_mode":"numeric","length":6}}}}`

func TestResolveOfferByValue(t *testing.T) {
	c := &wallet.Client{}
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{"ok - JSON", offerJSON, true},
		{"ok - link by value", "openid-credential-offer://?credential_offer=" + url.QueryEscape(offerJSON), true},
		{"error - both by value and by reference", "openid-credential-offer://?credential_offer=" + url.QueryEscape(offerJSON) + "&credential_offer_uri=https%3A%2F%2Fx", false},
		{"error - neither", "openid-credential-offer://?x=1", false},
		{"error - no issuer", `{"credential_configuration_ids":["a"]}`, false},
		{"error - no configurations", `{"credential_issuer":"https://x"}`, false},
		{"error - not JSON", "{", false},
		{"error - not a link", "hallo", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			offer, err := c.ResolveOffer(context.Background(), tt.in)
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok=%v", err, tt.ok)
			}
			if tt.ok && (offer.CredentialIssuer != "https://bewijs.example/o/gemeente-utrecht" || offer.Grants.PreAuthorizedCode.TxCode.Length != 6) {
				t.Fatalf("offer = %+v", offer)
			}
		})
	}
}

// FuzzResolveOffer: what a QR code holds is untrusted; parsing it must never panic. Inputs
// that would make a request are skipped (no network in fuzzing).
func FuzzResolveOffer(f *testing.F) {
	f.Add(offerJSON)
	f.Add("openid-credential-offer://?credential_offer=" + url.QueryEscape(offerJSON))
	f.Add("openid-credential-offer://?credential_offer=%7B")
	c := &wallet.Client{}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := url.Parse(s)
		if len(s) >= 4 && (s[:4] == "http" || (err == nil && u.Query().Get("credential_offer_uri") != "")) {
			t.Skip()
		}
		_, _ = c.ResolveOffer(context.Background(), s)
	})
}
