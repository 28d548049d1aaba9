package oid4vp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
)

// VPToken is the vp_token of §8.1: "a JSON-encoded object containing entries where the key
// is the id value used for a Credential Query in the DCQL query and the value is an array of
// one or more Presentations". Presentations are strings: dc+sd-jwt (B.3.6) and mso_mdoc
// (B.2.5) presentations are; object presentations (ldp_vc) are not supported.
type VPToken map[string][]string

// UnmarshalJSON accepts the object, and also the object serialized as a JSON string (the
// form parameter value of §8.2 put in a JSON document as is).
func (t *VPToken) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		b = []byte(s)
	}
	if m, ok := parsePlainVPToken(b); ok {
		*t = m
		return nil
	}
	var m map[string][]string
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("vp_token must be a JSON object of arrays of strings: %w", err)
	}
	*t = m
	return nil
}

// parsePlainVPToken reads the vp_token every wallet sends: {"id":["…",…],…} without
// whitespace, escapes or repeated ids, whose strings are presentations (base64url, '.', '~').
// It is encoding/json's result for that subset (FuzzPlainVPToken) in one pass, without
// the two scans of a 2 KiB presentation that json.Unmarshal makes. Anything else, ok false,
// goes to encoding/json. Read from a string, the presentations are substrings of it.
func parsePlainVPToken[T string | []byte](b T) (VPToken, bool) {
	// str reads a string of plain characters at b[i] (the opening quote) and returns it and
	// the index after its closing quote.
	str := func(i int) (string, int, bool) {
		if i >= len(b) || b[i] != '"' {
			return "", 0, false
		}
		for j := i + 1; j < len(b); j++ {
			switch c := b[j]; {
			case c == '"':
				return string(b[i+1 : j]), j + 1, true // a string's substring: no copy
			case c-0x20 >= 0x7f-0x20 || c == '\\': // below 0x20 (wraps round) or 0x7f and up
				return "", 0, false
			}
		}
		return "", 0, false
	}
	if len(b) < 2 || b[0] != '{' || b[len(b)-1] != '}' {
		return nil, false
	}
	t := VPToken{}
	i := 1
	for {
		key, next, ok := str(i)
		if !ok || next+1 >= len(b) || b[next] != ':' || b[next+1] != '[' {
			return nil, false
		}
		if _, dup := t[key]; dup {
			return nil, false
		}
		i = next + 2
		list := []string{}
		if i < len(b) && b[i] == ']' {
			i++
		} else {
			for {
				v, next, ok := str(i)
				if !ok || next >= len(b) {
					return nil, false
				}
				list = append(list, v)
				i = next + 1
				if b[next] == ']' {
					break
				}
				if b[next] != ',' {
					return nil, false
				}
			}
		}
		t[key] = list
		switch {
		case i == len(b)-1:
			return t, true
		case i < len(b)-1 && b[i] == ',':
			i++
		default:
			return nil, false
		}
	}
}

// ParseVPToken parses the vp_token form parameter (a JSON object serialized as a string).
func ParseVPToken(s string) (VPToken, error) {
	t, ok := parsePlainVPToken(s)
	if !ok {
		if err := t.UnmarshalJSON([]byte(s)); err != nil {
			return nil, NewError(http.StatusBadRequest, ErrInvalidRequest, "vp_token is not a JSON object of arrays of presentations", err)
		}
	}
	if err := t.validateShape(); err != nil {
		return nil, err
	}
	return t, nil
}

// validateShape checks what §8.1 requires of any vp_token: ids as keys, each with "an array
// of one or more Presentations".
func (t VPToken) validateShape() error {
	if len(t) == 0 {
		return invalidRequest("vp_token is empty")
	}
	for id, list := range t {
		if !validID(id) {
			return invalidRequest("vp_token key %q is not a credential query id", id)
		}
		if len(list) == 0 {
			return invalidRequest("vp_token[%q] must be a non-empty array", id)
		}
		for i, p := range list {
			if p == "" {
				return invalidRequest("vp_token[%q][%d] is empty", id, i)
			}
		}
	}
	return nil
}

