package api_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/internal/demo"
	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
)

// A policy change on disk takes effect without a restart; a broken policy file is reported
// and ignored, the last good set staying in force.
func TestPolicyChangeOnDisk(t *testing.T) {
	dir := t.TempDir()
	files, err := filepath.Glob("../policies/rego/*.rego")
	if err != nil || len(files) == 0 {
		t.Fatalf("default policies: %v", err)
	}
	for _, f := range files {
		// The default requests tests pin the list of purposes; this policy set changes it.
		if filepath.Base(f) == "requests_test.rego" {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	s := startServerPolicies(t, migrationstest.Engines()[0].Open(t), dir)
	if _, err := demo.Seed(t.Context(), s.Env.Service); err != nil {
		t.Fatal(err)
	}
	key, err := s.Env.Service.NewAPIKey(t.Context(), tenant.CLI, verifierSlug, false)
	if err != nil {
		t.Fatal(err)
	}
	create := func() response {
		return s.postJSON(t, "/api/v1/presentation-requests", key, map[string]any{"query": "zorgstart", "purpose": "intake"})
	}
	if res := create(); res.Status != http.StatusForbidden || !strings.Contains(string(res.Body), "unknown purpose") {
		t.Fatalf("before the change: %d %s", res.Status, res.Body)
	}

	// A new purpose "intake" for aanbieders, added to the file on disk.
	path := filepath.Join(dir, "requests.rego")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(string(src), "purposes := {\n", `purposes := {
	"intake": {
		"description": "an aanbieder checks a toewijzing at intake",
		"verifier_kinds": {"aanbieder"},
		"vcts": lib.toewijzing_vcts,
		"allows": set(),
	},
`, 1)
	if changed == string(src) {
		t.Fatal("requests.rego has no purposes table to extend")
	}
	writeFile(t, path, changed)
	waitFor(t, func() bool {
		if err := s.Policies.LastError(); err != nil {
			t.Fatalf("the changed policy was refused: %v", err)
		}
		return create().Status == http.StatusCreated
	})

	// A broken file is reported and ignored: the last good set (with intake) stays.
	writeFile(t, path, changed+"\nthis is not rego\n")
	waitFor(t, func() bool { return s.Policies.LastError() != nil })
	if res := create(); res.Status != http.StatusCreated {
		t.Fatalf("after a broken file: %d %s", res.Status, res.Body)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// waitFor polls cond for up to ten seconds.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("condition not met within 10s")
}
