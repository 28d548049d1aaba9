package oid4vci

// TokenResponse is RFC 6749 §5.1 with the OpenID4VCI §6.2 authorization_details.
type TokenResponse struct {
	AccessToken          string                `json:"access_token"`
	TokenType            string                `json:"token_type"`
	ExpiresIn            int                   `json:"expires_in"`
	AuthorizationDetails []AuthorizationDetail `json:"authorization_details,omitempty"`
}

// AuthorizationDetail is an openid_credential authorization details object (§5.1.1, §6.2):
// in a token response, credential_identifiers name the credentials the token may fetch.
type AuthorizationDetail struct {
	Type                      string   `json:"type"`
	CredentialConfigurationID string   `json:"credential_configuration_id,omitempty"`
	CredentialIdentifiers     []string `json:"credential_identifiers,omitempty"`
}

// NonceResponse is §7.2.
type NonceResponse struct {
	CNonce string `json:"c_nonce"`
}

// CredentialRequest is §8.2. Exactly one of CredentialIdentifier and
// CredentialConfigurationID. Proof is the singular proof of drafts 13-15, still accepted.
type CredentialRequest struct {
	CredentialIdentifier      string  `json:"credential_identifier,omitempty"`
	CredentialConfigurationID string  `json:"credential_configuration_id,omitempty"`
	Proofs                    *Proofs `json:"proofs,omitempty"`
	Proof                     *Proof  `json:"proof,omitempty"`
	// Format and VCT are how drafts 13-14 named the credential.
	Format string `json:"format,omitempty"`
	VCT    string `json:"vct,omitempty"`
}

// Proofs is §8.2: an object with one proof type, each an array.
type Proofs struct {
	JWT []string `json:"jwt,omitempty"`
}

// Proof is the draft 13-15 single proof object.
type Proof struct {
	ProofType string `json:"proof_type"`
	JWT       string `json:"jwt,omitempty"`
}

// CredentialResponse is §8.3.
type CredentialResponse struct {
	Credentials    []IssuedCredential `json:"credentials,omitempty"`
	TransactionID  string             `json:"transaction_id,omitempty"`
	Interval       int                `json:"interval,omitempty"`
	NotificationID string             `json:"notification_id,omitempty"`
}

// IssuedCredential wraps one credential (§8.3).
type IssuedCredential struct {
	Credential string `json:"credential"`
}

// NotificationRequest is §11.1.
type NotificationRequest struct {
	NotificationID   string `json:"notification_id"`
	Event            string `json:"event"`
	EventDescription string `json:"event_description,omitempty"`
}

// Notification events (§11.1).
const (
	EventCredentialAccepted = "credential_accepted"
	EventCredentialFailure  = "credential_failure"
	EventCredentialDeleted  = "credential_deleted"
)
