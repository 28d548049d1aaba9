package oid4vp

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http"
	"strconv"
)

// Query is a DCQL query, §6: "a JSON-encoded object with the following top-level
// properties": credentials and credential_sets. Unknown properties are ignored (§6: "Implementations
// MUST ignore any unknown properties").
type Query struct {
	Credentials    []CredentialQuery    `json:"credentials"`
	CredentialSets []CredentialSetQuery `json:"credential_sets,omitempty"`
}

// CredentialQuery is §6.1.
type CredentialQuery struct {
	ID                 string             `json:"id"`
	Format             string             `json:"format"`
	Multiple           bool               `json:"multiple,omitempty"`
	Meta               Meta               `json:"meta"`
	TrustedAuthorities []TrustedAuthority `json:"trusted_authorities,omitempty"`
	// RequireCryptographicHolderBinding is nil when absent; "The default value is true"
	// (§6.1), see RequiresHolderBinding.
	RequireCryptographicHolderBinding *bool         `json:"require_cryptographic_holder_binding,omitempty"`
	Claims                            []ClaimsQuery `json:"claims,omitempty"`
	ClaimSets                         [][]string    `json:"claim_sets,omitempty"`
}

// RequiresHolderBinding applies the §6.1 default of require_cryptographic_holder_binding:
// true unless explicitly false.
func (c CredentialQuery) RequiresHolderBinding() bool {
	return c.RequireCryptographicHolderBinding == nil || *c.RequireCryptographicHolderBinding
}

// Meta holds the format-specific meta properties of a Credential Query: vct_values for
// dc+sd-jwt (B.3.5), doctype_value for mso_mdoc (B.2.3), type_values for W3C VCs (B.1.1).
type Meta struct {
	VCTValues    []string   `json:"vct_values,omitempty"`
	DoctypeValue string     `json:"doctype_value,omitempty"`
	TypeValues   [][]string `json:"type_values,omitempty"`
}

// TrustedAuthority is a Trusted Authorities Query, §6.1.1 (types aki, etsi_tl,
// openid_federation).
type TrustedAuthority struct {
	Type   string   `json:"type"`
	Values []string `json:"values"`
}

// CredentialSetQuery is §6.2.
type CredentialSetQuery struct {
	Options [][]string `json:"options"`
	// Required is nil when absent; "If omitted, the default value is true" (§6.2), see
	// IsRequired.
	Required *bool `json:"required,omitempty"`
	// Purpose was part of drafts before 1.0 (a string or an object); 1.0 final dropped it. It is
	// carried, never interpreted.
	Purpose any `json:"purpose,omitempty"`
}

// IsRequired applies the §6.2 default of required: true unless explicitly false.
func (s CredentialSetQuery) IsRequired() bool { return s.Required == nil || *s.Required }

// ClaimsQuery is §6.3. Path is a claims path pointer (§7): strings, nulls and non-negative
// integers (int after parsing). Values holds strings, integers (int64 after parsing) and
// booleans.
type ClaimsQuery struct {
	ID     string `json:"id,omitempty"`
	Path   []any  `json:"path"`
	Values []any  `json:"values,omitempty"`
	// IntentToRetain is the mso_mdoc parameter of B.2.4.
	IntentToRetain *bool `json:"intent_to_retain,omitempty"`
}

// UnmarshalJSON keeps numbers exact: path indexes become int and integer values int64;
// other numbers stay json.Number so that Validate can refuse them.
func (c *ClaimsQuery) UnmarshalJSON(b []byte) error {
	type plain ClaimsQuery
	var p plain
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&p); err != nil {
		return err
	}
	for i, el := range p.Path {
		if n, ok := el.(json.Number); ok {
			if v, ok := numberToInt(n); ok && v >= 0 && v <= math.MaxInt32 {
				p.Path[i] = int(v)
			}
		}
	}
	for i, el := range p.Values {
		if n, ok := el.(json.Number); ok {
			if v, ok := numberToInt(n); ok {
				p.Values[i] = v
			}
		}
	}
	*c = ClaimsQuery(p)
	return nil
}

// numberToInt converts a JSON number with an integral value (also "1e3" or "2.0") to int64.
func numberToInt(n json.Number) (int64, bool) {
	if v, err := n.Int64(); err == nil {
		return v, true
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, false
	}
	return int64(f), true
}

// ParseQuery parses and validates a DCQL query (the value of the dcql_query parameter).
// Errors are *Error with code invalid_request.
func ParseQuery(data []byte) (Query, error) {
	var q Query
	if err := json.Unmarshal(data, &q); err != nil {
		return Query{}, NewError(http.StatusBadRequest, ErrInvalidRequest, "dcql_query is not a valid DCQL JSON object", err)
	}
	if err := checkMetaPresent(data); err != nil {
		return Query{}, err
	}
	if err := q.Validate(); err != nil {
		return Query{}, err
	}
	return q, nil
}

// checkMetaPresent enforces what the Meta value type cannot tell: §6.1 meta is "REQUIRED.
// An object".
func checkMetaPresent(data []byte) error {
	var raw struct {
		Credentials []map[string]json.RawMessage `json:"credentials"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return NewError(http.StatusBadRequest, ErrInvalidRequest, "dcql_query is not a valid DCQL JSON object", err)
	}
	for i, c := range raw.Credentials {
		m, ok := c["meta"]
		if !ok || !bytes.HasPrefix(bytes.TrimSpace(m), []byte("{")) {
			return invalidRequest("dcql_query credentials[%d].meta: required object is missing", i)
		}
	}
	return nil
}

// Requests reports whether the object member path (names from the top) is a claim one of the
// query's Credential Queries asks for, or an object on the way to one: what a holder keeps of
// its disclosures to answer the query. Only string path elements are matched (§7.1: an
// array step ends the object path).
func (q Query) Requests(path []string) bool {
	for _, cq := range q.Credentials {
		for _, cl := range cq.Claims {
			if onPath(path, cl.Path) {
				return true
			}
		}
	}
	return false
}

// onPath reports whether path is claim's path or one of its parents.
func onPath(path []string, claim []any) bool {
	if len(path) > len(claim) {
		return false
	}
	for i, p := range path {
		if s, ok := claim[i].(string); !ok || s != p {
			return false
		}
	}
	return true
}
