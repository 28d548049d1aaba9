package policies

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/cover"
	"github.com/open-policy-agent/opa/v1/format"
	"github.com/open-policy-agent/opa/v1/tester"
)

// TestRegoTests runs the test_ rules of the embedded policies with OPA's tester, one subtest
// per Rego test, so `go test` fails on any failing Rego test.
func TestRegoTests(t *testing.T) {
	all := embeddedModules(t)
	results, err := runRegoTests(t.Context(), all)
	if err != nil {
		t.Fatal(err)
	}
	perPackage := map[string]int{}
	for _, r := range results {
		perPackage[r.Package]++
		t.Run(strings.TrimPrefix(r.Package, "data.")+"."+r.Name, func(t *testing.T) {
			if r.Skip {
				t.Skip("todo_ test")
			}
			if r.Fail || r.Error != nil {
				t.Error(describeFailure(r))
			}
		})
	}
	for _, pkg := range []string{"data.bewijs.trust_test", "data.bewijs.requests_test", "data.bewijs.pid_test", "data.bewijs.lib_test", "data.bewijs.declareren_test"} {
		if perPackage[pkg] < 3 {
			t.Errorf("%s ran %d Rego tests, want at least 3", pkg, perPackage[pkg])
		}
	}
}

// The Rego tests reach every rule and every expression of the policies whose every allow and
// deny rule must be tested (issue 5: declareren and trust, with the lib helpers they share):
// a rule none of the tests makes fire shows up as a line not covered.
func TestRegoTestsCoverEveryRule(t *testing.T) {
	all := embeddedModules(t)
	cov := cover.New()
	ch, err := tester.NewRunner().
		SetCompiler(ast.NewCompiler().WithCapabilities(capabilities())).
		SetModules(all).
		SetTimeout(testTimeout).
		SetCoverageQueryTracer(cov).
		SetCoverageRuns([]cover.Kind{}).
		RunTests(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for r := range ch {
		if r.Fail || r.Error != nil {
			t.Fatalf("%s: coverage needs passing tests", describeFailure(r))
		}
	}
	report := cov.Report(all)
	for _, name := range []string{"declareren.rego", "declaratie.rego", "trust.rego", "lib.rego"} {
		fr, ok := report.Files[name]
		if !ok {
			t.Errorf("%s: no coverage report", name)
			continue
		}
		var lines []string
		for _, r := range fr.NotCovered {
			lines = append(lines, fmt.Sprintf("%d-%d", r.Start.Row, r.End.Row))
		}
		if lines = slices.Compact(lines); len(lines) > 0 {
			t.Errorf("%s: lines %s are not covered by a Rego test", name, strings.Join(lines, ", "))
		}
	}
}

// Every policy file has its own Rego test file.
func TestEveryPolicyFileHasRegoTests(t *testing.T) {
	files := embeddedFiles(t)
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
	}
	for _, f := range files {
		if !f.isTest() && !slices.Contains(names, strings.TrimSuffix(f.Name, ".rego")+"_test.rego") {
			t.Errorf("%s has no %s_test.rego", f.Name, strings.TrimSuffix(f.Name, ".rego"))
		}
	}
}

// The embedded policies also pass OPA's strict checks (unused variables and imports, ...),
// which the engine does not impose on a policy directory.
func TestEmbeddedPoliciesCompileStrictly(t *testing.T) {
	all := embeddedModules(t)
	c := ast.NewCompiler().WithCapabilities(capabilities()).WithStrict(true)
	if c.Compile(all); c.Failed() {
		t.Fatal(c.Errors)
	}
	if got := policyNames(c); !slices.Equal(got, []string{"declareren", "pid", "requests", "trust"}) {
		t.Errorf("policies = %v, want [declareren pid requests trust]", got)
	}
}

// The embedded .rego files are as `opa fmt` writes them.
func TestRegoFilesAreFormatted(t *testing.T) {
	files := embeddedFiles(t)
	for _, f := range files {
		out, err := format.SourceWithOpts(f.Name, f.Src, format.Opts{RegoVersion: ast.RegoV1})
		if err != nil {
			t.Fatal(err)
		}
		if string(out) != string(f.Src) {
			t.Errorf("%s is not formatted; opa fmt would write:\n%s", f.Name, out)
		}
	}
}

// embeddedFiles are the embedded policy files with their tests.
func embeddedFiles(t *testing.T) []file {
	t.Helper()
	files, err := readFiles("")
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// embeddedModules are the embedded policy files and their tests, parsed.
func embeddedModules(t *testing.T) map[string]*ast.Module {
	t.Helper()
	_, all, err := parse(embeddedFiles(t))
	if err != nil {
		t.Fatal(err)
	}
	return all
}
