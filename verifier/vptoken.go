package verifier

import (
	"context"
	"errors"
	"slices"

	"github.com/sociaaldomein/bewijs/verifier/oid4vp"
)

// VerifyVPToken verifies every presentation of an OpenID4VP vp_token against opts and
// checks that together they satisfy opts.Query. It returns the first Failure, with the
// Credential Query id of the presentation that failed, or the verified credentials.
//
// OpenID4VP 1.0 §8.6: the Verifier MUST "Validate the format of the VP Token", verify
// each Presentation "according to the rules of the respective Credential Format", and
// "Check that the set of Presentations returned satisfies all requirements defined in the
// Verifier's request as described in Section 6.4".
func (v *Verifier) VerifyVPToken(ctx context.Context, token oid4vp.VPToken, opts Options) (Result, error) {
	opts = opts.withDefaults()
	if err := checkRequest(opts); err != nil {
		return Result{}, err
	}
	if !opts.QueryValidated {
		if err := opts.Query.Validate(); err != nil {
			return Result{}, newFailure(ReasonInvalidRequest, err, "the query of the request is not valid DCQL")
		}
	}
	if err := checkTokenSize(token, opts.MaxTokenBytes); err != nil {
		return Result{}, err
	}
	if err := checkAnswers(token, opts.Query); err != nil {
		return Result{}, err
	}
	ids := make([]string, 0, len(token))
	for id := range token {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var res Result
	presented := make(map[string][]map[string]any, len(token))
	for _, id := range ids {
		for _, p := range token[id] {
			cred, err := v.VerifyPresentation(ctx, p, opts)
			if err != nil {
				return Result{}, forQuery(err, id)
			}
			cred.QueryID = id
			res.Credentials = append(res.Credentials, cred)
			presented[id] = append(presented[id], cred.Claims)
		}
	}
	// The query was validated above, or by ParseQuery (opts.QueryValidated).
	if err := oid4vp.SatisfiedByValid(opts.Query, presented); err != nil {
		return Result{}, unsatisfied(err)
	}
	return res, nil
}

// checkTokenSize bounds the whole vp_token before anything is parsed.
func checkTokenSize(token oid4vp.VPToken, maxBytes int) error {
	total := 0
	for id, list := range token {
		total += len(id)
		for _, p := range list {
			total += len(p)
		}
	}
	if total > maxBytes {
		return newFailure(ReasonTooLarge, nil, "the vp_token of %d bytes exceeds the limit of %d", total, maxBytes)
	}
	return nil
}

// checkAnswers is §8.6 step 1 "Validate the format of the VP Token as defined in Section
// 8.1" against the query, before any presentation is verified.
func checkAnswers(token oid4vp.VPToken, q oid4vp.Query) error {
	if len(token) == 0 {
		return newFailure(ReasonMalformed, nil, "the vp_token is empty")
	}
	for id, list := range token {
		i := slices.IndexFunc(q.Credentials, func(cq oid4vp.CredentialQuery) bool { return cq.ID == id })
		// §8.1: "the key is the id value used for a Credential Query in the DCQL query".
		if i < 0 {
			return newFailure(ReasonQueryNotSatisfied, nil, "the vp_token answers a credential query that was not asked")
		}
		cq := q.Credentials[i]
		if f := checkAnswer(cq, list); f != nil {
			f.CredentialQueryID = id
			return f
		}
	}
	return nil
}

func checkAnswer(cq oid4vp.CredentialQuery, list []string) *Failure {
	// §8.1: "the value is an array of one or more Presentations".
	if len(list) == 0 || slices.Contains(list, "") {
		return newFailure(ReasonMalformed, nil, "the vp_token holds an empty array or presentation")
	}
	// §8.1: "When multiple is omitted, or set to false, the array MUST contain only one
	// Presentation."
	if !cq.Multiple && len(list) > 1 {
		return newFailure(ReasonQueryNotSatisfied, nil, "%d presentations answer a credential query without multiple", len(list))
	}
	if cq.Format != oid4vp.FormatSDJWTVC {
		return newFailure(ReasonUnsupportedFormat, nil, "only %s presentations are verified", oid4vp.FormatSDJWTVC)
	}
	return nil
}

// unsatisfied turns the error of oid4vp.SatisfiedBy into a Failure. Its text names the
// query's own ids, claim paths and values, never claim values of the credential.
func unsatisfied(err error) error {
	f := newFailure(ReasonQueryNotSatisfied, err, "%s", err.Error())
	var u *oid4vp.UnsatisfiedError
	if errors.As(err, &u) {
		f.CredentialQueryID = u.CredentialQueryID
	}
	return f
}
