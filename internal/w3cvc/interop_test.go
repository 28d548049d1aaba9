package w3cvc

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/did"
)

// npmPeersDir holds the npm test peers (testdata/peers), relative to this package.
var npmPeersDir = filepath.Join("..", "..", "testdata", "peers")

// requireNPMPeers fails (never skips) when node or an npm test peer is missing: the interop
// check is the point of the test.
func requireNPMPeers(t *testing.T, packages ...string) {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		t.Fatalf("node is not installed: %v (run `make test` on a machine with Node.js)", err)
	}
	for _, p := range packages {
		if _, err := os.Stat(filepath.Join(npmPeersDir, "node_modules", p, "package.json")); err != nil {
			t.Fatalf("npm test peer %s is not installed in %s/node_modules (%v): run `make test`, which installs them", p, npmPeersDir, err)
		}
	}
}

// runNPMPeer runs a node script from testdata/peers with stdin and returns its stdout; the
// error carries the script's stderr.
func runNPMPeer(t *testing.T, script string, stdin []byte) ([]byte, error) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), "node", filepath.Join(npmPeersDir, script))
	cmd.Stdin = bytes.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.Bytes(), fmt.Errorf("node %s: %w\n%s", script, err, stderr.String())
	}
	return stdout.Bytes(), nil
}

// Interop: an independent implementation (npm jose for the JWS, ajv with the VC Data Model
// 1.1 schema of testdata/peers/vc-1.1-schema.json, and the §6.3.1 claim rules) accepts the
// JWT VCs SignJWT makes, and refuses broken ones, so it is not a rubber stamp.
func TestInteropNodeVerifiesJWTVC(t *testing.T) {
	requireNPMPeers(t, "jose", "ajv", "ajv-formats")
	w := newWorld(t)
	sign := func(c Credential, p party) string {
		jwt, err := SignJWT(c, p.signer)
		if err != nil {
			t.Fatal(err)
		}
		return jwt
	}
	selfIssued := organisatieRol()
	selfIssued.Issuer, selfIssued.Status, selfIssued.ValidUntil = aanbiederDID, nil, time.Time{}
	list, err := StatusListCredential(statusListURL, ketenbureauDID, PurposeRevocation, listWith(t, MinBitstringBytes, 0, 7, 8, 94567, 131071), testNow, testNow.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	good := sign(organisatieRol(), w.ketenbureau)
	goodClaims := decodePart(t, good, 1)
	for _, tc := range []struct {
		name    string
		jwt     string
		issuer  party
		wantSet []int // the set indexes the peer reads from a status list
		wantErr string
	}{
		{name: "ok - OrganisatieRol, ES256, with a BitstringStatusListEntry", jwt: good, issuer: w.ketenbureau},
		{name: "ok - Ed25519 issuer, no status, no exp", jwt: sign(selfIssued, w.aanbieder), issuer: w.aanbieder},
		{name: "ok - BitstringStatusListCredential, bits read in the same order", jwt: sign(list, w.ketenbureau), issuer: w.ketenbureau, wantSet: []int{0, 7, 8, 94567, 131071}},
		{name: "error - payload changed after signing", jwt: tamper(good), issuer: w.ketenbureau, wantErr: "signature verification failed"},
		{name: "error - signed by another key", jwt: good, issuer: w.stranger, wantErr: "signature verification failed"},
		{name: "error - type without VerifiableCredential", jwt: signRaw(t, w.ketenbureau.signer, withVC(goodClaims, "type", []any{"OrganisatieRol"}), nil), issuer: w.ketenbureau, wantErr: "vc/type"},
		{name: "error - statusListIndex a number", jwt: signRaw(t, w.ketenbureau.signer, withVC(goodClaims, "credentialStatus", map[string]any{
			"id": statusListURL + "#1", "type": TypeStatusListEntry, "statusPurpose": "revocation", "statusListIndex": 1, "statusListCredential": statusListURL,
		}), nil), issuer: w.ketenbureau, wantErr: "vc/credentialStatus/statusListIndex must be string"},
		{name: "error - nbf differs from issuanceDate", jwt: signRaw(t, w.ketenbureau.signer, withVC(goodClaims, "issuanceDate", "2020-01-01T00:00:00Z"), nil), issuer: w.ketenbureau, wantErr: "nbf is not vc.issuanceDate"},
		{name: "error - jti differs from id", jwt: signRaw(t, w.ketenbureau.signer, withVC(goodClaims, "id", "urn:uuid:other"), nil), issuer: w.ketenbureau, wantErr: "jti is not vc.id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			jwk, err := did.PublicJWK(tc.issuer.signer.Key.Public())
			if err != nil {
				t.Fatal(err)
			}
			in, _ := json.Marshal(map[string]any{"jwt": tc.jwt, "jwk": json.RawMessage(jwk)})
			out, err := runNPMPeer(t, "w3cvc-verify.mjs", in)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("peer error = %v, want it to mention %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("the npm peer refused the credential: %v", err)
			}
			var got struct {
				Header     map[string]any `json:"header"`
				Claims     map[string]any `json:"claims"`
				StatusList *struct {
					Entries int   `json:"entries"`
					Set     []int `json:"set"`
				} `json:"statusList"`
			}
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatalf("peer output %s: %v", out, err)
			}
			if got.Claims["iss"] != tc.issuer.did || got.Header["kid"] != tc.issuer.signer.KeyID {
				t.Fatalf("peer saw iss %v, kid %v", got.Claims["iss"], got.Header["kid"])
			}
			if tc.wantSet != nil && (got.StatusList == nil || got.StatusList.Entries != 131072 || !slices.Equal(got.StatusList.Set, tc.wantSet)) {
				t.Fatalf("peer read status list %+v, want 131072 entries with %v set", got.StatusList, tc.wantSet)
			}
		})
	}
}
