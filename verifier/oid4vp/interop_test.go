package oid4vp

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
)

// The independent peer is @openid4vc/openid4vp 0.4.6, run by testdata/peers/oid4vp-check.mjs.
var peersDir = filepath.Join("..", "..", "testdata", "peers")

type peerResult struct {
	OK            bool                `json:"ok"`
	Error         string              `json:"error"`
	Prefix        string              `json:"prefix"`
	Identifier    string              `json:"identifier"`
	Presentations map[string][]string `json:"presentations"`
}

type peerOutput struct {
	ClientIDs []peerResult `json:"clientIds"`
	Requests  []peerResult `json:"requests"`
	Responses []peerResult `json:"responses"`
}

type peerRequestCase struct {
	Payload     json.RawMessage `json:"payload"`
	WalletNonce string          `json:"walletNonce,omitempty"`
}

type peerResponseCase struct {
	Request  json.RawMessage `json:"request"`
	Response json.RawMessage `json:"response"`
}

func runPeer(t *testing.T, input any) peerOutput {
	t.Helper()
	if _, err := os.Stat(filepath.Join(peersDir, "node_modules", "@openid4vc", "openid4vp", "package.json")); err != nil {
		t.Fatalf("the npm test peers are not installed (%v); run `make test` or `npm ci --prefix testdata/peers`", err)
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Fatalf("node is not installed (%v); it is needed for the npm test peers (`make test`)", err)
	}
	stdin, err := json.Marshal(input)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("node", filepath.Join(peersDir, "oid4vp-check.mjs"))
	cmd.Stdin = bytes.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("node oid4vp-check.mjs: %v: %s", err, stderr.String())
	}
	var out peerOutput
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("peer output %s: %v", stdout.Bytes(), err)
	}
	return out
}

// TestInterop_ClientIDs compares ParseClientID with the peer's getOpenid4vpClientId.
func TestInterop_ClientIDs(t *testing.T) {
	tests := []struct {
		name       string
		clientID   string
		theirsOnly bool // a known difference: the peer accepts, ParseClientID refuses
	}{
		{name: "ok - redirect_uri", clientID: "redirect_uri:https://client.example.org/cb"},
		{name: "ok - x509_san_dns", clientID: "x509_san_dns:client.example.org"},
		{name: "ok - x509_hash", clientID: "x509_hash:Uvo3HtuIxuhC92rShpgqcT3YXwrqRxWEviRiA0OZszk"},
		{name: "ok - decentralized_identifier", clientID: "decentralized_identifier:did:example:123"},
		{name: "ok - verifier_attestation", clientID: "verifier_attestation:verifier.example"},
		{name: "ok - openid_federation", clientID: "openid_federation:https://federation-verifier.example.com"},
		{name: "ok - pre-registered", clientID: "example-client"},
		{name: "error - unknown prefix", clientID: "bogus:client"},
		// The peer still maps the draft prefixes did: and https: to decentralized_identifier and
		// openid_federation; 1.0 defines no such prefixes.
		{name: "difference - legacy did prefix", clientID: "did:example:123", theirsOnly: true},
		{name: "difference - legacy https prefix", clientID: "https://verifier.example", theirsOnly: true},
		// The peer does not check the value against its prefix (§5.9.3 "MUST be a DNS name").
		{name: "difference - x509_san_dns value not a DNS name", clientID: "x509_san_dns:not a name", theirsOnly: true},
	}
	ids := make([]string, len(tests))
	for i, tt := range tests {
		ids[i] = tt.clientID
	}
	out := runPeer(t, map[string]any{"clientIds": ids})
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			theirs := out.ClientIDs[i]

			prefix, value, err := ParseClientID(tt.clientID)

			if tt.theirsOnly {
				if err == nil || !theirs.OK {
					t.Fatalf("expected the known difference: ours %v, theirs ok=%v", err, theirs.OK)
				}
				return
			}
			if (err == nil) != theirs.OK {
				t.Fatalf("ours: %v; theirs: ok=%v %s", err, theirs.OK, theirs.Error)
			}
			if err == nil && (prefix != theirs.Prefix || value != theirs.Identifier) {
				t.Errorf("ours (%q, %q), theirs (%q, %q)", prefix, value, theirs.Prefix, theirs.Identifier)
			}
		})
	}
}