// ValidateVPToken is step 1 of §8.6 ("Validate the format of the VP Token as defined in
// §8.1") against the query of the request: every key is a Credential Query id, each array is
// non-empty and holds one Presentation unless that query has multiple. Whether the set of
// Credential Queries answered is complete is SatisfiedBy's job, after verification.
func ValidateVPToken(q Query, t VPToken) error {
	if err := t.validateShape(); err != nil {
		return err
	}
	byID := make(map[string]CredentialQuery, len(q.Credentials))
	for _, cq := range q.Credentials {
		byID[cq.ID] = cq
	}
	for id, list := range t {
		cq, ok := byID[id]
		if !ok {
			return invalidRequest("vp_token key %q is not a credential query id of the request", id)
		}
		// §8.1: "When multiple is omitted, or set to false, the array MUST contain only one
		// Presentation."
		if !cq.Multiple && len(list) != 1 {
			return invalidRequest("vp_token[%q] must hold one presentation", id)
		}
	}
	return nil
}

// AuthorizationResponse is the Authorization Response of §8.1 sent to the Response URI
// (§8.2), or the payload of the encrypted JWT of direct_post.jwt (§8.3, §8.3.1). It carries
// either VPToken or Error.
type AuthorizationResponse struct {
	VPToken          VPToken `json:"vp_token,omitempty"`
	State            string  `json:"state,omitempty"`
	Error            string  `json:"error,omitempty"`
	ErrorDescription string  `json:"error_description,omitempty"`
}

// ErrorResponse returns the Authorization Error Response for err (§8.2 example: error,
// error_description, state).
func ErrorResponse(err *Error, state string) AuthorizationResponse {
	return AuthorizationResponse{Error: err.Code, ErrorDescription: err.Description, State: state}
}

// Err returns the error the Wallet reported, or nil for a successful response.
func (r AuthorizationResponse) Err() *Error {
	if r.Error == "" {
		return nil
	}
	return NewError(http.StatusBadRequest, r.Error, r.ErrorDescription, nil)
}

// Validate checks that the response is either a vp_token (§8.1 "REQUIRED") or an error
// (RFC 6749 §4.1.2.1), not both, and the shape of the vp_token.
func (r AuthorizationResponse) Validate() error {
	if (r.Error == "") == (r.VPToken == nil) {
		return invalidRequest("the response must carry exactly one of vp_token and error")
	}
	if r.VPToken != nil {
		return r.VPToken.validateShape()
	}
	return nil
}

// Form encodes the response as the application/x-www-form-urlencoded body of direct_post
// (§8.2); vp_token becomes the JSON-encoded object.
func (r AuthorizationResponse) Form() (url.Values, error) {
	v := url.Values{}
	if r.VPToken != nil {
		b, err := json.Marshal(map[string][]string(r.VPToken))
		if err != nil {
			return nil, err
		}
		v.Set(ParamVPToken, string(b))
	}
	setIf(v, ParamState, r.State)
	setIf(v, ParamError, r.Error)
	setIf(v, ParamErrorDescription, r.ErrorDescription)
	return v, nil
}

func setIf(v url.Values, key, value string) {
	if value != "" {
		v.Set(key, value)
	}
}

// ParseAuthorizationResponseForm reads a direct_post body (§8.2). A direct_post.jwt body
// carries only "response" (§8.3.1): decrypt it and pass the payload to
// ParseAuthorizationResponse instead.
func ParseAuthorizationResponseForm(form url.Values) (AuthorizationResponse, error) {
	for key, vals := range form {
		if len(vals) > 1 {
			return AuthorizationResponse{}, invalidRequest("parameter %s is repeated", key)
		}
	}
	r := AuthorizationResponse{
		State:            form.Get(ParamState),
		Error:            form.Get(ParamError),
		ErrorDescription: form.Get(ParamErrorDescription),
	}
	if s := form.Get(ParamVPToken); s != "" {
		t, err := ParseVPToken(s)
		if err != nil {
			return AuthorizationResponse{}, err
		}
		r.VPToken = t
	}
	return r, r.Validate()
}

// ParseAuthorizationResponse reads the JSON payload of a decrypted direct_post.jwt response
// (§8.3: "The payload of the encrypted JWT response MUST include the contents of the response
// as defined in §8.1 as top-level JSON members").
func ParseAuthorizationResponse(payload []byte) (AuthorizationResponse, error) {
	var r AuthorizationResponse
	if err := json.Unmarshal(payload, &r); err != nil {
		return AuthorizationResponse{}, NewError(http.StatusBadRequest, ErrInvalidRequest, "response payload is not a valid JSON object", err)
	}
	return r, r.Validate()
}
