package verifier

import (
	"time"

	"github.com/sociaaldomein/bewijs/verifier/oid4vp"
)

// Outcome is the result of a completed presentation request.
type Outcome struct {
	Verified bool `json:"verified"`
	// Reason and Detail say why a response was rejected; Detail never holds claim values.
	Reason            Reason `json:"reason,omitempty"`
	Detail            string `json:"detail,omitempty"`
	CredentialQueryID string `json:"credential_query_id,omitempty"`
	// Credentials are the verified credentials with exactly the claims the query asked for.
	Credentials []DisclosedCredential `json:"credentials,omitempty"`
	// EvidenceKept says whether the raw presentation is kept (the tenant's retention choice).
	EvidenceKept bool `json:"evidence_kept,omitempty"`
}

// DisclosedCredential is one verified credential in an Outcome.
type DisclosedCredential struct {
	QueryID   string         `json:"credential_query_id"`
	Issuer    string         `json:"issuer"`
	VCT       string         `json:"vct"`
	Status    string         `json:"status"`
	ExpiresAt time.Time      `json:"expires_at,omitzero"`
	Claims    map[string]any `json:"claims"`
	// Trust holds the trust policy's reasons for accepting the issuer.
	Trust []string `json:"trust,omitempty"`
}

// disclosedOf keeps, of a verified credential, only the claims its credential query asked
// for: a wallet that discloses more does not make the verifier keep more (data
// minimisation). Metadata (issuer, vct, status, expiry) is kept apart from the claims.
func disclosedOf(c Credential, q oid4vp.Query) DisclosedCredential {
	out := DisclosedCredential{QueryID: c.QueryID, Issuer: c.Issuer, VCT: c.VCT, Status: c.Status, ExpiresAt: c.ExpiresAt,
		Claims: map[string]any{}, Trust: c.TrustReasons}
	for _, cq := range q.Credentials {
		if cq.ID != c.QueryID {
			continue
		}
		for _, cl := range cq.Claims {
			paths, values, err := oid4vp.SelectClaims(c.Claims, cl.Path)
			if err != nil {
				continue
			}
			for i, p := range paths {
				if m, ok := setPath(out.Claims, p, values[i]).(map[string]any); ok {
					out.Claims = m
				}
			}
		}
	}
	return out
}

// setPath puts value at a concrete claims path (strings for object members, integers for
// array elements) below node, creating the objects and arrays on the way, and returns node.
func setPath(node any, path []any, value any) any {
	if len(path) == 0 {
		return value
	}
	if name, ok := path[0].(string); ok {
		m, _ := node.(map[string]any)
		if m == nil {
			m = map[string]any{}
		}
		m[name] = setPath(m[name], path[1:], value)
		return m
	}
	idx, ok := intOf(path[0])
	if !ok {
		return node
	}
	arr, _ := node.([]any)
	for len(arr) <= idx {
		arr = append(arr, nil)
	}
	arr[idx] = setPath(arr[idx], path[1:], value)
	return arr
}

func intOf(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, n >= 0
	case int64:
		return int(n), n >= 0
	case float64:
		return int(n), n == float64(int(n)) && n >= 0
	}
	return 0, false
}