// TestInterop_Requests: requests Validate accepts pass the peer's parser and validator, and
// invalid ones the peer checks fail both. (The peer's parser is lenient: it accepts, e.g., a
// response_type other than vp_token or a missing nonce, which Validate refuses.)
func TestInterop_Requests(t *testing.T) {
	golden := readTestdata(t, "golden/authorization_request.json")
	mutate := func(f func(m map[string]any)) json.RawMessage {
		var m map[string]any
		if err := json.Unmarshal(golden, &m); err != nil {
			t.Fatal(err)
		}
		f(m)
		b, _ := json.Marshal(m)
		return b
	}
	tests := []struct {
		name    string
		payload json.RawMessage
		wantOK  bool
	}{
		{"ok - golden request", golden, true},
		{"ok - spec direct_post request", readTestdata(t, "spec/request_direct_post.json"), true},
		{"error - dcql_query and scope", mutate(func(m map[string]any) { m["scope"] = "x" }), false},
		{"error - origin client identifier prefix", mutate(func(m map[string]any) { m["client_id"] = "origin:https://v.example" }), false},
	}
	// Both requests carry the wallet_nonce the wallet sent (§5.10.1).
	cases := make([]peerRequestCase, len(tests))
	for i, tt := range tests {
		cases[i] = peerRequestCase{Payload: tt.payload, WalletNonce: "qPmxiNFCR3QTm19POc8u"}
	}
	out := runPeer(t, map[string]any{"requests": cases})
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			theirs := out.Requests[i]

			_, err := ParseAuthorizationRequest(tt.payload)

			if (err == nil) != tt.wantOK || theirs.OK != tt.wantOK {
				t.Errorf("want ok=%v; ours: %v; theirs: ok=%v %s", tt.wantOK, err, theirs.OK, theirs.Error)
			}
		})
	}
}

// TestInterop_Responses: the peer reads the vp_token of our responses (as a JSON object, and
// as the JSON string of a direct_post form) to the same presentations.
func TestInterop_Responses(t *testing.T) {
	request := readTestdata(t, "golden/authorization_request.json")
	golden := readTestdata(t, "golden/authorization_response.json")
	form, err := AuthorizationResponse{VPToken: VPToken{"toewijzing": {"a~", "b~"}}, State: "3f6a1c2e-9b7d-4c1a-8e2f-5d4b3a2c1e0f"}.Form()
	if err != nil {
		t.Fatal(err)
	}
	asString, _ := json.Marshal(map[string]string{"vp_token": form.Get(ParamVPToken), "state": form.Get(ParamState)})
	tests := []struct {
		name     string
		response json.RawMessage
		want     VPToken // nil: both must refuse
	}{
		{"ok - golden response", golden, VPToken{"toewijzing": {sdJWTPresentation}}},
		{"ok - vp_token as form string", asString, VPToken{"toewijzing": {"a~", "b~"}}},
		{"error - empty array", json.RawMessage(`{"state":"3f6a1c2e-9b7d-4c1a-8e2f-5d4b3a2c1e0f","vp_token":{"toewijzing":[]}}`), nil},
		{"error - no vp_token", json.RawMessage(`{"state":"3f6a1c2e-9b7d-4c1a-8e2f-5d4b3a2c1e0f"}`), nil},
	}
	cases := make([]peerResponseCase, len(tests))
	for i, tt := range tests {
		cases[i] = peerResponseCase{Request: request, Response: tt.response}
	}
	out := runPeer(t, map[string]any{"responses": cases})
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			theirs := out.Responses[i]

			ours, err := ParseAuthorizationResponse(tt.response)

			if tt.want == nil {
				if err == nil || theirs.OK {
					t.Fatalf("both must refuse; ours: %v; theirs ok=%v", err, theirs.OK)
				}
				return
			}
			if err != nil || !theirs.OK {
				t.Fatalf("ours: %v; theirs: ok=%v %s", err, theirs.OK, theirs.Error)
			}
			if !reflect.DeepEqual(ours.VPToken, tt.want) || !reflect.DeepEqual(VPToken(theirs.Presentations), tt.want) {
				t.Errorf("ours %v, theirs %v, want %v", ours.VPToken, theirs.Presentations, tt.want)
			}
		})
	}
}
