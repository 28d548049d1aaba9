package sdjwt

import (
	"slices"
	"time"

	"github.com/sociaaldomein/bewijs/internal/jose"
)

// KeyBinding is what the Holder needs to make a Key Binding JWT (RFC 9901 §4.3).
type KeyBinding struct {
	Signer   jose.Signer // holder key (must match cnf.jwk)
	Audience string
	Nonce    string
	IssuedAt time.Time // zero: time.Now
}

// Present builds a presentation from an issued SD-JWT: keep decides which disclosures (by
// path of the claim they disclose) go along; a disclosure nested in another is only
// presentable with its parent. With kb != nil a KB-JWT (typ kb+jwt, iat, aud, nonce,
// sd_hash) is appended; otherwise the result ends with '~'.
//
// Paths are those of IssueOptions.Disclosable: object member names from the top. An array
// element disclosure (which Issue never makes) has its index, in decimal, as last element.
// A nil keep presents no disclosure.
func Present(issued string, keep func(path []string) bool, kb *KeyBinding) (string, error) {
	s, err := Parse(issued)
	if err != nil {
		return "", err
	}
	// RFC 9901 §7.2: "The Issuer provides the Holder with an SD-JWT, not an SD-JWT+KB.
	// If the Holder receives an SD-JWT+KB, it MUST be rejected."
	if s.KeyBindingJWT != "" {
		return "", newError(CodeMalformed, "an issued SD-JWT has no KB-JWT")
	}
	payload := s.parsed.payload // Parse decoded it under DefaultLimits
	if err := checkSDAlg(payload); err != nil {
		return "", err
	}
	res, err := processWithPaths(payload, s.Disclosures)
	if err != nil {
		return "", err
	}
	out := &SDJWT{IssuerJWT: s.IssuerJWT, Disclosures: selectDisclosures(s.Disclosures, res, keep)}
	if kb == nil {
		return out.presented(), nil
	}
	if err := checkHolderKey(res.claims, kb.Signer); err != nil {
		return "", err
	}
	kbJWT, err := signKeyBinding(out.presented(), *kb)
	if err != nil {
		return "", err
	}
	out.KeyBindingJWT = kbJWT
	return out.String(), nil
}

// selectDisclosures keeps the disclosures keep selects whose parents are kept too, in
// their issued order. RFC 9901 §7.2 step 2: each selected Disclosure's hash must be
// "contained in the Issuer-signed JWT claims" or "in the claim value of another selected
// Disclosure"; §4.2.6: "If a disclosure object is included in an SD-JWT, then the SD-JWT
// MUST include any other disclosure objects necessary to process the first".
func selectDisclosures(ds []Disclosure, res processed, keep func([]string) bool) []Disclosure {
	if keep == nil {
		return nil
	}
	kept := make([]bool, len(ds))
	decided := make([]bool, len(ds))
	var decide func(i int) bool
	decide = func(i int) bool {
		if !decided[i] {
			decided[i] = true
			parent := res.parents[i]
			kept[i] = (parent == noParent || decide(parent)) && keep(slices.Clone(res.paths[i]))
		}
		return kept[i]
	}
	var out []Disclosure
	for i, d := range ds {
		if decide(i) {
			out = append(out, d)
		}
	}
	return out
}

// checkHolderKey makes sure the KB-JWT will be signed by the key in cnf.jwk, which is
// the only key a Verifier accepts for it (RFC 9901 §4.3.2).
func checkHolderKey(claims map[string]any, signer jose.Signer) error {
	holder, err := holderKey(claims)
	if err != nil {
		return err
	}
	if holder == nil {
		return newError(CodeKeyBinding, "the SD-JWT has no cnf.jwk: it cannot be key bound")
	}
	if signer.Key == nil || !sameKey(signer.Key.Public(), holder) {
		return newError(CodeKeyBinding, "the key binding signer is not the key in cnf.jwk")
	}
	return nil
}
