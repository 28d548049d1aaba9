package main_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/internal/keys"
	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
)

var binary string

// TestMain builds the real binary once; the tests run it as an operator would.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "bewijs-bin")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "bewijs")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build bewijs: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

type result struct {
	stdout, stderr string
	code           int
}

// cli runs the binary with only the given environment (plus PATH and HOME).
func cli(t *testing.T, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}, env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{stdout.String(), stderr.String(), code}
}

// engineEnv returns the environment for a fresh database on engine e.
func engineEnv(t *testing.T, e migrationstest.Engine) []string {
	t.Helper()
	env := []string{"BEWIJS_DATABASE_URL=" + e.URL(t), "BEWIJS_PUBLIC_URL=https://bewijs.gemeente.example"}
	if e.Name == "postgres" {
		path := filepath.Join(t.TempDir(), "master.key")
		if err := keys.GenerateMasterKeyFile(path, time.Now()); err != nil {
			t.Fatal(err)
		}
		env = append(env, "BEWIJS_MASTER_KEY_FILE="+path)
	}
	if r := cli(t, env, "migrate", "up"); r.code != 0 {
		t.Fatalf("migrate up: %d %s", r.code, r.stderr)
	}
	return env
}

func TestTenantCommands(t *testing.T) {
	for _, e := range migrationstest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			env := engineEnv(t, e)
			r := cli(t, env, "tenant", "create", "--slug", "gemeente-utrecht", "--name", "Gemeente Utrecht", "--kind", "gemeente", "--gemeentecode", "0344", "--oin", "00000099000000344000", "--json")
			if r.code != 0 {
				t.Fatalf("create: %d %s", r.code, r.stderr)
			}
			var created map[string]any
			if err := json.Unmarshal([]byte(r.stdout), &created); err != nil {
				t.Fatalf("create --json: %v: %s", err, r.stdout)
			}
			if created["did"] != "did:web:bewijs.gemeente.example:o:gemeente-utrecht" || !strings.HasPrefix(fmt.Sprint(created["api_key"]), "bwk_") {
				t.Fatalf("created = %v", created)
			}

			r = cli(t, env, "tenant", "list", "--json")
			var list []map[string]any
			if err := json.Unmarshal([]byte(r.stdout), &list); err != nil || len(list) != 1 {
				t.Fatalf("list --json: %v %s", err, r.stdout)
			}
			for _, field := range []string{"slug", "name", "kind", "did", "did_document_url", "gemeentecode", "oin"} {
				if _, ok := list[0][field]; !ok {
					t.Errorf("tenant list --json lacks %q: %v", field, list[0])
				}
			}
			if _, leaked := list[0]["api_key"]; leaked {
				t.Error("tenant list shows an API key")
			}

			r = cli(t, env, "tenant", "api-key", "--slug", "gemeente-utrecht", "--revoke-others", "--json")
			if r.code != 0 || !strings.Contains(r.stdout, `"api_key": "bwk_`) {
				t.Fatalf("api-key: %d %s %s", r.code, r.stdout, r.stderr)
			}
			if r = cli(t, env, "tenant", "rotate-key", "--slug", "gemeente-utrecht"); r.code != 0 || !strings.Contains(r.stdout, "#") {
				t.Fatalf("rotate-key: %d %s %s", r.code, r.stdout, r.stderr)
			}
			if r = cli(t, env, "tenant", "keys", "--slug", "gemeente-utrecht", "--json"); strings.Count(r.stdout, `"kid"`) != 2 {
				t.Fatalf("keys after rotation: %s", r.stdout)
			}
		})
	}
}

