package dpop_test

import (
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/internal/dpop"
)

// Examples of RFC 9449, signed by the RFC's authors with the key of Figure 4.
const (
	// rfcJWK is the jwk header of Figure 4.
	rfcJWK = `{"kty":"EC","x":"l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs","y":"9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA","crv":"P-256"}`
	// rfcJKT is the cnf.jkt of Figure 9: "the hash of the public key from the DPoP proofs".
	rfcJKT = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"
	// rfcTokenProof is Figure 2 (POST https://server.example.com/token, iat 1562262616).
	rfcTokenProof = "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIiwieCI6Imw4dEZyaHgtMzR0VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCRnMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERWclUwQ2R2R1JEQSIsImNydiI6IlAtMjU2In19.eyJqdGkiOiItQndDM0VTYzZhY2MybFRjIiwiaHRtIjoiUE9TVCIsImh0dSI6Imh0dHBzOi8vc2VydmVyLmV4YW1wbGUuY29tL3Rva2VuIiwiaWF0IjoxNTYyMjYyNjE2fQ.2-GxA6T8lP4vfrg8v-FdWP0A0zdrj8igiMLvqRMUvwnQg4PtFLbdLXiOSsX0x7NVY-FNyJK70nfbV37xRZT3Lg"
	// rfcResourceProof is Figure 13 (GET https://resource.example.org/protectedresource,
	// iat 1562262618, ath of the access token of Figure 6).
	rfcResourceProof = "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIiwieCI6Imw4dEZyaHgtMzR0VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCRnMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERWclUwQ2R2R1JEQSIsImNydiI6IlAtMjU2In19.eyJqdGkiOiJlMWozVl9iS2ljOC1MQUVCIiwiaHRtIjoiR0VUIiwiaHR1IjoiaHR0cHM6Ly9yZXNvdXJjZS5leGFtcGxlLm9yZy9wcm90ZWN0ZWRyZXNvdXJjZSIsImlhdCI6MTU2MjI2MjYxOCwiYXRoIjoiZlVIeU8ycjJaM0RaNTNFc05yV0JiMHhXWG9hTnk1OUlpS0NBcWtzbVFFbyJ9.2oW9RP35yRqzhrtNP86L-Ey71EOptxRimPPToA1plemAgR6pxHF8y6-yqyVnmcw6Fy1dqd-jfxSYoMxhAJpLjA"
	// rfcAccessToken is the access token of Figure 6; rfcATH its ath in Figure 14.
	rfcAccessToken = "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"
	rfcATH         = "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo"
)

func TestRFC9449Thumbprint(t *testing.T) {
	pub, err := did.ParseJWK([]byte(rfcJWK))
	if err != nil {
		t.Fatal(err)
	}
	got, err := dpop.Thumbprint(pub)
	if err != nil || got != rfcJKT {
		t.Fatalf("Thumbprint = %q, %v; want %s (RFC 9449 Figure 9)", got, err, rfcJKT)
	}
}

func TestRFC9449AccessTokenHash(t *testing.T) {
	if got := dpop.AccessTokenHash(rfcAccessToken); got != rfcATH {
		t.Fatalf("AccessTokenHash = %q, want %s (RFC 9449 Figure 14)", got, rfcATH)
	}
}

func TestRFC9449Proofs(t *testing.T) {
	at := func(unix int64) func() time.Time { return func() time.Time { return time.Unix(unix, 0) } }
	tests := []struct {
		name     string
		proof    string
		opts     dpop.VerifyOptions
		wantJTI  string
		wantCode string
	}{
		{name: "ok - Figure 2 token request", proof: rfcTokenProof, wantJTI: "-BwC3ESc6acc2lTc",
			opts: dpop.VerifyOptions{Method: "POST", URL: "https://server.example.com/token", Now: at(1562262616), JKT: rfcJKT}},
		{name: "ok - Figure 13 resource request", proof: rfcResourceProof, wantJTI: "e1j3V_bKic8-LAEB",
			opts: dpop.VerifyOptions{Method: "GET", URL: "https://resource.example.org/protectedresource", Now: at(1562262618), AccessToken: rfcAccessToken, JKT: rfcJKT}},
		{name: "error - Figure 13 with another access token", proof: rfcResourceProof, wantCode: dpop.CodeInvalidProof,
			opts: dpop.VerifyOptions{Method: "GET", URL: "https://resource.example.org/protectedresource", Now: at(1562262618), AccessToken: "other"}},
		{name: "error - Figure 2 an hour later", proof: rfcTokenProof, wantCode: dpop.CodeInvalidProof,
			opts: dpop.VerifyOptions{Method: "POST", URL: "https://server.example.com/token", Now: at(1562262616 + 3600)}},
		{name: "error - Figure 2 at the resource", proof: rfcTokenProof, wantCode: dpop.CodeInvalidProof,
			opts: dpop.VerifyOptions{Method: "POST", URL: "https://resource.example.org/protectedresource", Now: at(1562262616)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := dpop.Verify(tt.proof, tt.opts)
			if tt.wantCode != "" {
				assertError(t, err, tt.wantCode, "")
				return
			}
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if got.JKT != rfcJKT || got.JTI != tt.wantJTI || got.IssuedAt.Unix() != tt.opts.Now().Unix() {
				t.Fatalf("proof %+v", got)
			}
		})
	}
}
