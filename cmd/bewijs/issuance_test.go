package main_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/internal/fixtures"
	"github.com/sociaaldomein/bewijs/internal/keys"
	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
)

func writeFixture(t *testing.T, name string) string {
	t.Helper()
	doc, err := fixtures.Toewijzing(name)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// The pilot flow with the real binary: serve --demo, a gemeente offers a beschikking from the
// CLI, the reference wallet receives it, the gemeente revokes it, the wallet sees the status.
func TestCLIIssueReceiveRevoke(t *testing.T) {
	dir := t.TempDir()
	addr := freePort(t)
	s := startServe(t, dir, addr)
	admin := adminEnv(dir, s.base)

	r := createBeschikking(t, admin, "--tx-code")
	var created struct {
		ID        string `json:"id"`
		OfferLink string `json:"offer_link"`
		TxCode    string `json:"tx_code"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &created); err != nil || created.TxCode == "" {
		t.Fatalf("create --json: %v %s", err, r.stdout)
	}
	if r := cli(t, admin, "beschikking", "create", "--tenant", "gemeente-amsterdam", "--file", writeFixture(t, "01-wmo-hbh-minuten-per-week.json")); r.code != 0 || !strings.Contains(r.stdout, "█") {
		t.Fatalf("beschikking create prints no terminal QR: %d %s", r.code, r.stderr)
	}

	walletEnv := []string{"BEWIJS_WALLET_DIR=" + filepath.Join(t.TempDir(), "w")}
	if r := cli(t, walletEnv, "wallet", "init"); r.code != 0 {
		t.Fatalf("wallet init: %s", r.stderr)
	}
	if r := cli(t, walletEnv, "wallet", "receive", "--insecure-localhost", created.OfferLink, "--tx-code", "000000"); r.code == 0 {
		t.Fatal("wallet receive with a wrong tx code succeeded")
	}
	r = cli(t, walletEnv, "wallet", "receive", "--insecure-localhost", created.OfferLink, "--tx-code", created.TxCode, "--json")
	if r.code != 0 {
		t.Fatalf("wallet receive: %d %s", r.code, r.stderr)
	}
	var received []struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &received); err != nil || len(received) != 1 {
		t.Fatalf("receive --json: %v %s", err, r.stdout)
	}
	if r := cli(t, walletEnv, "wallet", "list"); !strings.Contains(r.stdout, received[0].ID) {
		t.Fatalf("wallet list: %s %s", r.stdout, r.stderr)
	}
	if r := cli(t, walletEnv, "wallet", "show", "--insecure-localhost", "--status", received[0].ID); !strings.Contains(r.stdout, `"status": "valid"`) {
		t.Fatalf("wallet show --status: %s %s", r.stdout, r.stderr)
	}
	// The aanbieder of the fixture is an organisation here: there is no offer to deliver elsewhere.
	if r := cli(t, admin, "beschikking", "redeliver", created.ID); r.code == 0 || !strings.Contains(r.stderr, "not found") {
		t.Fatalf("redeliver of a beschikking for a local aanbieder: %d %q", r.code, r.stderr)
	}
	if r := cli(t, admin, "beschikking", "revoke", created.ID); r.code != 2 || !strings.Contains(r.stderr, "reason") {
		t.Fatalf("revoke without reason: %d %q", r.code, r.stderr)
	}
	if r := cli(t, admin, "beschikking", "revoke", created.ID, "--reason", "verhuisd"); r.code != 0 || !strings.Contains(r.stdout, "revoked") {
		t.Fatalf("revoke: %d %s %s", r.code, r.stdout, r.stderr)
	}
	if r := cli(t, walletEnv, "wallet", "show", "--insecure-localhost", "--status", received[0].ID); !strings.Contains(r.stdout, `"status": "invalid"`) {
		t.Fatalf("status after revocation: %s %s", r.stdout, r.stderr)
	}
	s.stop(t)
}

// Scale-out: two `bewijs serve` processes on one PostgreSQL behind one public URL. The load
// balancer sends the offer fetch to the first and everything else to the second; the
// wallet still receives its credential.
func TestScaleOutTwoServers(t *testing.T) {
	pg := migrationstest.PostgresURL(t)
	master := filepath.Join(t.TempDir(), "master.key")
	if err := keys.GenerateMasterKeyFile(master, time.Now()); err != nil {
		t.Fatal(err)
	}
	lb := httptest.NewUnstartedServer(nil)
	public := "http://" + lb.Listener.Addr().String()
	env := []string{"BEWIJS_DATABASE_URL=" + pg, "BEWIJS_MASTER_KEY_FILE=" + master, "BEWIJS_PUBLIC_URL=" + public}
	a := startServeAt(t, freePort(t), env)
	b := startServeAt(t, freePort(t), env)
	var toA, toB atomic.Int64
	proxyA, proxyB := proxyTo(t, a.base), proxyTo(t, b.base)
	lb.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/credential-offer/") {
			toA.Add(1)
			proxyA.ServeHTTP(w, r)
			return
		}
		toB.Add(1)
		proxyB.ServeHTTP(w, r)
	})
	lb.Start()
	t.Cleanup(lb.Close)

	r := createBeschikking(t, env)
	var created struct {
		OfferLink string `json:"offer_link"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &created); err != nil {
		t.Fatalf("create: %v %s %s", err, r.stdout, r.stderr)
	}
	walletEnv := []string{"BEWIJS_WALLET_DIR=" + filepath.Join(t.TempDir(), "w")}
	cli(t, walletEnv, "wallet", "init")
	if r := cli(t, walletEnv, "wallet", "receive", "--insecure-localhost", created.OfferLink); r.code != 0 {
		t.Fatalf("receive across two servers: %d %s", r.code, r.stderr)
	}
	if toA.Load() == 0 || toB.Load() < 4 {
		t.Fatalf("requests: %d to A, %d to B; want the offer from A and token+credential from B", toA.Load(), toB.Load())
	}
}

func startServeAt(t *testing.T, addr string, env []string) *server {
	t.Helper()
	return startServe(t, t.TempDir(), addr, env...)
}

func proxyTo(t *testing.T, base string) *httputil.ReverseProxy {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	return httputil.NewSingleHostReverseProxy(u)
}
