package oid4vp

import "sort"

// SatisfiedBy is the Verifier's check of §8.6 ("Validate that the returned Credential(s) meet
// all criteria defined in the query" and "Check that the set of Presentations returned
// satisfies all requirements defined in the Verifier's request as described in §6.4").
// presented maps each vp_token key (a Credential Query id) to the disclosed, processed
// claims of each verified presentation (for dc+sd-jwt: the SD-JWT VC payload after applying
// the disclosures, including vct).
//
// It returns *Error (invalid_request) for an invalid query and *UnsatisfiedError naming the
// Credential Query, claim or Credential Set Query that is not satisfied. Any claim set of a
// query is accepted, not only the first (§6.4.1 lets the Wallet deviate). Holder binding and
// trusted authorities are checked where the presentation is verified, not here; so is the
// doctype of mso_mdoc.
func SatisfiedBy(q Query, presented map[string][]map[string]any) error {
	if err := q.Validate(); err != nil {
		return err
	}
	return SatisfiedByValid(q, presented)
}

// SatisfiedByValid is SatisfiedBy for a query that ParseQuery or Validate has already
// accepted: a verifier checks every response to a request against the same query, and
// validating it again each time allocates more than the check itself.
func SatisfiedByValid(q Query, presented map[string][]map[string]any) error {
	byID := make(map[string]CredentialQuery, len(q.Credentials))
	for _, cq := range q.Credentials {
		byID[cq.ID] = cq
	}
	ids := make([]string, 0, len(presented))
	for id := range presented {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		cq, ok := byID[id]
		if !ok {
			// §8.1 vp_token: "the key is the id value used for a Credential Query in the DCQL
			// query".
			return unsatisfiedCredential(id, "not a credential query id of the request")
		}
		if err := presentedSatisfies(cq, presented[id]); err != nil {
			return err
		}
	}
	available := func(id string) bool { return len(presented[id]) > 0 }
	_, _, err := selectCredentials(q, available, nil)
	if err != nil {
		return err
	}
	return nil
}

// presentedSatisfies checks the presentations answering one Credential Query.
func presentedSatisfies(cq CredentialQuery, list []map[string]any) error {
	// §8.1 vp_token: "the value is an array of one or more Presentations".
	if len(list) == 0 {
		return unsatisfiedCredential(cq.ID, "no presentation")
	}
	// §8.1: "When multiple is omitted, or set to false, the array MUST contain only one
	// Presentation."
	if !cq.Multiple && len(list) > 1 {
		return unsatisfiedCredential(cq.ID, "%d presentations but multiple is not true", len(list))
	}
	for _, claims := range list {
		if reason := presentedTypeMismatch(cq, claims); reason != "" {
			return unsatisfiedCredential(cq.ID, "%s", reason)
		}
		// §6.4.1: "If the Wallet cannot deliver all claims requested by the Verifier according
		// to these rules, it MUST NOT return the respective Credential."
		if _, miss := selectForCredential(cq, claims); miss != nil {
			return miss
		}
	}
	return nil
}

// presentedTypeMismatch checks the format-specific meta against what the presentation
// discloses: vct for dc+sd-jwt (never selectively disclosable in SD-JWT VC) and type for W3C
// VCs.
func presentedTypeMismatch(cq CredentialQuery, claims map[string]any) string {
	switch cq.Format {
	case FormatSDJWTVC:
		vct, _ := claims["vct"].(string)
		return vctMismatch(cq.Meta, vct)
	case FormatJWTVCJSON, FormatLDPVC:
		return typeValuesMismatch(cq.Meta, claims)
	}
	return ""
}
