package oid4vp

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImportsStayLeaf keeps the layering rule of STYLE.md true: verifier/oid4vp is a leaf
// shared with the wallet; it imports the standard library, did/... and internal/oauth only.
func TestImportsStayLeaf(t *testing.T) {
	const module = "github.com/sociaaldomein/bewijs/"
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not in PATH")
	}
	out, err := exec.Command(goTool, "list", "-f", `{{join .Imports "\n"}}`, module+"verifier/oid4vp").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, pkg := range strings.Fields(string(out)) {
		first, _, _ := strings.Cut(pkg, "/")
		stdlib := !strings.Contains(first, ".")
		inDID := pkg == module+"did" || strings.HasPrefix(pkg, module+"did/")
		if !stdlib && !inDID && pkg != module+"internal/oauth" {
			t.Errorf("verifier/oid4vp imports %s", pkg)
		}
	}
}
