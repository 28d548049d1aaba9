package oid4vp

import "strings"

// claimSelection is the outcome of §6.4.1 for one credential: the claim set used (-1 when
// there are no claim_sets) and the concrete paths to disclose.
type claimSelection struct {
	ClaimSet int
	Paths    [][]any
}

// selectForCredential applies §6.4.1 "Selecting Claims" to one credential's claims. It
// returns the selection, or the first missing claim (of the first claim set, the
// Verifier's preferred one, when there are claim_sets).
func selectForCredential(cq CredentialQuery, claims map[string]any) (claimSelection, *UnsatisfiedError) {
	// "If claims is absent, the Verifier is requesting no claims that are selectively
	// disclosable; the Wallet MUST return only the claims that are mandatory to present".
	if len(cq.Claims) == 0 {
		return claimSelection{ClaimSet: -1}, nil
	}
	found := make([][]selectedClaim, len(cq.Claims))
	for i, cl := range cq.Claims {
		found[i] = resolveClaim(claims, cl)
	}
	// "If claims is present, but claim_sets is absent, the Verifier requests all claims
	// listed in claims."
	if cq.ClaimSets == nil {
		all := make([]int, len(cq.Claims))
		for i := range all {
			all[i] = i
		}
		return pickClaims(cq, found, all, -1)
	}
	// "the Wallet SHOULD return the first option that it can satisfy. If the Wallet cannot
	// satisfy any of the options, it MUST NOT return any claims."
	index := make(map[string]int, len(cq.Claims))
	for i, cl := range cq.Claims {
		index[cl.ID] = i
	}
	var firstMiss *UnsatisfiedError
	for s, set := range cq.ClaimSets {
		idx := make([]int, len(set))
		for i, id := range set {
			idx[i] = index[id]
		}
		sel, miss := pickClaims(cq, found, idx, s)
		if miss == nil {
			return sel, nil
		}
		if firstMiss == nil {
			firstMiss = miss
			firstMiss.Reason = "no claim set can be satisfied; the first lacks this claim"
		}
	}
	return claimSelection{}, firstMiss
}

// resolveClaim selects a claim (§7.1.1) and drops elements whose value does not match
// values: §6.4.1 "the claim should be treated the same as if it did not exist in the
// Credential". A processing error selects nothing.
func resolveClaim(claims map[string]any, cl ClaimsQuery) []selectedClaim {
	sel, err := selectClaims(claims, cl.Path)
	if err != nil {
		return nil
	}
	return matchValues(sel, cl.Values)
}

// pickClaims collects the paths of the claims idx, or names the first one that is missing.
func pickClaims(cq CredentialQuery, found [][]selectedClaim, idx []int, set int) (claimSelection, *UnsatisfiedError) {
	sel := claimSelection{ClaimSet: set}
	for _, i := range idx {
		if len(found[i]) == 0 {
			reason := "claim is missing"
			if cq.Claims[i].Values != nil {
				reason = "claim is missing or has none of the requested values"
			}
			return claimSelection{}, unsatisfiedClaim(cq.ID, cq.Claims[i], reason)
		}
		for _, s := range found[i] {
			sel.Paths = appendPath(sel.Paths, s.Path)
		}
	}
	return sel, nil
}

// appendPath adds p unless an equal path is already there.
func appendPath(paths [][]any, p []any) [][]any {
	for _, q := range paths {
		if samePath(q, p) {
			return paths
		}
	}
	return append(paths, p)
}

// selectCredentials applies §6.4.2 "Selecting Credentials" given which Credential Query
// ids can be answered. misses holds, per id, why it cannot (for the error).
func selectCredentials(q Query, available func(id string) bool, misses map[string]*UnsatisfiedError) (selected, optional []string, err error) {
	// "If credential_sets is not provided, the Verifier requests presentations for all
	// Credentials in credentials to be returned."
	if q.CredentialSets == nil {
		for _, cq := range q.Credentials {
			if !available(cq.ID) {
				return nil, nil, missFor(cq.ID, misses)
			}
			selected = append(selected, cq.ID)
		}
		return selected, nil, nil
	}
	want := make(map[string]bool)
	maybe := make(map[string]bool)
	for i, set := range q.CredentialSets {
		opt := firstSatisfiable(set, available)
		switch {
		case opt != nil && set.IsRequired():
			markAll(want, opt)
		case opt != nil:
			markAll(maybe, opt)
		case set.IsRequired():
			// "the Verifier requests presentations of Credentials to be returned satisfying all
			// of the Credential Set Queries in the credential_sets array where the required
			// attribute is true or omitted".
			return nil, nil, setMiss(i, set, available, misses)
		}
	}
	for _, cq := range q.Credentials {
		switch {
		case want[cq.ID]:
			selected = append(selected, cq.ID)
		case maybe[cq.ID]:
			optional = append(optional, cq.ID)
		}
	}
	return selected, optional, nil
}

// firstSatisfiable returns the first option whose Credential Queries can all be answered.
// §6.2: "each value in the array is a list of Credential Query identifiers representing one
// set of Credentials that satisfies the use case".
func firstSatisfiable(set CredentialSetQuery, available func(string) bool) []string {
	for _, opt := range set.Options {
		ok := true
		for _, id := range opt {
			ok = ok && available(id)
		}
		if ok {
			return opt
		}
	}
	return nil
}

func markAll(m map[string]bool, ids []string) {
	for _, id := range ids {
		m[id] = true
	}
}

// missFor returns the recorded reason id cannot be answered, or a generic one.
func missFor(id string, misses map[string]*UnsatisfiedError) *UnsatisfiedError {
	if m := misses[id]; m != nil {
		return m
	}
	return unsatisfiedCredential(id, "no credential matches")
}

// setMiss explains a required Credential Set Query no option of which can be satisfied.
func setMiss(i int, set CredentialSetQuery, available func(string) bool, misses map[string]*UnsatisfiedError) *UnsatisfiedError {
	var lacks []string
	for _, opt := range set.Options {
		for _, id := range opt {
			if !available(id) {
				lacks = append(lacks, id)
				break
			}
		}
	}
	e := unsatisfiedSet(i, "no option can be satisfied (options lack %s)", strings.Join(lacks, ", "))
	if len(lacks) > 0 {
		if m := misses[lacks[0]]; m != nil {
			e.CredentialQueryID, e.ClaimID, e.ClaimPath = m.CredentialQueryID, m.ClaimID, m.ClaimPath
			e.Reason += "; " + lacks[0] + ": " + m.Reason
		}
	}
	return e
}
