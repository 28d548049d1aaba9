package oid4vp

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
)

// Validate checks every MUST of §6 (and the format-specific meta of Appendix B) that can be
// checked on the query alone. Errors are *Error with code invalid_request whose description
// names the offending member, e.g. "dcql_query credentials[1].claims[0].path: ...".
func (q Query) Validate() error {
	// §6 credentials: "REQUIRED. A non-empty array of Credential Queries".
	if len(q.Credentials) == 0 {
		return invalidRequest("dcql_query credentials: must be a non-empty array")
	}
	ids := make(map[string]bool, len(q.Credentials))
	for i, c := range q.Credentials {
		// §6.1 id: "Within the Authorization Request, the same id MUST NOT be present more
		// than once."
		if ids[c.ID] {
			return invalidRequest("dcql_query credentials[%d].id: %q is used more than once", i, c.ID)
		}
		ids[c.ID] = true
		if err := c.validate(fmt.Sprintf("credentials[%d]", i)); err != nil {
			return err
		}
	}
	// §6 credential_sets: "OPTIONAL. A non-empty array of Credential Set Queries".
	if q.CredentialSets != nil && len(q.CredentialSets) == 0 {
		return invalidRequest("dcql_query credential_sets: must be a non-empty array when present")
	}
	for i, s := range q.CredentialSets {
		if err := s.validate(fmt.Sprintf("credential_sets[%d]", i), ids); err != nil {
			return err
		}
	}
	return nil
}

func (c CredentialQuery) validate(at string) error {
	// §6.1 id: "The value MUST be a non-empty string consisting of alphanumeric, underscore
	// (_), or hyphen (-) characters."
	if !validID(c.ID) {
		return invalidRequest("dcql_query %s.id: %q is not a non-empty string of [A-Za-z0-9_-]", at, c.ID)
	}
	// §6.1 format: "REQUIRED. A string that specifies the format of the requested Credential."
	if c.Format == "" {
		return invalidRequest("dcql_query %s.format: required", at)
	}
	if err := c.Meta.validate(at+".meta", c.Format); err != nil {
		return err
	}
	if err := validateTrustedAuthorities(at+".trusted_authorities", c.TrustedAuthorities); err != nil {
		return err
	}
	return c.validateClaims(at)
}

// validate checks the format-specific meta parameters of Appendix B.
func (m Meta) validate(at, format string) error {
	switch format {
	case FormatSDJWTVC:
		// B.3.5 vct_values: "REQUIRED. A non-empty array of strings".
		if len(m.VCTValues) == 0 {
			return invalidRequest("dcql_query %s.vct_values: required for %s", at, format)
		}
		for i, v := range m.VCTValues {
			if v == "" {
				return invalidRequest("dcql_query %s.vct_values[%d]: empty type identifier", at, i)
			}
		}
	case FormatMDoc:
		// B.2.3 doctype_value: "REQUIRED. String that specifies an allowed value for the doctype".
		if m.DoctypeValue == "" {
			return invalidRequest("dcql_query %s.doctype_value: required for %s", at, format)
		}
	case FormatJWTVCJSON, FormatLDPVC:
		// B.1.1 type_values: "REQUIRED. A non-empty array of string arrays. The value of each
		// element in the type_values array is a non-empty array".
		if len(m.TypeValues) == 0 {
			return invalidRequest("dcql_query %s.type_values: required for %s", at, format)
		}
		for i, alt := range m.TypeValues {
			if len(alt) == 0 {
				return invalidRequest("dcql_query %s.type_values[%d]: must be a non-empty array", at, i)
			}
		}
	}
	return nil
}

func validateTrustedAuthorities(at string, tas []TrustedAuthority) error {
	// §6.1 trusted_authorities: "OPTIONAL. A non-empty array of objects".
	if tas != nil && len(tas) == 0 {
		return invalidRequest("dcql_query %s: must be a non-empty array when present", at)
	}
	for i, ta := range tas {
		// §6.1.1: type "REQUIRED. A string"; values "REQUIRED. A non-empty array of strings".
		if ta.Type == "" {
			return invalidRequest("dcql_query %s[%d].type: required", at, i)
		}
		if len(ta.Values) == 0 {
			return invalidRequest("dcql_query %s[%d].values: must be a non-empty array", at, i)
		}
	}
	return nil
}

// validateClaims checks claims and claim_sets of one Credential Query (§6.1, §6.3, §6.4.1).
func (c CredentialQuery) validateClaims(at string) error {
	// §6.1 claims: "OPTIONAL. A non-empty array of objects".
	if c.Claims != nil && len(c.Claims) == 0 {
		return invalidRequest("dcql_query %s.claims: must be a non-empty array when present", at)
	}
	// §6.4.1: "claim_sets MUST NOT be present if claims is absent." §6.1 claim_sets: "A
	// non-empty array".
	if c.ClaimSets != nil && len(c.Claims) == 0 {
		return invalidRequest("dcql_query %s.claim_sets: must not be present without claims", at)
	}
	if c.ClaimSets != nil && len(c.ClaimSets) == 0 {
		return invalidRequest("dcql_query %s.claim_sets: must be a non-empty array when present", at)
	}
	claimIDs := make(map[string]bool, len(c.Claims))
	for i, cl := range c.Claims {
		cat := fmt.Sprintf("%s.claims[%d]", at, i)
		if err := cl.validate(cat, c.Format, c.ClaimSets != nil); err != nil {
			return err
		}
		// §6.3 id: "Within the particular claims array, the same id MUST NOT be present more
		// than once."
		if cl.ID != "" && claimIDs[cl.ID] {
			return invalidRequest("dcql_query %s.id: %q is used more than once", cat, cl.ID)
		}
		claimIDs[cl.ID] = true
		// §6.1 claims: "Verifiers MUST NOT point to the same claim more than once in a single
		// query."
		for j := range i {
			if samePath(c.Claims[j].Path, cl.Path) {
				return invalidRequest("dcql_query %s.path: same path as claims[%d]", cat, j)
			}
		}
	}
	for i, set := range c.ClaimSets {
		for _, id := range set {
			// §6.1 claim_sets: "arrays of identifiers for elements in claims".
			if id == "" || !claimIDs[id] {
				return invalidRequest("dcql_query %s.claim_sets[%d]: %q is not the id of a claim", at, i, id)
			}
		}
	}
	return nil
}

