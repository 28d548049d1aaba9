// Package policies decides bewijs' authorisation questions with Rego policies evaluated by Open
// Policy Agent (v1):
//
//   - trust: which issuers may issue which credential types, and (role_decision) whether an
//     OrganisatieRol credential of a trust anchor is acceptable;
//   - requests: which verifier may ask which claims for which purpose (data minimisation), and
//     the named DCQL queries the verifier sends (NamedQuery);
//   - pid: which PID issuers are trusted for login by disclosure;
//   - declareren: whether an aanbieder may get a token to declare care to a gemeente, for which
//     toewijzingen (token_decision), and whether one declaratie line fits its toewijzing
//     (declaratie_decision).
//
// Each policy is a Rego package bewijs.<name> whose rule decision is {"allow": bool, "reasons":
// [string]}; Decide(ctx, "<name>", input) evaluates it. A policy may have more decision rules of
// that shape, named *_decision, which DecideRule(ctx, "<name>", "<rule>", input) evaluates; a
// decision's other members (such as covered) come back in Decision.Details. The defaults are
// embedded (rego/*.rego); Config.Dir replaces them with the *.rego files of a directory, which
// Run polls and reloads. A set of files is activated only when it parses, compiles and passes
// its own Rego tests (the test_ rules of its *_test.rego files); otherwise the engine keeps the
// last good set, logs the error and reports it through LastError.
//
// This is the only package of bewijs that imports OPA: OPA is large to compile, and keeping it
// here keeps the rest of the module quick to build.
package policies
