package api_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/sociaaldomein/bewijs/api"
	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
)

var echoParam = regexp.MustCompile(`:([a-z]+)`)

// Every route the server registers is either described in openapi.yaml or listed in
// api.PublicRoutes; and everything openapi.yaml describes is registered.
func TestEveryRouteIsDocumented(t *testing.T) {
	s := startServer(t, migrationstest.SQLite(t))
	doc, err := api.OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for path, item := range doc["paths"].(map[string]any) {
		for method := range item.(map[string]any) {
			if method != "parameters" {
				documented[strings.ToUpper(method)+" /api/v1"+path] = true
			}
		}
	}
	registered := map[string]bool{}
	for _, r := range s.Server.Routes() {
		registered[r] = true
		if _, public := api.PublicRoutes[r]; public {
			continue
		}
		method, path, _ := strings.Cut(r, " ")
		openapiPath := method + " " + echoParam.ReplaceAllString(path, "{$1}")
		if !documented[openapiPath] {
			t.Errorf("route %s is registered but not in openapi.yaml (nor in api.PublicRoutes)", r)
		}
		delete(documented, openapiPath)
	}
	for r := range documented {
		t.Errorf("openapi.yaml describes %s, which the server does not register", r)
	}
	for r := range api.PublicRoutes {
		if !registered[r] {
			t.Errorf("api.PublicRoutes lists %s, which the server does not register", r)
		}
	}
}

func TestOpenAPIServedWithPublicURL(t *testing.T) {
	s := startServer(t, migrationstest.SQLite(t))
	res := s.do(t, "GET", "/api/v1/openapi.json", "", "", nil)
	var doc struct {
		OpenAPI string `json:"openapi"`
		Servers []struct {
			URL string `json:"url"`
		} `json:"servers"`
	}
	res.json(t, &doc)
	if res.Status != 200 || doc.OpenAPI == "" || len(doc.Servers) != 1 || doc.Servers[0].URL != s.URL+"/api/v1" {
		t.Fatalf("openapi.json: %d %+v", res.Status, doc)
	}
}

// The admin API must lint with 0 errors against the NL GOV API Design Rules (Spectral).
// The ruleset is a copy of ../shared/adr/spectral.yml; when that file is beside the
// repository the copy must still equal it.
func TestOpenAPILintsAgainstNLGovADR(t *testing.T) {
	ruleset := filepath.Join("testdata", "spectral.yml")
	if shared, err := os.ReadFile(filepath.Join("..", "..", "shared", "adr", "spectral.yml")); err == nil {
		ours, err := os.ReadFile(ruleset)
		if err != nil || !bytes.Equal(shared, ours) {
			t.Fatalf("api/testdata/spectral.yml differs from ../shared/adr/spectral.yml; copy it again")
		}
	}
	spectral := filepath.Join("..", "testdata", "peers", "node_modules", ".bin", "spectral")
	if _, err := os.Stat(spectral); err != nil {
		t.Fatalf("spectral is not installed (%v); run `make test` or `npm ci --prefix testdata/peers`", err)
	}
	report := filepath.Join(t.TempDir(), "spectral.json")
	cmd := exec.Command(spectral, "lint", "--format", "json", "--output", report, "--ruleset", ruleset, "openapi.yaml")
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	_ = cmd.Run() // exits non-zero on any finding; the report says which
	data, err := os.ReadFile(report)
	if err != nil {
		t.Fatalf("spectral wrote no report: %v\n%s", err, out.String())
	}
	var findings []struct {
		Code     string `json:"code"`
		Message  string `json:"message"`
		Severity int    `json:"severity"`
		Path     []any  `json:"path"`
	}
	if err := json.Unmarshal(data, &findings); err != nil {
		t.Fatalf("spectral report is not JSON: %v\n%s", err, data)
	}
	var errs, warns []string
	for _, f := range findings {
		line := f.Code + ": " + f.Message
		if f.Severity == 0 {
			errs = append(errs, line)
		} else {
			warns = append(warns, line)
		}
	}
	sort.Strings(warns)
	if len(warns) > 0 {
		t.Logf("spectral warnings (%d): %s", len(warns), strings.Join(warns, "\n"))
	}
	if len(errs) > 0 {
		t.Fatalf("spectral found %d errors:\n%s", len(errs), strings.Join(errs, "\n"))
	}
}
