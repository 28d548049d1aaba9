package main_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// Pilot flow of login by disclosure with the real binary: `bewijs pid issue` offers a test PID
// from the trust anchor, `bewijs wallet receive` takes it, and `bewijs wallet receive --issuer
// … --login pid --yes` logs in at the gemeente by presenting it and receives that citizen's
// beschikking.
func TestCLILoginByDisclosure(t *testing.T) {
	dir := t.TempDir()
	s := startServe(t, dir, freePort(t), "BEWIJS_INSECURE_LOCALHOST=true")
	admin := adminEnv(dir, s.base)
	createBeschikking(t, admin)
	r := cli(t, admin, "pid", "issue", "--bsn", "999991772", "--json")
	var pid struct {
		OfferLink string `json:"offer_link"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &pid); err != nil || pid.OfferLink == "" {
		t.Fatalf("pid issue: %v %s %s", err, r.stdout, r.stderr)
	}
	if r := cli(t, admin, "pid", "issue", "--bsn", "123456789"); r.code != 2 || !strings.Contains(r.stderr, "123456789") {
		t.Fatalf("pid issue for an unknown person: %d %s", r.code, r.stderr)
	}
	walletEnv := []string{"BEWIJS_WALLET_DIR=" + filepath.Join(t.TempDir(), "w")}
	cli(t, walletEnv, "wallet", "init")
	if r := cli(t, walletEnv, "wallet", "receive", "--insecure-localhost", pid.OfferLink); r.code != 0 || !strings.Contains(r.stdout, "urn:eudi:pid:nl:1") {
		t.Fatalf("wallet receive PID: %d %s %s", r.code, r.stdout, r.stderr)
	}
	r = cli(t, walletEnv, "wallet", "receive", "--insecure-localhost", "--issuer", s.base+"/o/gemeente-amsterdam", "--login", "pid", "--yes", "--json")
	var creds []struct {
		VCT    string         `json:"vct"`
		Claims map[string]any `json:"claims"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &creds); err != nil || len(creds) != 1 || creds[0].VCT != "urn:nl:sociaaldomein:wmo:toewijzing:1" {
		t.Fatalf("login by disclosure: %v %s %s", err, r.stdout, r.stderr)
	}
	if client, _ := creds[0].Claims["client"].(map[string]any); client["bsn"] != "999991772" {
		t.Fatalf("received a beschikking of another citizen")
	}
	s.stop(t)
}