func TestCLIBadInput(t *testing.T) {
	env := engineEnv(t, migrationstest.Engines()[0])
	if r := cli(t, env, "tenant", "create", "--slug", "de-linde", "--name", "De Linde", "--kind", "aanbieder", "--agb", "98000101"); r.code != 0 {
		t.Fatalf("seed: %s", r.stderr)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"error - unknown kind", []string{"tenant", "create", "--slug", "x", "--name", "X", "--kind", "zorgkantoor"}, "kind"},
		{"error - invalid AGB", []string{"tenant", "create", "--slug", "x", "--name", "X", "--kind", "aanbieder", "--agb", "12"}, "agb"},
		{"error - invalid gemeentecode", []string{"tenant", "create", "--slug", "x", "--name", "X", "--kind", "gemeente", "--gemeentecode", "abcd"}, "gemeentecode"},
		{"error - invalid KvK", []string{"tenant", "create", "--slug", "x", "--name", "X", "--kind", "trust-anchor", "--kvk", "1"}, "kvk"},
		{"error - invalid OIN", []string{"tenant", "create", "--slug", "x", "--name", "X", "--kind", "trust-anchor", "--oin", "1"}, "oin"},
		{"error - duplicate slug", []string{"tenant", "create", "--slug", "de-linde", "--name", "X", "--kind", "aanbieder", "--agb", "98000102"}, "already exists"},
		{"error - unknown slug", []string{"tenant", "rotate-key", "--slug", "bestaat-niet"}, "not found"},
		{"error - missing slug", []string{"tenant", "api-key"}, "--slug"},
		{"error - unknown flag", []string{"tenant", "list", "--jsn"}, "unknown flag"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := cli(t, env, tt.args...)
			if r.code != 2 {
				t.Fatalf("exit code = %d, want 2 (stderr %q)", r.code, r.stderr)
			}
			if strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 || !strings.Contains(r.stderr, tt.want) {
				t.Fatalf("stderr = %q, want one line mentioning %q", r.stderr, tt.want)
			}
		})
	}
}

func TestMasterKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mk")
	if r := cli(t, nil, "master-key", "generate", "--out", path); r.code != 0 {
		t.Fatalf("generate: %d %s", r.code, r.stderr)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("master key file: %v %v", info, err)
	}
	if r := cli(t, nil, "master-key", "generate", "--out", path); r.code == 0 {
		t.Fatal("generate overwrote an existing master key file")
	}
	pg := migrationstest.PostgresURL(t)
	r := cli(t, []string{"BEWIJS_DATABASE_URL=" + pg}, "tenant", "list")
	if r.code != 2 || !strings.Contains(r.stderr, "--master-key-file") {
		t.Fatalf("postgres without master key: %d %q", r.code, r.stderr)
	}
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

type server struct {
	cmd    *exec.Cmd
	stderr *bytes.Buffer
	base   string
}

// adminEnv is the environment of CLI commands on the SQLite data of a `serve --demo` run in
// dir, with publicURL as the public URL.
func adminEnv(dir, publicURL string) []string {
	return []string{"BEWIJS_DATABASE_URL=sqlite://" + filepath.Join(dir, "bewijs-data", "bewijs.db"), "BEWIJS_PUBLIC_URL=" + publicURL}
}

// createBeschikking creates the Wmo fixture's beschikking at gemeente-amsterdam with `beschikking
// create --json` and flags, and fails the test if the command fails.
func createBeschikking(t *testing.T, env []string, flags ...string) result {
	t.Helper()
	args := append([]string{"beschikking", "create", "--tenant", "gemeente-amsterdam", "--file", writeFixture(t, "01-wmo-hbh-minuten-per-week.json"), "--json"}, flags...)
	r := cli(t, env, args...)
	if r.code != 0 {
		t.Fatalf("beschikking create: %d %s", r.code, r.stderr)
	}
	return r
}

// seededOffline starts `serve --demo` in dir to seed its data, stops it, and returns the
// environment of CLI commands on that data with publicURL, for commands that need no server.
func seededOffline(t *testing.T, dir, publicURL string) []string {
	t.Helper()
	startServe(t, dir, freePort(t)).stop(t)
	return adminEnv(dir, publicURL)
}

