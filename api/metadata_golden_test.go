package api_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// The wire documents wallets read are pinned with golden JSON (host and port replaced by
// HOST): issuer metadata, authorization server metadata and a credential offer's shape.
func TestWireDocumentsGolden(t *testing.T) {
	s, key := issuanceServer(t, migrationstest.Engines()[0])
	c := s.createBeschikking(t, key, "01-wmo-hbh-minuten-per-week.json", "?tx_code=true")
	host := strings.TrimPrefix(s.URL, "http://")
	for _, tt := range []struct{ name, path string }{
		{"issuer-metadata", "/.well-known/openid-credential-issuer/o/gemeente-amsterdam"},
		{"authorization-server-metadata", "/.well-known/oauth-authorization-server/o/gemeente-amsterdam"},
		{"credential-offer", strings.TrimPrefix(c.CredentialOfferURI, s.URL)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := s.do(t, "GET", tt.path, "", "", nil)
			if res.Status != 200 {
				t.Fatalf("%d %s", res.Status, res.Body)
			}
			var v any
			res.json(t, &v)
			got, _ := json.MarshalIndent(v, "", "  ")
			got = bytes.ReplaceAll(got, []byte(host), []byte("HOST"))
			if tt.name == "credential-offer" {
				got = redactCode(t, got)
			}
			golden := filepath.Join("testdata", tt.name+".golden.json")
			if *update {
				if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(bytes.TrimSpace(want), bytes.TrimSpace(got)) {
				t.Fatalf("%s changed:\n%s\nwant:\n%s", tt.name, got, want)
			}
		})
	}
}

// redactCode replaces the random pre-authorized code.
func redactCode(t *testing.T, b []byte) []byte {
	var offer map[string]any
	if err := json.Unmarshal(b, &offer); err != nil {
		t.Fatal(err)
	}
	grants := offer["grants"].(map[string]any)
	pre := grants["urn:ietf:params:oauth:grant-type:pre-authorized_code"].(map[string]any)
	pre["pre-authorized_code"] = "CODE"
	out, _ := json.MarshalIndent(offer, "", "  ")
	return out
}
