package sdjwt

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/internal/jose"
)

// The independent peer is @sd-jwt/sd-jwt-vc 0.19 (with @sd-jwt/crypto-nodejs), run by the
// scripts in testdata/peers. These tests use the real clock: the peer does.
var peersDir = filepath.Join("..", "..", "testdata", "peers")

// runPeer runs a node script from testdata/peers and returns its standard output.
func runPeer(t *testing.T, stdin []byte, script string, args ...string) []byte {
	t.Helper()
	if _, err := os.Stat(filepath.Join(peersDir, "node_modules", "@sd-jwt", "sd-jwt-vc")); err != nil {
		t.Fatalf("the npm test peers are not installed (%v); run `make test` or `npm ci --prefix testdata/peers`", err)
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Fatalf("node is not installed (%v); it is needed for the npm test peers (`make test`)", err)
	}
	cmd := exec.Command("node", append([]string{filepath.Join(peersDir, script)}, args...)...)
	cmd.Stdin = bytes.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("node %s: %v: %s", script, err, stderr.String())
	}
	return stdout.Bytes()
}

// TestInterop_GoIssuesPeerVerifies: an SD-JWT VC that Go issued and presented with a
// KB-JWT verifies with @sd-jwt/sd-jwt-vc, which sees exactly the claims Go's Verify sees.
func TestInterop_GoIssuesPeerVerifies(t *testing.T) {
	issuerKey, holderKey := newKey(t), newKey(t)
	now := time.Now()
	claims := testClaims(t, holderKey, now)
	issued, err := Issue(claims, IssueOptions{
		Signer:      jose.Signer{KeyID: "did:web:gemeente.example.nl#key-1", Key: issuerKey},
		Header:      map[string]any{"typ": "dc+sd-jwt"},
		Disclosable: testDisclosable,
		Decoys:      3,
	})
	if err != nil {
		t.Fatal(err)
	}
	const aud, nonce = "https://verifier.example.org/interop", "nonce-go-to-peer"
	kb := &KeyBinding{Signer: jose.Signer{Key: holderKey}, Audience: aud, Nonce: nonce, IssuedAt: now}
	presentation, err := Present(issued.Compact, keepPaths("client.bsn", "product", "product.code"), kb)
	if err != nil {
		t.Fatal(err)
	}
	ours := verifyOurs(t, presentation, issuerKey.Public(), aud, nonce)
	issuerJWK, err := did.PublicJWK(issuerKey.Public())
	if err != nil {
		t.Fatal(err)
	}
	input, _ := json.Marshal(map[string]any{"sdjwt": presentation, "issuerJwk": issuerJWK, "aud": aud, "nonce": nonce})

	out := runPeer(t, input, "sdjwt-verify.mjs")

	var peer struct {
		Header map[string]any `json:"header"`
		Claims map[string]any `json:"claims"`
		KB     map[string]any `json:"kb"`
	}
	if err := json.Unmarshal(out, &peer); err != nil {
		t.Fatalf("peer output %s: %v", out, err)
	}
	assertSameJSON(t, peer.Claims, ours.Claims)
	client := peer.Claims["client"].(map[string]any)
	if _, leaked := client["naam"]; leaked || client["bsn"] != "999991772" {
		t.Fatalf("peer sees client %v, want only the BSN", client)
	}
	if peer.Header["typ"] != "dc+sd-jwt" || peer.KB["aud"] != aud || peer.KB["nonce"] != nonce {
		t.Fatalf("peer header %v, KB %v", peer.Header, peer.KB)
	}
}

// TestInterop_PeerIssuesGoVerifies: an SD-JWT VC+KB that @sd-jwt/sd-jwt-vc issued (nested
// and recursive disclosures, decoys) and presented passes Go's Parse and Verify, which
// give back the claims the peer issued.
func TestInterop_PeerIssuesGoVerifies(t *testing.T) {
	const aud, nonce = "https://verifier.example.org/interop", "nonce-peer-to-go"

	out := runPeer(t, nil, "sdjwt-issue.mjs", aud, nonce)

	var peer struct {
		SDJWT     string          `json:"sdjwt"`
		IssuerJWK json.RawMessage `json:"issuerJwk"`
		Claims    map[string]any  `json:"claims"`
	}
	if err := json.Unmarshal(out, &peer); err != nil {
		t.Fatalf("peer output %s: %v", out, err)
	}
	issuerKey, err := did.ParseJWK(peer.IssuerJWK)
	if err != nil {
		t.Fatal(err)
	}
	got := verifyOurs(t, peer.SDJWT, issuerKey, aud, nonce)
	assertSameJSON(t, got.Claims, peer.Claims)
	if got.Header.Typ != "dc+sd-jwt" || !got.KeyBound || len(got.Disclosed) != 6 {
		t.Fatalf("typ %q, key bound %v, %d disclosures (want 6)", got.Header.Typ, got.KeyBound, len(got.Disclosed))
	}
}

func verifyOurs(t *testing.T, presentation string, issuerKey any, aud, nonce string) Verified {
	t.Helper()
	s, err := Parse(presentation)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Verify(issuerKey, VerifyOptions{RequireKeyBinding: true, Audience: aud, Nonce: nonce})
	if err != nil {
		t.Fatal(err)
	}
	return got
}
