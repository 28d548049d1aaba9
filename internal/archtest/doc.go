// Package archtest holds the test that keeps the import rules of ../shared/STYLE.md true:
// imports point down (cmd → api → issuer | verifier → did, internal/…, policies), protocol
// code never sees HTTP frameworks, and the wallet pulls in no server code.
package archtest
