// Package policies decides bewijs' authorisation questions with Rego policies evaluated by Open
// Policy Agent (v1):
//
//   - trust: which issuers may issue which credential types;
//   - requests: which verifier may ask which claims for which purpose (data minimisation), and
//     the named DCQL queries the verifier sends (NamedQuery);
//   - pid: which PID issuers are trusted for login by disclosure.
//
// Each policy is a Rego package bewijs.<name> whose rule decision is {"allow": bool, "reasons":
// [string]}; Decide(ctx, "<name>", input) evaluates it. The defaults are embedded (rego/*.rego);
// Config.Dir replaces them with the *.rego files of a directory, which Run polls and reloads.
// A set of files is activated only when it parses, compiles and passes its own Rego tests (the
// test_ rules of its *_test.rego files); otherwise the engine keeps the last good set, logs the
// error and reports it through LastError.
//
// This is the only package of bewijs that imports OPA: OPA is large to compile, and keeping it
// here keeps the rest of the module quick to build.
package policies