func (cl ClaimsQuery) validate(at, format string, hasClaimSets bool) error {
	// §6.3 id: "REQUIRED if claim_sets is present in the Credential Query; OPTIONAL otherwise"
	// and "MUST be a non-empty string consisting of alphanumeric, underscore (_), or hyphen".
	if cl.ID == "" && hasClaimSets {
		return invalidRequest("dcql_query %s.id: required when claim_sets is present", at)
	}
	if cl.ID != "" && !validID(cl.ID) {
		return invalidRequest("dcql_query %s.id: %q is not a string of [A-Za-z0-9_-]", at, cl.ID)
	}
	if err := validatePath(at+".path", cl.Path, format); err != nil {
		return err
	}
	// §6.3 values: "OPTIONAL A non-empty array of strings, integers or boolean values".
	if cl.Values != nil && len(cl.Values) == 0 {
		return invalidRequest("dcql_query %s.values: must be a non-empty array when present", at)
	}
	for i, v := range cl.Values {
		if !validValue(v) {
			return invalidRequest("dcql_query %s.values[%d]: only strings, integers and booleans are allowed", at, i)
		}
	}
	return nil
}

// validatePath checks a claims path pointer. §7: "A claims path pointer MUST be a non-empty
// array of strings, nulls and non-negative integers." §7.2: for mdocs it "contains two
// elements of type string".
func validatePath(at string, path []any, format string) error {
	if len(path) == 0 {
		return invalidRequest("dcql_query %s: must be a non-empty array", at)
	}
	for i, el := range path {
		if _, isString := el.(string); isString || el == nil {
			continue
		}
		if _, ok := pathIndex(el); !ok {
			return invalidRequest("dcql_query %s[%d]: must be a string, null or a non-negative integer", at, i)
		}
	}
	if format == FormatMDoc {
		_, ns := path[0].(string)
		if len(path) != 2 || !ns {
			return invalidRequest("dcql_query %s: an mso_mdoc path is [namespace, data element identifier]", at)
		}
		if _, el := path[1].(string); !el {
			return invalidRequest("dcql_query %s: an mso_mdoc path is [namespace, data element identifier]", at)
		}
	}
	return nil
}

// pathIndex returns el as an array index when it is a non-negative integer of any Go
// integer type, an integral float64 or an integral json.Number.
func pathIndex(el any) (int, bool) {
	if el == nil {
		return 0, false
	}
	if n, ok := el.(json.Number); ok {
		v, ok := numberToInt(n)
		return int(v), ok && v >= 0 && v <= math.MaxInt32
	}
	rv := reflect.ValueOf(el)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v := rv.Int()
		return int(v), v >= 0 && v <= math.MaxInt32
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v := rv.Uint()
		return int(v), v <= math.MaxInt32
	case reflect.Float32, reflect.Float64:
		f := rv.Float()
		return int(f), f >= 0 && f == math.Trunc(f) && f <= math.MaxInt32
	}
	return 0, false
}

// validValue reports whether v may appear in values: a string, a boolean or an integer.
func validValue(v any) bool {
	switch v.(type) {
	case string, bool:
		return true
	}
	_, ok := integerValue(v)
	return ok
}

// samePath reports whether two claims path pointers are equal element by element.
func samePath(a, b []any) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !samePathElement(a[i], b[i]) {
			return false
		}
	}
	return true
}

func samePathElement(a, b any) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	as, aStr := a.(string)
	bs, bStr := b.(string)
	if aStr || bStr {
		return aStr && bStr && as == bs
	}
	ai, aok := pathIndex(a)
	bi, bok := pathIndex(b)
	return aok && bok && ai == bi
}

func (s CredentialSetQuery) validate(at string, credentialIDs map[string]bool) error {
	// §6.2 options: "REQUIRED A non-empty array ... The value of each element in the options
	// array is a non-empty array of identifiers which reference elements in credentials."
	if len(s.Options) == 0 {
		return invalidRequest("dcql_query %s.options: must be a non-empty array", at)
	}
	for i, opt := range s.Options {
		if len(opt) == 0 {
			return invalidRequest("dcql_query %s.options[%d]: must be a non-empty array", at, i)
		}
		for _, id := range opt {
			if !credentialIDs[id] {
				return invalidRequest("dcql_query %s.options[%d]: %q is not the id of a credential query", at, i, id)
			}
		}
	}
	return nil
}
