package w3cvc

import (
	"net/url"
	"strconv"

	"github.com/hyperledger/aries-framework-go/pkg/doc/verifiable"
)

// Members of a BitstringStatusListEntry (Bitstring Status List 1.0 §2.1).
const (
	memberStatusPurpose        = "statusPurpose"
	memberStatusListIndex      = "statusListIndex"
	memberStatusListCredential = "statusListCredential"
	memberStatusSize           = "statusSize"
)

// checkStatus refuses an entry that would break §2.1 or the VC-DM 1.1 schema.
func checkStatus(s *StatusEntry) error {
	if s == nil {
		return nil
	}
	if s.Purpose == "" {
		return malformed(nil, "status entry without statusPurpose")
	}
	// §2.1: "The statusListIndex property MUST be an arbitrary size integer greater than
	// or equal to 0".
	if s.Index < 0 {
		return malformed(nil, "status entry with a negative statusListIndex")
	}
	// §2.1: "The statusListCredential property MUST be a URL to a verifiable credential."
	if !isURL(s.ListCredential) {
		return malformed(nil, "statusListCredential is not a URL")
	}
	// §2.1 id: "It MUST NOT be the URL for the status list." The VC-DM 1.1 schema requires
	// credentialStatus to have an id that is a URI.
	if !isURL(s.ID) || s.ID == s.ListCredential {
		return malformed(nil, "status entry id must be a URL other than statusListCredential")
	}
	return nil
}

func statusToAries(s *StatusEntry) *verifiable.TypedID {
	if s == nil {
		return nil
	}
	return &verifiable.TypedID{
		ID:   s.ID,
		Type: TypeStatusListEntry,
		CustomFields: verifiable.CustomFields{
			memberStatusPurpose: s.Purpose,
			// §2.1: statusListIndex is "expressed as a string in base 10".
			memberStatusListIndex:      strconv.Itoa(s.Index),
			memberStatusListCredential: s.ListCredential,
		},
	}
}

// statusFromAries reads a BitstringStatusListEntry. Any other credentialStatus is refused:
// a status this package cannot check must not read as "no status".
func statusFromAries(t *verifiable.TypedID) (*StatusEntry, error) {
	if t == nil {
		return nil, nil
	}
	// §2.1: "The type property MUST be BitstringStatusListEntry."
	if t.Type != TypeStatusListEntry {
		return nil, malformed(nil, "credentialStatus type is not %s", TypeStatusListEntry)
	}
	purpose, _ := t.CustomFields[memberStatusPurpose].(string)
	index, ok := parseIndex(t.CustomFields[memberStatusListIndex])
	list, _ := t.CustomFields[memberStatusListCredential].(string)
	if !ok {
		return nil, malformed(nil, "statusListIndex is not a base 10 integer string")
	}
	// §2.1: "If statusSize is not present ... MUST be processed as 1"; conforming
	// processors "MAY choose to only support bitstring entry sizes of 1".
	if size, present := t.CustomFields[memberStatusSize]; present && size != float64(1) {
		return nil, malformed(nil, "statusSize other than 1 is not supported")
	}
	s := &StatusEntry{ID: t.ID, Purpose: purpose, Index: index, ListCredential: list}
	if err := checkStatus(s); err != nil {
		return nil, err
	}
	return s, nil
}

// parseIndex reads statusListIndex: decimal digits only (no sign, no spaces), fitting an int.
func parseIndex(v any) (int, bool) {
	s, ok := v.(string)
	if !ok || s == "" || len(s) > 18 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// isURL reports whether s is an absolute URL (or URN).
func isURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && (u.Host != "" || u.Opaque != "")
}
