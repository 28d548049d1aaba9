package policies

import (
	"os/exec"
	"strings"
	"testing"
)

// OPA is heavy to compile: this package is the only one of the module that imports it, so
// packages that do not decide policy do not pay for it. (internal/archtest checks the other
// direction: policies imports no domain package.)
func TestOnlyPoliciesImportsOPA(t *testing.T) {
	const module = "github.com/sociaaldomein/bewijs"
	out, err := exec.Command("go", "list", "-e", "-test", "-f", `{{.ImportPath}} {{join .Imports " "}}`, module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	seen := false
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		base := fields[0] // with -test a test variant reads "path [path.test]"
		for _, imp := range fields[1:] {
			if !strings.HasPrefix(imp, "github.com/open-policy-agent/") {
				continue
			}
			if strings.HasPrefix(base, module+"/policies") {
				seen = true
				continue
			}
			t.Errorf("%s imports %s; only %s/policies may import OPA", base, imp, module)
		}
	}
	if !seen {
		t.Error("go list shows no OPA import in policies; the check no longer sees what it should")
	}
}
