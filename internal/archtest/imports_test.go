package archtest

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/sociaaldomein/bewijs"

// aries is hyperledger/aries-framework-go (archived): only internal/w3cvc imports it, behind
// its own types, and the leaves a pilot team imports never depend on it.
const aries = "github.com/hyperledger/aries-framework-go"

// rule forbids packages whose path starts with from to depend on anything in deny: a deny
// entry is a path prefix, or an exact package path when it ends in "$".
type rule struct {
	from   string
	deny   []string
	reason string
}

// allowed exempts packages from the deny lists of rules for from: did may use internal/fault,
// the standard-library-only error shape every leaf package shares.
var allowed = map[string][]string{"did": {module + "/internal/fault"}}

var rules = []rule{
	{"did", []string{module + "/api", module + "/issuer", module + "/verifier", module + "/wallet", module + "/internal", module + "/migrations", module + "/policies", "github.com/labstack/echo", "gorm.io/"}, "did is a leaf (its errors have the shared shape of internal/fault)"},
	{"internal/jose", []string{module + "/", "github.com/labstack/echo", "gorm.io/"}, "JOSE knows nothing of HTTP or storage"},
	{"internal/keys", []string{module + "/", "github.com/labstack/echo", "gorm.io/"}, "key backends know nothing of HTTP or storage"},
	{"internal/ident", []string{module + "/", "github.com/labstack/echo", "gorm.io/"}, "identifier rules are a leaf"},
	{"migrations", []string{module + "/api", module + "/internal", module + "/issuer", module + "/verifier", module + "/did"}, "migrations hold no domain code"},
	{"internal/tenant", []string{module + "/api", "github.com/labstack/echo"}, "domain code never touches HTTP"},
	{"issuer", []string{module + "/api", module + "/verifier", "github.com/labstack/echo"}, "issuer never imports api, verifier or Echo"},
	{"verifier", []string{module + "/api", module + "/issuer", "github.com/labstack/echo"}, "verifier never imports api, issuer or Echo"},
	{"wallet", []string{module + "/api", module + "/issuer$", module + "/verifier$", module + "/issuer/store", module + "/issuer/statuslist/store", module + "/verifier/store", module + "/migrations", module + "/internal/tenant", module + "/internal/keys", "gorm.io/", "github.com/labstack/echo"}, "a pilot team importing wallet pulls in no server code"},
	{"issuer/oid4vci", []string{module + "/api", module + "/issuer$", module + "/issuer/store", module + "/verifier", module + "/wallet", module + "/did", module + "/migrations", "gorm.io/", "github.com/labstack/echo"}, "OpenID4VCI wire types are a leaf shared with the wallet"},
	{"internal/oauth", []string{module + "/"}, "the OAuth error type is a leaf"},
	{"internal/statuslist", []string{module + "/api", module + "/issuer", module + "/verifier", module + "/wallet", module + "/did", module + "/migrations", module + "/policies", module + "/internal/jose", module + "/internal/sdjwt", module + "/internal/w3cvc", module + "/internal/dpop", module + "/internal/audit", module + "/internal/tenant", module + "/internal/keys", "gorm.io/", "github.com/labstack/echo"}, "status list encoding is a leaf shared by issuer, verifier and wallet (it may use internal/fault)"},
	{"internal/fault", []string{module + "/", "gorm.io/", "github.com/labstack/echo"}, "the shared error shape imports only the standard library"},
	{"internal/dpop", []string{module + "/api", module + "/issuer", module + "/verifier", module + "/wallet", "gorm.io/", "github.com/labstack/echo"}, "DPoP is shared by issuer and wallet"},
	{"internal/pkce", []string{module + "/", "gorm.io/", "github.com/labstack/echo"}, "PKCE is a leaf"},
	{"internal/nonce", []string{module + "/", "gorm.io/", "github.com/labstack/echo"}, "stateless nonces are a leaf"},
	{"internal/sdjwt", []string{module + "/api", module + "/issuer", module + "/verifier", module + "/wallet", "gorm.io/", "github.com/labstack/echo"}, "SD-JWT primitives know nothing of HTTP or storage"},
	{"policies", []string{module + "/api", module + "/issuer", module + "/verifier", module + "/wallet"}, "policies import no domain packages"},
	{"did", []string{aries}, "aries stays behind internal/w3cvc"},
	{"wallet", []string{aries}, "aries stays behind internal/w3cvc"},
	{"verifier/oid4vp", []string{aries}, "aries stays behind internal/w3cvc"},
	{"issuer/oid4vci", []string{aries}, "aries stays behind internal/w3cvc"},
}

func TestImportRules(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Deps " "}}`, module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg, deps := fields[0], fields[1:]
		rel := strings.TrimPrefix(strings.TrimPrefix(pkg, module), "/")
		for _, r := range rules {
			from, exactFrom := strings.CutSuffix(r.from, "$")
			if rel != from && (exactFrom || !strings.HasPrefix(rel, from+"/")) {
				continue
			}
			checked++
			for _, d := range deps {
				if d == pkg || strings.HasPrefix(d, module+"/"+from) || slices.Contains(allowed[from], d) {
					continue
				}
				for _, deny := range r.deny {
					exact, isExact := strings.CutSuffix(deny, "$")
					if (isExact && d == exact) || (!isExact && strings.HasPrefix(d, deny)) {
						t.Errorf("%s depends on %s: %s", rel, d, r.reason)
					}
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no package matched any rule; the module path or layout changed")
	}
}

// Only cmd/bewijs may import api: the HTTP layer sits on top.
func TestOnlyCmdImportsAPI(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		for _, imp := range fields[1:] {
			if imp == module+"/api" && !strings.HasPrefix(fields[0], module+"/cmd/") {
				t.Errorf("%s imports api; only cmd/ may", fields[0])
			}
		}
	}
}

// Only internal/w3cvc may import aries: its types never reach another package.
func TestOnlyW3CVCImportsAries(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}} {{join .TestImports " "}} {{join .XTestImports " "}}`, module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		for _, imp := range fields[1:] {
			if strings.HasPrefix(imp, aries) && fields[0] != module+"/internal/w3cvc" {
				t.Errorf("%s imports %s; only internal/w3cvc may import aries", fields[0], imp)
			}
		}
	}
}