func startServe(t *testing.T, dir, addr string, env ...string) *server {
	t.Helper()
	cmd := exec.Command(binary, "serve", "--demo")
	cmd.Dir = dir
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "BEWIJS_ADDR=" + addr, "BEWIJS_PUBLIC_URL=http://" + addr}, env...)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, stderr: &stderr, base: "http://" + addr}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	for i := 0; i < 200; i++ {
		if res, err := http.Get(s.base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return s
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("server did not become ready: %s", stderr.String())
	return nil
}

func (s *server) stop(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Wait(); err != nil {
		t.Fatalf("serve did not exit cleanly on SIGTERM: %v\n%s", err, s.stderr.String())
	}
}

func get(t *testing.T, url string) string {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", url, res.StatusCode, b)
	}
	return string(b)
}

// The README's first command on a fresh folder: SQLite, generated master key, demo data;
// a restart keeps organisations and keys.
func TestServeDemoRestart(t *testing.T) {
	dir := t.TempDir()
	addr := freePort(t)
	s := startServe(t, dir, addr)
	before := get(t, s.base+"/o/gemeente-utrecht/did.json")
	list := get(t, s.base+"/o/thuiszorg-de-linde/did.json")
	if !strings.Contains(list, "JsonWebKey2020") {
		t.Fatalf("aanbieder DID document: %s", list)
	}
	s.stop(t)

	if info, err := os.Stat(filepath.Join(dir, "bewijs-data", "master.key")); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("generated master key: %v %v", info, err)
	}
	logs := s.stderr.String()
	if !strings.Contains(logs, "generated a new master key file") || strings.Contains(logs, "bwk_") {
		t.Fatalf("logs must announce the master key and never show API keys:\n%s", logs)
	}
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		if !json.Valid([]byte(line)) {
			t.Fatalf("log line is not JSON: %q", line)
		}
	}

	if r := cli(t, nil, "healthcheck", "--url", "http://"+addr+"/readyz"); r.code == 0 {
		t.Fatal("healthcheck passed against a stopped server")
	}
	s = startServe(t, dir, addr)
	if r := cli(t, nil, "healthcheck", "--url", s.base+"/readyz"); r.code != 0 {
		t.Fatalf("healthcheck against a ready server: %d %s", r.code, r.stderr)
	}
	after := get(t, s.base+"/o/gemeente-utrecht/did.json")
	if before != after {
		t.Fatalf("DID document changed across a restart:\n%s\n%s", before, after)
	}
	if strings.Contains(s.stderr.String(), "generated a new master key") {
		t.Fatal("the master key was generated again on restart")
	}
	s.stop(t)
}

func TestPolicyEval(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	allowed := write("gemeente.json", `{"issuer":"did:web:bewijs.example:o:gemeente-utrecht","vct":"urn:nl:sociaaldomein:wmo:toewijzing:1"}`)
	denied := write("onbekend.json", `{"issuer":"did:web:evil.example:o:iemand","vct":"urn:nl:sociaaldomein:wmo:toewijzing:1"}`)
	r := cli(t, nil, "policy", "eval", "--input", allowed)
	if r.code != 0 || !strings.Contains(r.stdout, `"allow": true`) {
		t.Fatalf("trusted gemeente: %d %s %s", r.code, r.stdout, r.stderr)
	}
	r = cli(t, nil, "policy", "eval", "--input", denied)
	if r.code != 0 || !strings.Contains(r.stdout, `"allow": false`) || !strings.Contains(r.stdout, "reasons") {
		t.Fatalf("unknown issuer: %d %s %s", r.code, r.stdout, r.stderr)
	}
	if r := cli(t, nil, "policy", "eval", "--input", write("bad.json", "{")); r.code != 2 {
		t.Fatalf("bad input: exit %d, want 2 (%s)", r.code, r.stderr)
	}
	if r := cli(t, nil, "policy", "eval", "--input", allowed, "--policy", "bestaatniet"); r.code != 2 {
		t.Fatalf("unknown policy: exit %d, want 2 (%s)", r.code, r.stderr)
	}
}
