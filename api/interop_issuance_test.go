package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
)

// npmPeersDir holds the npm test peers (testdata/peers), relative to this package.
var npmPeersDir = filepath.Join("..", "testdata", "peers")

// requireNPMPeers fails (never skips) when an npm test peer is not installed: the acceptance
// criteria depend on these independent implementations.
func requireNPMPeers(t *testing.T, packages ...string) {
	t.Helper()
	for _, p := range packages {
		if _, err := os.Stat(filepath.Join(npmPeersDir, "node_modules", p, "package.json")); err != nil {
			t.Fatalf("npm test peer %s is not installed in %s/node_modules (%v): run `make test`, which installs them", p, npmPeersDir, err)
		}
	}
}

// runNPMPeer runs a node script from testdata/peers with stdin and args and returns its stdout;
// the error carries the script's stderr. With WALLET_TRACE=1 the wallet logs each HTTP
// exchange to stderr, which is then logged here too.
func runNPMPeer(t *testing.T, script string, stdin []byte, args ...string) ([]byte, error) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), "node", append([]string{filepath.Join(npmPeersDir, script)}, args...)...)
	cmd.Stdin = bytes.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.Bytes(), fmt.Errorf("node %s: %w\n%s", script, err, stderr.String())
	}
	if stderr.Len() > 0 {
		t.Logf("node %s stderr:\n%s", script, stderr.String())
	}
	return stdout.Bytes(), nil
}

// nodeWalletResult is what testdata/peers/oid4vci-wallet.mjs prints in receive mode.
type nodeWalletResult struct {
	Credential    string         `json:"credential"`
	Header        map[string]any `json:"header"`
	Claims        map[string]any `json:"claims"`
	Status        int            `json:"status"`
	LibraryStatus int            `json:"libraryStatus"`
	Bits          int            `json:"bits"`
	Draft         string         `json:"draft"`
	TokenType     string         `json:"tokenType"`
	DPoP          bool           `json:"dpop"`
	Notified      bool           `json:"notified"`
	// NotificationWorkaround is set when the notification needed a DPoP nonce the server
	// had not sent with its use_dpop_nonce answer (see the wallet's notify).
	NotificationWorkaround string `json:"notificationWorkaround"`
	AuthorizationDetails   []struct {
		Type                      string   `json:"type"`
		CredentialConfigurationID string   `json:"credential_configuration_id"`
		CredentialIdentifiers     []string `json:"credential_identifiers"`
	} `json:"authorizationDetails"`
}

// nodeStatusResult is what the wallet prints in status mode.
type nodeStatusResult struct {
	Status int    `json:"status"`
	Idx    int    `json:"idx"`
	URI    string `json:"uri"`
}

const wmoVCT = "urn:nl:sociaaldomein:wmo:toewijzing:1"

// nodeReceive runs the npm wallet on an offer; byIdentifier makes it name the credential by
// the credential_identifier of the token response instead of its configuration id.
func nodeReceive(t *testing.T, offerLink, txCode string, byIdentifier bool) (nodeWalletResult, error) {
	t.Helper()
	in, _ := json.Marshal(map[string]any{"mode": "receive", "offer": offerLink, "txCode": txCode, "vct": wmoVCT, "byIdentifier": byIdentifier})
	out, err := runNPMPeer(t, "oid4vci-wallet.mjs", in)
	if err != nil {
		return nodeWalletResult{}, err
	}
	var r nodeWalletResult
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("node wallet output %s: %v", out, err)
	}
	return r, nil
}

func nodeStatus(t *testing.T, credential string) nodeStatusResult {
	t.Helper()
	in, _ := json.Marshal(map[string]string{"mode": "status", "credential": credential})
	out, err := runNPMPeer(t, "oid4vci-wallet.mjs", in)
	if err != nil {
		t.Fatal(err)
	}
	var r nodeStatusResult
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("node wallet status output %s: %v", out, err)
	}
	return r
}

