package verifier

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImports keeps the layering of STYLE.md true: the verifier never depends on issuer,
// api, wallet, Echo or gorm.
func TestImports(t *testing.T) {
	const module = "github.com/sociaaldomein/bewijs/"
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatal("go tool not in PATH")
	}
	out, err := exec.Command(goTool, "list", "-deps", "-f", "{{.ImportPath}}", module+"verifier").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	denied := []string{module + "issuer", module + "api", module + "wallet", "github.com/labstack/echo", "gorm.io/"}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list returned %d packages; the check would prove nothing", len(deps))
	}
	for _, pkg := range deps {
		for _, d := range denied {
			if pkg == d || strings.HasPrefix(pkg, d+"/") || (strings.HasSuffix(d, "/") && strings.HasPrefix(pkg, d)) {
				t.Errorf("verifier depends on %s", pkg)
			}
		}
	}
}
