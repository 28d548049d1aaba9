// Package wallet is bewijs' reference holder: an OpenID4VCI 1.0 client that receives SD-JWT
// VCs (offers by value and by reference, pre-authorized code with tx_code, DPoP, nonce,
// proofs, batch), verifies what it receives (issuer signature through DID resolution,
// disclosures, cnf, status) and keeps credentials and keys in an encrypted local store.
// Pilot teams import it without pulling in any server code.
package wallet

import (
	"crypto/ecdsa"
	"time"
)

// Credential is a credential held by the wallet.
type Credential struct {
	ID               string         `json:"id"`
	Format           string         `json:"format"`
	VCT              string         `json:"vct"`
	Issuer           string         `json:"issuer"`            // iss: the issuer's DID
	CredentialIssuer string         `json:"credential_issuer"` // OpenID4VCI issuer URL it came from
	ConfigurationID  string         `json:"credential_configuration_id"`
	Raw              string         `json:"raw"` // the SD-JWT as issued, all disclosures
	HolderKeyID      string         `json:"holder_key_id"`
	Claims           map[string]any `json:"claims"` // all disclosed claims, processed
	StatusURI        string         `json:"status_uri,omitempty"`
	StatusIndex      int            `json:"status_idx,omitempty"`
	ExpiresAt        time.Time      `json:"expires_at"`
	ReceivedAt       time.Time      `json:"received_at"`
	NotificationID   string         `json:"notification_id,omitempty"`
}

// Key is a holder key: one per credential, so that credentials cannot be linked by key.
type Key struct {
	ID      string            `json:"id"` // RFC 7638 thumbprint
	Private *ecdsa.PrivateKey `json:"-"`
	PKCS8   []byte            `json:"pkcs8"`
}
