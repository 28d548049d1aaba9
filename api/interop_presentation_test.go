package api_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
	"github.com/sociaaldomein/bewijs/verifier/oid4vp"
	"github.com/sociaaldomein/bewijs/wallet"
)

// Interop: a wallet built from npm @openid4vc/openid4vp and @sd-jwt/sd-jwt-vc
// (testdata/peers/oid4vp-wallet.mjs) presents a bewijs credential to bewijs' verifier, which
// accepts it with exactly the requested claims, for both response modes.
func TestInteropNodeWalletPresents(t *testing.T) {
	requireNPMPeers(t, "@openid4vc/openid4vp", "@sd-jwt/sd-jwt-vc")
	for _, tc := range []struct{ mode, prefix string }{
		{oid4vp.ResponseModeDirectPost, "decentralized_identifier"},
		{oid4vp.ResponseModeDirectPostJWT, "x509_hash"},
	} {
		t.Run(tc.mode+"/"+tc.prefix, func(t *testing.T) {
			env := newPresentationEnv(t, migrationstest.Engines()[0])
			if tc.prefix == "x509_hash" {
				env.certify(t, verifierSlug)
			}
			c := env.createPresentation(t, map[string]any{"query": "zorgstart", "response_mode": tc.mode})
			in, _ := json.Marshal(map[string]any{"link": c.AuthorizationRequest, "credential": env.Cred.Raw,
				"holder_jwk": json.RawMessage(privateJWK(env.HolderKey.Private))})
			out, err := runNPMPeer(t, "oid4vp-wallet.mjs", in)
			if err != nil {
				t.Fatal(err)
			}
			var res struct {
				Status   int    `json:"status"`
				ClientID string `json:"client_id"`
			}
			if err := json.Unmarshal(out, &res); err != nil || res.Status != http.StatusOK || res.ClientID != c.ClientID {
				t.Fatalf("node wallet: %s (%v)", out, err)
			}
			v := env.showPresentation(t, c.ID)
			if v.State != "verified" || len(v.Result.Credentials) != 1 {
				t.Fatalf("state %s result %+v", v.State, v.Result)
			}
			if paths := flatPaths(v.Result.Credentials[0].Claims, ""); !slices.Equal(paths, zorgstartPaths) {
				t.Fatalf("disclosed %v, want exactly %v", paths, zorgstartPaths)
			}
		})
	}
}

// Interop: bewijs' wallet presents to a verifier built from the npm packages
// (testdata/peers/oid4vp-verifier.mjs), which verifies the issuer signature through the
// gemeente's did:web, the disclosures, the key binding and the status list.
func TestInteropWalletPresentsToNodeVerifier(t *testing.T) {
	requireNPMPeers(t, "@openid4vc/openid4vp", "@sd-jwt/sd-jwt-vc")
	for _, tc := range []struct{ mode, prefix string }{
		{oid4vp.ResponseModeDirectPost, "decentralized_identifier"},
		{oid4vp.ResponseModeDirectPostJWT, "x509_hash"},
	} {
		t.Run(tc.mode+"/"+tc.prefix, func(t *testing.T) {
			s, gkey := issuanceServer(t, migrationstest.Engines()[0])
			w := s.walletWithBeschikking(t, gkey)
			query, err := s.Policies.NamedQuery(t.Context(), "zorgstart")
			if err != nil {
				t.Fatal(err)
			}
			cfg, _ := json.Marshal(map[string]any{"dcql_query": json.RawMessage(query), "response_mode": tc.mode,
				"client_id_prefix": tc.prefix, "issuer_did_web_insecure": true, "check_status": true, "timeout_seconds": 30})
			lines, wait := startNodeVerifier(t, cfg)
			var started struct {
				Link     string `json:"link"`
				ClientID string `json:"client_id"`
			}
			if err := json.Unmarshal(<-lines, &started); err != nil || started.Link == "" {
				t.Fatalf("node verifier did not start: %v", err)
			}
			if _, err := w.Present(t.Context(), started.Link, wallet.PresentOptions{InsecureLocalhost: true},
				func(wallet.Request, wallet.Plan) bool { return true }); err != nil {
				t.Fatal(err)
			}
			var result struct {
				Verified bool                      `json:"verified"`
				Error    string                    `json:"error"`
				Claims   map[string]map[string]any `json:"claims"`
			}
			if err := json.Unmarshal(<-lines, &result); err != nil || !result.Verified {
				t.Fatalf("node verifier: %+v (%v)", result, err)
			}
			if err := wait(); err != nil {
				t.Fatalf("node verifier exit: %v", err)
			}
			claims := result.Claims["toewijzing"]
			if client, ok := claims["client"]; ok {
				t.Fatalf("the wallet disclosed client data that was not asked: %v", client)
			}
			if g, _ := claims["gemeente"].(map[string]any); g["code"] != "0363" || claims["vct"] != "urn:nl:sociaaldomein:wmo:toewijzing:1" {
				t.Fatalf("claims = %v", claims)
			}
		})
	}
}

// startNodeVerifier runs testdata/peers/oid4vp-verifier.mjs with cfg and returns its stdout
// lines and a function that waits for it to exit.
func startNodeVerifier(t *testing.T, cfg []byte) (<-chan []byte, func() error) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), "node", filepath.Join(npmPeersDir, "oid4vp-verifier.mjs"))
	cmd.Stdin = bytes.NewReader(cfg)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan []byte, 2)
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			lines <- append([]byte(nil), sc.Bytes()...)
		}
		close(lines)
	}()
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("node verifier stderr:\n%s", stderr.String())
		}
	})
	return lines, cmd.Wait
}
