// Package statuslist implements the Token Status List of draft-ietf-oauth-status-list-20
// (IETF Token Status List, "TSL"): the compressed bit array of §4, the payload of the Status
// List Token in JWT format (§5.1) and the reference a credential carries (§6.2).
//
// It is pure encoding: no storage and no HTTP. Signing the token is the caller's job (with
// internal/jose, header typ TokenType); serving it is api's (Content-Type MediaType).
package statuslist

// Status is the value of one entry of a Status List (§7).
type Status uint8

// Status Types of §7.1. "Status Types MUST have a numeric value between 0 and 255".
const (
	// Valid: "The status of the Referenced Token is valid, correct or legal."
	Valid Status = 0
	// Invalid: "revoked, annulled, taken back, recalled or cancelled."
	Invalid Status = 1
	// Suspended: "temporarily invalid, hanging, debarred from privilege."
	Suspended Status = 2
)

// String names the registered Status Types and prints others as a number.
func (s Status) String() string {
	switch s {
	case Valid:
		return "VALID"
	case Invalid:
		return "INVALID"
	case Suspended:
		return "SUSPENDED"
	}
	return "0x" + hexByte(byte(s))
}

func hexByte(b byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[b>>4], digits[b&0x0f]})
}

// §5.1: "typ: REQUIRED. The JWT type MUST be statuslist+jwt."
const TokenType = "statuslist+jwt"

// MediaType is the Content-Type of a Status List Token in JWT format (§8.2).
const MediaType = "application/statuslist+jwt"

// Reference is what goes in a credential: "status": {"status_list": {"idx": N, "uri": "..."}}
// (§6.2). "idx: REQUIRED ... a non-negative Integer"; "uri: REQUIRED ... identifies the Status
// List Token containing the status information for the Referenced Token."
type Reference struct {
	Index int    `json:"idx"`
	URI   string `json:"uri"`
}
