package w3cvc

import (
	"context"
	"crypto"
	"time"
)

// Terms of the VC Data Model 1.1 and Bitstring Status List 1.0 this package writes and reads.
const (
	// ContextV1 is the base context; VC-DM 1.1 §4.1: "The value of the @context property
	// MUST be an ordered set where the first item is a URI with the value
	// https://www.w3.org/2018/credentials/v1." Credentials are signed with this context
	// only: bewijs' own types (OrganisatieRol) are plain type values, JSON-LD is never
	// processed.
	ContextV1 = "https://www.w3.org/2018/credentials/v1"

	TypeVerifiableCredential   = "VerifiableCredential"
	TypeVerifiablePresentation = "VerifiablePresentation"

	// TypeStatusListEntry is the credentialStatus type of Bitstring Status List 1.0 §2.1.
	TypeStatusListEntry = "BitstringStatusListEntry"
	// TypeStatusListCredential and TypeStatusList are the types of the list credential
	// and of its subject (§2.2).
	TypeStatusListCredential = "BitstringStatusListCredential"
	TypeStatusList           = "BitstringStatusList"

	// Status purposes of §2.1 this package knows by name; others are carried as they are.
	PurposeRevocation = "revocation"
	PurposeSuspension = "suspension"
)

// Credential is a W3C verifiable credential with a single subject, as bewijs uses them: for
// example an OrganisatieRol that the Ketenbureau issues to an organisation's did:web.
type Credential struct {
	// ID is the credential's id and the JWT jti: a urn:uuid, or the URL of a status list.
	ID string
	// Types are the types besides VerifiableCredential, for example "OrganisatieRol".
	Types []string
	// Issuer is the issuer's DID (iss).
	Issuer string
	// Subject is credentialSubject.id (sub): the holder's DID, or for a status list the
	// URL of the list. Empty for a bearer credential.
	Subject string
	// Claims are the other members of credentialSubject; an "id" member is refused.
	Claims map[string]any
	// IssuedAt is iat (zero: no iat); ValidFrom is nbf and issuanceDate (required);
	// ValidUntil is exp and expirationDate (zero: none). JWT times are whole seconds.
	IssuedAt, ValidFrom, ValidUntil time.Time
	// Status is the credentialStatus, if any.
	Status *StatusEntry
}

// StatusEntry is a BitstringStatusListEntry (Bitstring Status List 1.0 §2.1) with a
// statusSize of 1, the only size this package supports.
type StatusEntry struct {
	// ID identifies the entry; §2.1: "It MUST NOT be the URL for the status list". It is
	// optional in the spec but required here, as the VC-DM 1.1 schema requires an id on
	// credentialStatus.
	ID string
	// Purpose is statusPurpose: "revocation", "suspension", or another string.
	Purpose string
	// Index is statusListIndex, written as a base 10 string.
	Index int
	// ListCredential is statusListCredential, the URL of the BitstringStatusListCredential.
	ListCredential string
}

// VerifyOptions are the verifier's policy for one JWT VC or VP.
type VerifyOptions struct {
	Now  func() time.Time // nil: time.Now
	Skew time.Duration    // allowed clock skew for exp, nbf and iat (0: 60s)
	// Key returns the public key that kid, the header's DID URL, names; once the signature
	// verifies, the kid's DID must be the JWT's iss. Key decides which verification
	// relationship counts: assertionMethod for credentials, authentication for
	// presentations. Its error is kept as the cause of a ReasonKey error.
	Key func(ctx context.Context, kid string) (crypto.PublicKey, error)
}

const defaultSkew = 60 * time.Second

func (o VerifyOptions) withDefaults() VerifyOptions {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Skew <= 0 {
		o.Skew = defaultSkew
	}
	return o
}
