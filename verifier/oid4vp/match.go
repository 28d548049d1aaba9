package oid4vp

// Candidate is a credential the wallet holds, as DCQL sees it (§6.4): its format, its type
// and its claims. For dc+sd-jwt, Claims is the processed SD-JWT VC payload with every
// disclosure applied (vct, cnf and the disclosable claims; objects as map[string]any, arrays
// as []any) and VCT its vct (read from Claims when empty). For mso_mdoc, VCT is the doctype
// and Claims maps namespaces to data elements. For W3C formats, Claims is the credential
// and its "type" is matched against type_values.
type Candidate struct {
	ID     string
	Format string
	VCT    string
	Claims map[string]any
}

// Result is the outcome of Match.
type Result struct {
	// Matches lists, per Credential Query id, the candidates that satisfy it, in candidate
	// order. A query without "multiple": true is answered with exactly one of them (§8.1).
	Matches map[string][]CandidateMatch
	// Selected are the Credential Query ids the wallet must answer (§6.4.2): every query
	// without credential_sets, else the queries of the first satisfiable option of each
	// required Credential Set Query. In query order.
	Selected []string
	// Optional are the ids of the first satisfiable option of each optional Credential Set
	// Query that are not already Selected; the wallet may answer them too.
	Optional []string
}

// CandidateMatch is one candidate satisfying a Credential Query.
type CandidateMatch struct {
	CandidateID string
	// ClaimSet is the index into claim_sets of the claim set used (the first one the
	// candidate satisfies, §6.4.1), or -1 when the query has no claim_sets.
	ClaimSet int
	// Paths are the concrete claims path pointers to disclose: each null of the query
	// expanded to the array indexes selected (and, under a values restriction, only the
	// elements whose value matches). Nil when the query requests no claims, i.e. only what is
	// mandatory to present.
	Paths [][]any
}

// Match evaluates a DCQL query against the wallet's candidates following §6.4. It returns
// *Error (invalid_request) for an invalid query, and *UnsatisfiedError when the candidates
// cannot satisfy the query: §6.4.2 "If the Wallet cannot deliver all non-optional
// Credentials requested by the Verifier according to these rules, it MUST NOT return any
// Credential(s)". Then Result still holds Matches (for diagnostics) but no Selected.
//
// Not evaluated: trusted_authorities (a SHOULD, and a Candidate carries no issuer chain) and
// type inheritance of vct_values (B.3.5 MAY).
func Match(q Query, candidates []Candidate) (Result, error) {
	if err := q.Validate(); err != nil {
		return Result{}, err
	}
	res := Result{Matches: make(map[string][]CandidateMatch)}
	misses := make(map[string]*UnsatisfiedError)
	for _, cq := range q.Credentials {
		for _, c := range candidates {
			m, miss := matchCandidate(cq, c)
			if miss == nil {
				res.Matches[cq.ID] = append(res.Matches[cq.ID], m)
				continue
			}
			// Keep the most telling miss: one about a claim beats one about format or type.
			if prev := misses[cq.ID]; prev == nil || (prev.ClaimPath == nil && miss.ClaimPath != nil) {
				misses[cq.ID] = miss
			}
		}
	}
	available := func(id string) bool { return len(res.Matches[id]) > 0 }
	selected, optional, err := selectCredentials(q, available, misses)
	if err != nil {
		return res, err
	}
	res.Selected, res.Optional = selected, optional
	return res, nil
}

// matchCandidate checks one candidate against one Credential Query.
func matchCandidate(cq CredentialQuery, c Candidate) (CandidateMatch, *UnsatisfiedError) {
	// §6.1 format: the Credential must be of the requested format.
	if c.Format != cq.Format {
		return CandidateMatch{}, unsatisfiedCredential(cq.ID, "no credential of format %s", cq.Format)
	}
	if reason := candidateTypeMismatch(cq, c); reason != "" {
		return CandidateMatch{}, unsatisfiedCredential(cq.ID, "%s", reason)
	}
	// B.3: "If require_cryptographic_holder_binding is set to true ... SD-JWTs that do not
	// support Holder Binding (i.e., do not have a cnf Claim) cannot be returned".
	if cq.Format == FormatSDJWTVC && cq.RequiresHolderBinding() {
		if _, ok := c.Claims["cnf"]; !ok {
			return CandidateMatch{}, unsatisfiedCredential(cq.ID, "holder binding is required but the credential has no cnf")
		}
	}
	sel, miss := selectForCredential(cq, c.Claims)
	if miss != nil {
		return CandidateMatch{}, miss
	}
	return CandidateMatch{CandidateID: c.ID, ClaimSet: sel.ClaimSet, Paths: sel.Paths}, nil
}

// candidateTypeMismatch applies the format-specific meta of Appendix B to a candidate and
// returns why it does not match, or "".
func candidateTypeMismatch(cq CredentialQuery, c Candidate) string {
	switch cq.Format {
	case FormatSDJWTVC:
		vct := c.VCT
		if vct == "" {
			vct, _ = c.Claims["vct"].(string)
		}
		return vctMismatch(cq.Meta, vct)
	case FormatMDoc:
		// B.2.3 doctype_value: "an allowed value for the doctype".
		if c.VCT != cq.Meta.DoctypeValue {
			return "no credential of doctype " + cq.Meta.DoctypeValue
		}
	case FormatJWTVCJSON, FormatLDPVC:
		return typeValuesMismatch(cq.Meta, c.Claims)
	}
	return ""
}

// vctMismatch: B.3.5 vct_values "specifies allowed values for the type of the requested
// Verifiable Credential". Only exact matches; inheritance is not followed.
func vctMismatch(m Meta, vct string) string {
	for _, v := range m.VCTValues {
		if v == vct {
			return ""
		}
	}
	return "no credential with a vct in vct_values"
}

// typeValuesMismatch: B.1.1 "Each inner array specifies a set of fully expanded types that
// MUST be present in the fully expanded types in the type property". Types are compared as
// written (no JSON-LD expansion).
func typeValuesMismatch(m Meta, claims map[string]any) string {
	have := make(map[string]bool)
	switch ts := claims["type"].(type) {
	case []any:
		for _, t := range ts {
			if s, ok := t.(string); ok {
				have[s] = true
			}
		}
	case []string:
		for _, s := range ts {
			have[s] = true
		}
	case string:
		have[ts] = true
	}
	for _, alt := range m.TypeValues {
		all := true
		for _, t := range alt {
			all = all && have[t]
		}
		if all {
			return ""
		}
	}
	return "no credential whose type matches type_values"
}
