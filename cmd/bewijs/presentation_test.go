package main_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// presentationView is the part of the API's presentation request JSON the tests look at.
type presentationView struct {
	ID                   string `json:"id"`
	State                string `json:"state"`
	Purpose              string `json:"purpose"`
	ClientID             string `json:"client_id"`
	AuthorizationRequest string `json:"authorization_request"`
	RequestURI           string `json:"request_uri"`
	VerifyPageURL        string `json:"verify_page_url"`
	PolicyDecision       struct {
		Allow bool `json:"allow"`
	} `json:"policy_decision"`
	Result *struct {
		Verified    bool `json:"verified"`
		Credentials []struct {
			Issuer string         `json:"issuer"`
			Status string         `json:"status"`
			Claims map[string]any `json:"claims"`
		} `json:"credentials"`
	} `json:"result"`
}

func decodeView(t *testing.T, r result) presentationView {
	t.Helper()
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var v presentationView
	if err := json.Unmarshal([]byte(r.stdout), &v); err != nil {
		t.Fatalf("not JSON: %v: %s", err, r.stdout)
	}
	return v
}

// writeDCQL writes an explicit DCQL query asking a toewijzing for the given claims paths.
func writeDCQL(t *testing.T, paths ...[]string) string {
	t.Helper()
	claims := make([]map[string]any, len(paths))
	for i, p := range paths {
		claims[i] = map[string]any{"path": p}
	}
	q := map[string]any{"credentials": []map[string]any{{
		"id": "toewijzing", "format": "dc+sd-jwt",
		"meta":   map[string]any{"vct_values": []string{"urn:nl:sociaaldomein:wmo:toewijzing:1"}},
		"claims": claims,
	}}}
	b, err := json.Marshal(q)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "query.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// An aanbieder of the demo asks for a presentation from the CLI on a fresh SQLite database:
// the JSON is the API's, the links point at the server, and show finds the request.
func TestCLIPresentationRequest(t *testing.T) {
	dir := t.TempDir()
	s := startServe(t, dir, freePort(t))
	admin := adminEnv(dir, s.base)

	v := decodeView(t, cli(t, admin, "presentation", "request", "--tenant", "thuiszorg-de-linde", "--query", "zorgstart", "--json"))
	if v.ID == "" || v.State != "pending" || v.Purpose != "zorgstart" || !v.PolicyDecision.Allow {
		t.Fatalf("request --json = %+v", v)
	}
	if !strings.HasPrefix(v.AuthorizationRequest, "openid4vp://?") || !strings.Contains(v.AuthorizationRequest, "request_uri=") {
		t.Errorf("authorization_request = %q", v.AuthorizationRequest)
	}
	if want := s.base + "/o/thuiszorg-de-linde/oid4vp/requests/" + v.ID; v.RequestURI != want {
		t.Errorf("request_uri = %q, want %q", v.RequestURI, want)
	}
	if !strings.HasPrefix(v.VerifyPageURL, s.base+"/o/thuiszorg-de-linde/verify/"+v.ID+"?t=") {
		t.Errorf("verify_page_url = %q", v.VerifyPageURL)
	}
	if page := get(t, v.VerifyPageURL); !strings.Contains(page, v.ID) {
		t.Errorf("the verify page does not show request %s", v.ID)
	}

	shown := decodeView(t, cli(t, admin, "presentation", "show", v.ID, "--tenant", "thuiszorg-de-linde", "--json"))
	if shown.ID != v.ID || shown.State != "pending" || shown.Result != nil {
		t.Fatalf("show --json = %+v", shown)
	}
	r := cli(t, admin, "presentation", "show", v.ID, "--tenant", "thuiszorg-de-linde")
	if r.code != 0 || !strings.Contains(r.stdout, "pending") || !strings.Contains(r.stdout, "openid4vp://") {
		t.Fatalf("show: %d %s %s", r.code, r.stdout, r.stderr)
	}

	r = cli(t, admin, "presentation", "request", "--tenant", "thuiszorg-de-linde", "--query", "zorgstart")
	if r.code != 0 || !strings.Contains(r.stdout, "█") || !strings.Contains(r.stdout, "openid4vp://") || !strings.Contains(r.stdout, "/verify/") {
		t.Fatalf("request prints no terminal QR, wallet link and verify page: %d %s %s", r.code, r.stdout, r.stderr)
	}
	s.stop(t)
}

func TestCLIPresentationRequestRefused(t *testing.T) {
	dir := t.TempDir()
	admin := seededOffline(t, dir, "https://bewijs.gemeente.example")
	bsn := writeDCQL(t, []string{"client", "bsn"})
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"error - policy refuses bsn for zorgstart", []string{"--dcql-file", bsn, "--purpose", "zorgstart"}, `asks for client.bsn (path client.bsn), which purpose "zorgstart" does not allow`},
		{"error - unknown purpose", []string{"--dcql-file", writeDCQL(t, []string{"wet"}), "--purpose", "nieuwsgierig"}, `unknown purpose "nieuwsgierig"`},
		{"error - explicit query without purpose", []string{"--dcql-file", bsn}, "purpose"},
		{"error - unknown named query", []string{"--query", "alles"}, `no named query "alles"`},
		{"error - named and explicit query", []string{"--query", "zorgstart", "--dcql-file", bsn}, "either --query"},
		{"error - x509_hash without certificate", []string{"--query", "zorgstart", "--client-id-prefix", "x509_hash"}, "certificate"},
		{"error - unknown response mode", []string{"--query", "zorgstart", "--response-mode", "fragment"}, "response_mode"},
		{"error - unknown tenant", []string{"--query", "zorgstart", "--tenant", "bestaat-niet"}, "not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"presentation", "request", "--tenant", "thuiszorg-de-linde", "--json"}, tt.args...)
			r := cli(t, admin, args...)
			if r.code != 2 {
				t.Fatalf("exit code = %d, want 2 (stdout %q, stderr %q)", r.code, r.stdout, r.stderr)
			}
			if r.stdout != "" || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 || !strings.Contains(r.stderr, tt.want) {
				t.Fatalf("stdout %q, stderr %q; want nothing on stdout and one line mentioning %q", r.stdout, r.stderr, tt.want)
			}
		})
	}
	if r := cli(t, admin, "presentation", "show", "00000000-0000-4000-8000-000000000000", "--tenant", "thuiszorg-de-linde"); r.code != 2 || !strings.Contains(r.stderr, "not found") {
		t.Fatalf("show of an unknown request: %d %q", r.code, r.stderr)
	}
}

