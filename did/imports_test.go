package did

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImportsStayInDID keeps the layering rule of STYLE.md true: did and its subpackages
// import nothing else from bewijs but internal/fault, the standard-library-only error shape
// every leaf package shares.
func TestImportsStayInDID(t *testing.T) {
	const module = "github.com/sociaaldomein/bewijs/"
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not in PATH")
	}
	out, err := exec.Command(goTool, "list", "-deps", "-f", "{{.ImportPath}}", module+"did/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, pkg := range strings.Fields(string(out)) {
		inDID := pkg == module+"did" || strings.HasPrefix(pkg, module+"did/")
		if strings.HasPrefix(pkg, module) && !inDID && pkg != module+"internal/fault" {
			t.Errorf("did imports %s", pkg)
		}
	}
}
