package did

import (
	"bytes"
	"encoding/json"
	"errors"
)

// StringSet is a DID Core property whose value is "a string or a set of strings"
// (controller, service type). It marshals a single value as a plain string.
type StringSet []string

// MarshalJSON writes one value as a string and several as an array.
func (s StringSet) MarshalJSON() ([]byte, error) {
	if len(s) == 1 {
		return json.Marshal(s[0])
	}
	return json.Marshal([]string(s))
}

// UnmarshalJSON accepts a string, an array of strings or null.
func (s *StringSet) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	switch {
	case bytes.Equal(data, []byte("null")):
		*s = nil
		return nil
	case len(data) > 0 && data[0] == '"':
		var one string
		if err := json.Unmarshal(data, &one); err != nil {
			return errStringSet
		}
		*s = StringSet{one}
		return nil
	default:
		var many []string
		if err := json.Unmarshal(data, &many); err != nil {
			return errStringSet
		}
		*s = many
		return nil
	}
}

var errStringSet = errors.New("expected a string or an array of strings")

// Contains reports whether v is one of the values.
func (s StringSet) Contains(v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
