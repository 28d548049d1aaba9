package w3cvc

import (
	"slices"
	"time"
)

// Members of a BitstringStatusList credential subject (Bitstring Status List 1.0 §2.2).
const (
	memberType        = "type"
	memberEncodedList = "encodedList"
)

// StatusListCredential builds the BitstringStatusListCredential (§2.2) that publishes bits
// at id: type BitstringStatusListCredential, a subject of type BitstringStatusList with
// statusPurpose and encodedList. Sign it with SignJWT. Its subject id is id + "#list".
//
// Bitstring Status List 1.0 is written for VC-DM 2.0 (validFrom, validUntil); as a VC-DM 1.1
// JWT VC, validFrom is issuanceDate and nbf, validUntil is expirationDate and exp.
func StatusListCredential(id, issuer, purpose string, bits []byte, validFrom, validUntil time.Time) (Credential, error) {
	encoded, err := EncodeBitstring(bits)
	if err != nil {
		return Credential{}, err
	}
	if !isURL(id) {
		return Credential{}, malformed(nil, "status list id must be a URL")
	}
	if purpose == "" {
		return Credential{}, malformed(nil, "status list without statusPurpose")
	}
	return Credential{
		ID:      id,
		Types:   []string{TypeStatusListCredential},
		Issuer:  issuer,
		Subject: id + "#list",
		Claims: map[string]any{
			memberType:          TypeStatusList,
			memberStatusPurpose: purpose,
			memberEncodedList:   encoded,
		},
		IssuedAt:   validFrom,
		ValidFrom:  validFrom,
		ValidUntil: validUntil,
	}, nil
}

// StatusListBits checks that list, a verified status list credential, is a
// BitstringStatusListCredential for purpose and returns its bitstring (§3.2 "Validate
// Algorithm" steps 5 to 9; look the entry up with BitAt). maxBytes bounds the bitstring as
// in DecodeBitstring.
func StatusListBits(list Credential, purpose string, maxBytes int) ([]byte, error) {
	// §2.2: "MUST express a type property that includes the BitstringStatusListCredential
	// value"; "The type of the credential subject ... MUST be BitstringStatusList".
	if !slices.Contains(list.Types, TypeStatusListCredential) || list.Claims[memberType] != TypeStatusList {
		return nil, malformed(nil, "not a %s", TypeStatusListCredential)
	}
	// §3.2 step 5: "Verify that the status purpose is equal to a statusPurpose value in the
	// statusListCredential." §2.2: statusPurpose "MUST be one or more strings".
	if !slices.Contains(stringsOf(list.Claims[memberStatusPurpose]), purpose) {
		return nil, malformed(nil, "status list is not for purpose %q", purpose)
	}
	encoded, ok := list.Claims[memberEncodedList].(string)
	if !ok {
		return nil, malformed(nil, "status list without encodedList")
	}
	return DecodeBitstring(encoded, maxBytes)
}