// The whole pilot flow with the real binary: a gemeente issues a toewijzing, the reference
// wallet receives it, the aanbieder asks for it with the named query, the wallet presents,
// and `presentation show` has exactly the claims the query asked for; no client data.
func TestCLIPresentationVerified(t *testing.T) {
	dir := t.TempDir()
	s := startServe(t, dir, freePort(t), "BEWIJS_INSECURE_LOCALHOST=true")
	admin := adminEnv(dir, s.base)

	r := createBeschikking(t, admin)
	var offer struct {
		OfferLink string `json:"offer_link"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &offer); err != nil || offer.OfferLink == "" {
		t.Fatalf("beschikking create: %v %s %s", err, r.stdout, r.stderr)
	}
	walletEnv := []string{"BEWIJS_WALLET_DIR=" + filepath.Join(t.TempDir(), "w")}
	cli(t, walletEnv, "wallet", "init")
	if r := cli(t, walletEnv, "wallet", "receive", "--insecure-localhost", offer.OfferLink); r.code != 0 {
		t.Fatalf("wallet receive: %d %s", r.code, r.stderr)
	}

	v := decodeView(t, cli(t, admin, "presentation", "request", "--tenant", "thuiszorg-de-linde", "--query", "zorgstart", "--json"))
	if r := cli(t, walletEnv, "wallet", "present", "--insecure-localhost", "--yes", v.AuthorizationRequest); r.code != 0 {
		t.Fatalf("wallet present: %d %s %s", r.code, r.stdout, r.stderr)
	}

	shown := decodeView(t, cli(t, admin, "presentation", "show", v.ID, "--tenant", "thuiszorg-de-linde", "--json"))
	if shown.State != "verified" || shown.Result == nil || !shown.Result.Verified || len(shown.Result.Credentials) != 1 {
		t.Fatalf("show --json after presenting = %+v", shown)
	}
	c := shown.Result.Credentials[0]
	if !strings.HasSuffix(c.Issuer, ":o:gemeente-amsterdam") || c.Status != "valid" {
		t.Errorf("credential issuer %q, status %q", c.Issuer, c.Status)
	}
	if _, asked := c.Claims["toewijzingnummer"]; !asked {
		t.Errorf("claims lack toewijzingnummer: %v", c.Claims)
	}
	if _, leaked := c.Claims["client"]; leaked {
		t.Errorf("claims hold client data the query did not ask for: %v", c.Claims)
	}
	r = cli(t, admin, "presentation", "show", v.ID, "--tenant", "thuiszorg-de-linde")
	for _, want := range []string{"verified", "issuer: " + c.Issuer, "status: valid", "gemeente.naam: Amsterdam", "aanbieder.agb: 98000101"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("show lacks %q:\n%s", want, r.stdout)
		}
	}
	s.stop(t)
}
