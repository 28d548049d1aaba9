package policies

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
)

// namedQueriesRef is where the requests policy keeps its named DCQL queries.
const namedQueriesRef = "data.bewijs.requests.named_queries"

// decisionRule is the rule Decide evaluates; DecideRule evaluates it or another rule of the
// policy whose name ends in decisionSuffix.
const (
	decisionRule   = "decision"
	decisionSuffix = "_decision"
)

// policySet is one compiled and tested set of policy files, with a query prepared per decision
// rule of each policy. It never changes after build, so any number of goroutines may use it.
type policySet struct {
	revision string
	names    []string
	queries  map[ruleKey]rego.PreparedEvalQuery
	named    map[string]json.RawMessage
}

// ruleKey names a decision rule: data.bewijs.<policy>.<rule>.
type ruleKey struct{ policy, rule string }

// build parses, compiles and tests files, and prepares the queries of the decision rules of
// every policy.
func build(ctx context.Context, files []file) (*policySet, error) {
	policy, all, err := parse(files)
	if err != nil {
		return nil, err
	}
	compiler, err := compile(policy)
	if err != nil {
		return nil, err
	}
	if err := checkRegoTests(ctx, all); err != nil {
		return nil, err
	}
	set := &policySet{revision: revision(files), names: policyNames(compiler), queries: map[ruleKey]rego.PreparedEvalQuery{}}
	if len(set.names) == 0 {
		return nil, errorf(CompileFailed, "", "no policy: no package bewijs.<name> has a decision rule")
	}
	for _, name := range set.names {
		for _, rule := range decisionRules(compiler, name) {
			pq, err := prepare(ctx, compiler, "data.bewijs."+name+"."+rule)
			if err != nil {
				return nil, newError(CompileFailed, name, err)
			}
			set.queries[ruleKey{name, rule}] = pq
		}
	}
	if set.named, err = namedQueries(ctx, compiler); err != nil {
		return nil, err
	}
	return set, nil
}

func prepare(ctx context.Context, c *ast.Compiler, query string) (rego.PreparedEvalQuery, error) {
	return rego.New(rego.Compiler(c), rego.Query(query)).PrepareForEval(ctx)
}

// namedQueries evaluates the named DCQL queries once: they are constants of the set.
func namedQueries(ctx context.Context, c *ast.Compiler) (map[string]json.RawMessage, error) {
	pq, err := prepare(ctx, c, namedQueriesRef)
	if err != nil {
		return nil, newError(CompileFailed, "named_queries", err)
	}
	rs, err := pq.Eval(ctx)
	if err != nil {
		return nil, newError(CompileFailed, "named_queries", err)
	}
	out := map[string]json.RawMessage{}
	if len(rs) == 0 {
		return out, nil
	}
	all, ok := rs[0].Expressions[0].Value.(map[string]any)
	if !ok {
		return nil, errorf(CompileFailed, "named_queries", "%s is not an object", namedQueriesRef)
	}
	for name, q := range all {
		if _, ok := q.(map[string]any); !ok {
			return nil, errorf(CompileFailed, name, "named query is not an object")
		}
		raw, err := json.Marshal(q)
		if err != nil {
			return nil, newError(CompileFailed, name, err)
		}
		out[name] = raw
	}
	return out, nil
}

// decisionRules lists the decision rules of policy: decision, and the rules whose name ends in
// _decision, sorted.
func decisionRules(c *ast.Compiler, policy string) []string {
	path := ast.MustParseRef("data.bewijs." + policy)
	var rules []string
	for _, m := range c.Modules {
		if !m.Package.Path.Equal(path) {
			continue
		}
		for _, r := range m.Rules {
			ref := r.Head.Ref()
			if len(ref) != 1 {
				continue
			}
			name := ref[0].Value.String()
			if (name == decisionRule || strings.HasSuffix(name, decisionSuffix)) && !slices.Contains(rules, name) {
				rules = append(rules, name)
			}
		}
	}
	slices.Sort(rules)
	return rules
}

// decide evaluates one policy's decision rule for input at time now.
func (s *policySet) decide(ctx context.Context, policy string, input any, now time.Time) (Decision, error) {
	return s.decideRule(ctx, policy, decisionRule, input, now)
}

// decideRule evaluates one decision rule of a policy for input at time now.
func (s *policySet) decideRule(ctx context.Context, policy, rule string, input any, now time.Time) (Decision, error) {
	pq, ok := s.queries[ruleKey{policy, rule}]
	if !ok {
		if !slices.Contains(s.names, policy) {
			return Decision{}, errorf(UnknownPolicy, policy, "revision %s has policies %v", s.revision, s.names)
		}
		return Decision{}, errorf(UnknownPolicy, policy+"."+rule, "revision %s: policy %s has no decision rule %s (decision rules end in %s)", s.revision, policy, rule, decisionSuffix)
	}
	rs, err := pq.Eval(ctx, rego.EvalInput(input), rego.EvalTime(now))
	if err != nil {
		return Decision{}, newError(EvalFailed, policy, err)
	}
	d, err := decisionFrom(rs)
	if err != nil {
		return Decision{}, newError(InvalidDecision, policy, err)
	}
	d.Policy, d.Revision = policy, s.revision
	return d, nil
}

// decisionFrom reads {"allow": bool, "reasons": [string], ...} from a result set; other members
// become Details.
func decisionFrom(rs rego.ResultSet) (Decision, error) {
	if len(rs) == 0 || len(rs[0].Expressions) == 0 {
		return Decision{}, fmt.Errorf("the decision is undefined for this input")
	}
	obj, ok := rs[0].Expressions[0].Value.(map[string]any)
	if !ok {
		return Decision{}, fmt.Errorf("the decision is not an object")
	}
	allow, ok := obj["allow"].(bool)
	if !ok {
		return Decision{}, fmt.Errorf("decision.allow is not a boolean")
	}
	list, ok := obj["reasons"].([]any)
	if !ok {
		return Decision{}, fmt.Errorf("decision.reasons is not an array")
	}
	reasons := make([]string, 0, len(list))
	for _, r := range list {
		s, ok := r.(string)
		if !ok {
			return Decision{}, fmt.Errorf("decision.reasons holds a %T, not a string", r)
		}
		reasons = append(reasons, s)
	}
	details, err := detailsFrom(obj)
	if err != nil {
		return Decision{}, err
	}
	return Decision{Allow: allow, Reasons: reasons, Details: details}, nil
}

// detailsFrom encodes the members of a decision other than allow and reasons; nil when there
// are none.
func detailsFrom(obj map[string]any) (map[string]json.RawMessage, error) {
	var details map[string]json.RawMessage
	for k, v := range obj {
		if k == "allow" || k == "reasons" {
			continue
		}
		raw, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("decision.%s: %w", k, err)
		}
		if details == nil {
			details = map[string]json.RawMessage{}
		}
		details[k] = raw
	}
	return details, nil
}
