package regopolicy_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/policies"
	"github.com/sociaaldomein/bewijs/verifier/regopolicy"
)

// The trust cache answers repeated questions, and a policy reload is never answered from it.
func TestTrustedFollowsReloads(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"lib.rego", "trust.rego", "requests.rego", "pid.rego", "requests_test.rego"} {
		f := filepath.Join("../../policies/rego", name)
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cfg := policies.DefaultConfig()
	cfg.Dir = dir
	engine, err := policies.New(t.Context(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	a := regopolicy.New(engine)
	const issuer, vct = "did:web:bewijs.example:o:gemeente-utrecht", "urn:nl:sociaaldomein:wmo:toewijzing:1"
	for range 3 {
		if ok, reasons, err := a.Trusted(t.Context(), issuer, vct); err != nil || !ok || len(reasons) == 0 {
			t.Fatalf("trusted = %v %v %v", ok, reasons, err)
		}
	}
	// Remove the gemeente row's slug pattern match: the same question is now refused.
	path := filepath.Join(dir, "trust.rego")
	src, _ := os.ReadFile(path)
	changed := strings.Replace(string(src), "`^gemeente-[a-z0-9-]+$`", "`^gemeente-amsterdam$`", 1)
	if changed == string(src) {
		t.Fatal("trust.rego has no gemeente slug pattern to change")
	}
	// The trust tests in the folder expect the default table; this set drops them.
	_ = os.Remove(filepath.Join(dir, "trust_test.rego"))
	_ = os.Remove(filepath.Join(dir, "pid_test.rego"))
	if err := os.WriteFile(path, []byte(changed), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := engine.Reload(t.Context()); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Millisecond)
	if ok, _, err := a.Trusted(t.Context(), issuer, vct); err != nil || ok {
		t.Fatalf("after the reload: trusted = %v, %v; want refused", ok, err)
	}
}
