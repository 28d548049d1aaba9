package policies

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/tester"
)

// deniedBuiltins reach outside the policy: the network, or the OPA runtime (which holds the
// process environment). A policy decides from its input and its own tables only.
var deniedBuiltins = []string{"http.send", "net.lookup_ip_addr", "opa.runtime"}

// testTimeout bounds each Rego test run on load.
const testTimeout = 5 * time.Second

// capabilities are those of this OPA version less deniedBuiltins, with no network access.
func capabilities() *ast.Capabilities {
	c := ast.CapabilitiesForThisVersion()
	c.Builtins = slices.DeleteFunc(slices.Clone(c.Builtins), func(b *ast.Builtin) bool {
		return slices.Contains(deniedBuiltins, b.Name)
	})
	c.AllowNet = []string{}
	return c
}

// parse parses every file as Rego v1 and returns the policy modules and all modules (policy
// and test), keyed by file name.
func parse(files []file) (policy, all map[string]*ast.Module, err error) {
	policy, all = map[string]*ast.Module{}, map[string]*ast.Module{}
	var errs []error
	for _, f := range files {
		m, err := ast.ParseModuleWithOpts(f.Name, string(f.Src), ast.ParserOptions{RegoVersion: ast.RegoV1})
		if err != nil {
			errs = append(errs, err)
			continue
		}
		all[f.Name] = m
		if !f.isTest() {
			policy[f.Name] = m
		}
	}
	if len(errs) > 0 {
		return nil, nil, newError(CompileFailed, "", errors.Join(errs...))
	}
	return policy, all, nil
}

// compile compiles the policy modules (without the tests) with the restricted capabilities.
func compile(modules map[string]*ast.Module) (*ast.Compiler, error) {
	c := ast.NewCompiler().WithCapabilities(capabilities())
	if c.Compile(modules); c.Failed() {
		return nil, newError(CompileFailed, "", c.Errors)
	}
	return c, nil
}

// runRegoTests runs the test_ rules of all modules with the engine's capabilities.
func runRegoTests(ctx context.Context, all map[string]*ast.Module) ([]*tester.Result, error) {
	compiler := ast.NewCompiler().WithCapabilities(capabilities())
	ch, err := tester.NewRunner().
		SetCompiler(compiler).
		SetModules(all).
		SetTimeout(testTimeout).
		RunTests(ctx, nil)
	if err != nil {
		return nil, newError(CompileFailed, "", err)
	}
	var results []*tester.Result
	for r := range ch {
		results = append(results, r)
	}
	return results, nil
}

// checkRegoTests runs the Rego tests and fails when any of them does not pass.
func checkRegoTests(ctx context.Context, all map[string]*ast.Module) error {
	results, err := runRegoTests(ctx, all)
	if err != nil {
		return err
	}
	var failed []string
	for _, r := range results {
		if r.Fail || r.Error != nil {
			failed = append(failed, describeFailure(r))
		}
	}
	if len(failed) > 0 {
		slices.Sort(failed)
		return errorf(TestsFailed, "", "%d of %d failed: %s", len(failed), len(results), strings.Join(failed, "; "))
	}
	return nil
}

func describeFailure(r *tester.Result) string {
	where := r.Package + "." + r.Name
	if r.Location != nil {
		where = fmt.Sprintf("%s (%s:%d)", where, r.Location.File, r.Location.Row)
	}
	if r.Error != nil {
		return where + ": " + r.Error.Error()
	}
	return where
}

// policyNames lists the policies of a compiled set: each package bewijs.<name> with a rule
// named decision.
func policyNames(c *ast.Compiler) []string {
	var names []string
	for _, m := range c.Modules {
		path := m.Package.Path
		if len(path) != 3 || !path[1].Equal(ast.StringTerm("bewijs")) {
			continue
		}
		name, ok := path[2].Value.(ast.String)
		if !ok || slices.Contains(names, string(name)) {
			continue
		}
		if len(c.GetRulesExact(path.Append(ast.StringTerm("decision")))) > 0 {
			names = append(names, string(name))
		}
	}
	slices.Sort(names)
	return names
}