// Acceptance: a wallet built from npm packages (@openid4vc/openid4vci, @sd-jwt/sd-jwt-vc,
// @sd-jwt/jwt-status-list) receives and verifies a credential from a running bewijs server,
// with the issuer key it resolves itself through did:web, and sees its revocation.
func TestInteropNodeWallet(t *testing.T) {
	requireNPMPeers(t, "@openid4vc/openid4vci", "@openid4vc/oauth2", "@sd-jwt/sd-jwt-vc", "@sd-jwt/jwt-status-list", "@sd-jwt/crypto-nodejs", "jose")
	for _, e := range migrationstest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			s, key := issuanceServer(t, e)
			for _, tc := range []struct {
				name         string
				byIdentifier bool
			}{
				// @openid4vc/openid4vci 0.4.6 names the credential by credential_configuration_id.
				{name: "ok - receive by configuration id, verify, revoke"},
				// §8.2: credential_identifier from the token response's authorization_details.
				{name: "ok - receive by credential_identifier, verify, revoke", byIdentifier: true},
			} {
				t.Run(tc.name, func(t *testing.T) {
					c := s.createBeschikking(t, key, "01-wmo-hbh-minuten-per-week.json", "?tx_code=true")
					got, err := nodeReceive(t, c.OfferLink, c.TxCode, tc.byIdentifier)
					if err != nil {
						t.Fatalf("the npm wallet could not receive the credential: %v", err)
					}
					assertNodeCredential(t, s, got)
					assertIssuedViaAdmin(t, s, key, c.ID)

					res := s.postJSON(t, "/api/v1/beschikkingen/"+c.ID+"/revoke", key, map[string]string{"reason": "verhuisd naar andere gemeente"})
					if res.Status != http.StatusOK {
						t.Fatalf("revoke: %d %s", res.Status, res.Body)
					}
					if st := nodeStatus(t, got.Credential); st.Status != 1 { // draft-ietf-oauth-status-list §7.1: 0x01 INVALID
						t.Fatalf("status after revocation = %+v, want INVALID (1)", st)
					}
				})
			}
			t.Run("error - wrong tx_code", func(t *testing.T) {
				c := s.createBeschikking(t, key, "01-wmo-hbh-minuten-per-week.json", "?tx_code=true")
				_, err := nodeReceive(t, c.OfferLink, wrongDigits(c.TxCode), false)
				// OpenID4VCI 1.0 §6.3: a wrong Transaction Code is invalid_grant.
				if err == nil || !strings.Contains(err.Error(), "invalid_grant") {
					t.Fatalf("wrong tx_code: err = %v, want the library to report invalid_grant", err)
				}
			})
		})
	}
}

// assertNodeCredential checks what the npm wallet received and verified.
func assertNodeCredential(t *testing.T, s *testServer, got nodeWalletResult) {
	t.Helper()
	client, _ := got.Claims["client"].(map[string]any)
	gemeente, _ := got.Claims["gemeente"].(map[string]any)
	if got.Claims["vct"] != wmoVCT || client["bsn"] != "999991772" || gemeente["code"] != "0363" {
		t.Fatalf("disclosed claims = %v", got.Claims)
	}
	wantIss := "did:web:" + strings.ReplaceAll(strings.TrimPrefix(s.URL, "http://"), ":", "%3A") + ":o:gemeente-amsterdam"
	kid, _ := got.Header["kid"].(string)
	if got.Claims["iss"] != wantIss || !strings.HasPrefix(kid, wantIss+"#") || got.Header["typ"] != "dc+sd-jwt" {
		t.Fatalf("iss = %v, header = %v", got.Claims["iss"], got.Header)
	}
	if got.Status != 0 || got.LibraryStatus != 0 || got.Bits != 2 { // §7.1: 0x00 VALID
		t.Fatalf("status before revocation = %d (library %d, %d bits), want VALID (0) with 2 bits", got.Status, got.LibraryStatus, got.Bits)
	}
	// The library took the metadata for 1.0, used DPoP (the server's use_dpop_nonce dance
	// included) and reached the notification endpoint.
	if got.Draft != "V1" || got.TokenType != "DPoP" || !got.DPoP || !got.Notified {
		t.Fatalf("flow: draft %q, token_type %q, dpop %v, notified %v", got.Draft, got.TokenType, got.DPoP, got.Notified)
	}
	if got.NotificationWorkaround != "" {
		t.Errorf("the notification endpoint answered use_dpop_nonce without a DPoP-Nonce header (RFC 9449 §9); the npm library alone gives up: %s", got.NotificationWorkaround)
	}
	if len(got.AuthorizationDetails) != 1 || got.AuthorizationDetails[0].Type != "openid_credential" || len(got.AuthorizationDetails[0].CredentialIdentifiers) != 1 {
		t.Fatalf("authorization_details = %+v", got.AuthorizationDetails)
	}
}

// assertIssuedViaAdmin checks through the admin API that the server recorded the issuance.
func assertIssuedViaAdmin(t *testing.T, s *testServer, key, id string) {
	t.Helper()
	res := s.do(t, http.MethodGet, "/api/v1/beschikkingen/"+id, key, "", nil)
	var v struct {
		State       string `json:"state"`
		Credentials []struct {
			IssuedAt *string `json:"issued_at"`
		} `json:"credentials"`
	}
	res.json(t, &v)
	if res.Status != http.StatusOK || v.State != "issued" || len(v.Credentials) != 1 || v.Credentials[0].IssuedAt == nil {
		t.Fatalf("beschikking after the npm wallet received it: %d %s", res.Status, res.Body)
	}
}

// wrongDigits changes every digit of a numeric code.
func wrongDigits(code string) string {
	b := []byte(code)
	for k, c := range b {
		b[k] = '0' + (c-'0'+1)%10
	}
	return string(b)
}
