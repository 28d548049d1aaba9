package issuer

import (
	"context"
	"errors"
	"time"

	"github.com/sociaaldomein/bewijs/internal/audit"
	"github.com/sociaaldomein/bewijs/internal/statuslist"
)

// State of a beschikking.
type State string

// States: offered (waiting for the wallet), issued, suspended, revoked, expired.
const (
	Offered   State = "offered"
	Issued    State = "issued"
	Suspended State = "suspended"
	Revoked   State = "revoked"
	Expired   State = "expired"
)

// Beschikking is a gemeente's decision as offered to a citizen's wallet.
type Beschikking struct {
	ID                string
	TenantID          string
	Beschikkingnummer string
	Wet               string
	State             State
	StateReason       string
	// ClientRef is a keyed hash of the client's BSN (login by disclosure finds a citizen's
	// beschikkingen by it); "" when unknown.
	ClientRef      string
	OfferExpiresAt time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Credential is one toegewezen product of a beschikking: one SD-JWT VC (or a batch of them).
type Credential struct {
	ID               string
	BeschikkingID    string
	TenantID         string
	ConfigurationID  string
	Toewijzingnummer int64
	AanbiederAGB     string
	SealedClaims     string // "" once issued
	NotBefore        time.Time
	ExpiresAt        time.Time
	IssuedAt         *time.Time
}

// IssuedCredential is one credential handed out, with its status list entry.
type IssuedCredential struct {
	ID             string
	CredentialID   string
	StatusListID   string
	StatusIndex    int
	HolderJKT      string
	NotificationID string
	IssuedAt       time.Time
}

// Offer is a credential offer by reference.
type Offer struct {
	ID            string
	TenantID      string
	BeschikkingID string
	Body          []byte
	ExpiresAt     time.Time
	// DeliverTo is the DID of a holder whose credential offer endpoint the offer is sent to
	// (a zorgtoewijzing for an aanbieder on another instance); "" for an offer the holder
	// fetches itself. Such an offer is due for delivery when it is stored.
	DeliverTo string
}

// DeliveryStatus is how the delivery of an offer stands.
type DeliveryStatus struct {
	HolderDID   string
	Attempts    int
	NextAttempt *time.Time // nil once delivered or given up
	DeliveredAt *time.Time
	LastError   string
}

// Delivery is an offer on its way to a holder's credential offer endpoint. Attempts counts
// the tries so far; a claim is valid only for the count it read.
type Delivery struct {
	OfferID   string
	TenantID  string
	Slug      string // the tenant's
	HolderDID string
	Attempts  int
	ExpiresAt time.Time
}

// Code is a pre-authorized or authorization code (stored hashed).
type Code struct {
	Hash          string
	Kind          string // "pre-authorized" or "authorization"
	TenantID      string
	BeschikkingID string
	TxCodeHash    string
	CodeChallenge string
	RedirectURI   string
	ClientID      string
	DPoPJKT       string
	ExpiresAt     time.Time
	// BeschikkingIDs are all beschikkingen the code covers when it covers more than one
	// (login by disclosure); BeschikkingID is then the first.
	BeschikkingIDs []string
}

// Beschikkingen are the beschikkingen a code covers.
func (c Code) Beschikkingen() []string {
	if len(c.BeschikkingIDs) > 0 {
		return c.BeschikkingIDs
	}
	return []string{c.BeschikkingID}
}

// AccessToken is an issued access token (stored hashed).
type AccessToken struct {
	Hash          string
	TenantID      string
	BeschikkingID string
	DPoPJKT       string
	ExpiresAt     time.Time
	// BeschikkingIDs: see Code.BeschikkingIDs.
	BeschikkingIDs []string
}

// Beschikkingen are the beschikkingen a token covers.
func (t AccessToken) Beschikkingen() []string {
	if len(t.BeschikkingIDs) > 0 {
		return t.BeschikkingIDs
	}
	return []string{t.BeschikkingID}
}

// StatusEntry is a status list entry allocated for an issued credential.
type StatusEntry struct {
	ListID string
	Index  int
}

// IssueBatch is what one credential request issues: n credentials of one Credential.
type IssueBatch struct {
	TenantID       string
	CredentialID   string
	HolderJKTs     []string // one per credential
	At             time.Time
	NotificationID string // one for the whole batch (§8.3)
	// Audit is recorded in the same transaction, so an issuance and its audit record exist
	// together or not at all. The store adds the status list id to its details.
	Audit *audit.Event
}

// Store persists issuance state. Every method is one transaction.
type Store interface {
	// CreateBeschikking stores a beschikking with its credentials, offer and code, all or nothing.
	CreateBeschikking(ctx context.Context, b Beschikking, creds []Credential, offer Offer, codes []Code) error
	Beschikking(ctx context.Context, tenantID, id string) (Beschikking, []Credential, error)
	// MarkCredentialIssued erases a credential's sealed claims and moves its beschikking to
	// issued; ErrConflict when it was issued before.
	MarkCredentialIssued(ctx context.Context, credentialID string, at time.Time) error
	// OfferedForClient lists the ids of a tenant's offered beschikkingen of one client.
	OfferedForClient(ctx context.Context, tenantID, clientRef string) ([]string, error)
	// SetState moves a beschikking to a new state if it is in one of from (otherwise
	// ErrConflict) and sets the status list entry of everything issued for it to status, in
	// one transaction: the next status list token shows the change.
	SetState(ctx context.Context, tenantID, id string, from []State, to State, reason string, at time.Time, status statuslist.Status) error
	Offer(ctx context.Context, tenantID, id string) (Offer, error)

	// DueDeliveries lists up to limit undelivered, unexpired offers whose next delivery is
	// due at now, the longest due first.
	DueDeliveries(ctx context.Context, now time.Time, limit int) ([]Delivery, error)
	// ClaimDelivery takes d for one attempt: it counts the attempt and holds the next one
	// back until until, if d.Attempts is still the count stored (otherwise ErrConflict:
	// another replica took it, or it was delivered).
	ClaimDelivery(ctx context.Context, d Delivery, until time.Time) error
	// OfferDelivery is the delivery of the offer of beschikking record beschikkingID (a
	// zorgtoewijzing offer record); ErrNotFound when it has none (or it was swept).
	OfferDelivery(ctx context.Context, tenantID, beschikkingID string) (DeliveryStatus, error)
	// ResumeDelivery makes the undelivered, unexpired delivery of the offer of beschikking
	// record beschikkingID due at now and returns it; ErrNotFound when the record has no
	// delivery, ErrConflict when it was delivered or its offer expired.
	ResumeDelivery(ctx context.Context, tenantID, beschikkingID string, now time.Time) (Delivery, error)
	// FinishDelivery records an attempt's outcome: delivered at at when failure is "";
	// otherwise the failure, and the next attempt at next (nil: given up).
	FinishDelivery(ctx context.Context, offerID string, at time.Time, failure string, next *time.Time) error

	// RedeemPreAuthorizedCode marks the code used when txCodeHash matches (or none is required)
	// and returns it. A wrong tx_code counts a failure; at maxFailures the code is dead.
	RedeemPreAuthorizedCode(ctx context.Context, tenantID, codeHash, txCodeHash string, maxFailures int, now time.Time) (Code, error)
	SaveCode(ctx context.Context, c Code) error
	RedeemAuthorizationCode(ctx context.Context, tenantID, codeHash string, now time.Time) (Code, error)

	SaveAccessToken(ctx context.Context, t AccessToken) error
	AccessToken(ctx context.Context, tenantID, hash string, now time.Time) (AccessToken, error)

	// Remember stores key until expires; a key already present gives ErrReplay.
	Remember(ctx context.Context, key string, expires time.Time) error

	// Issue allocates one status entry per holder key, calls sign with them (the caller
	// builds and signs the credentials), records what was issued, erases the sealed claims
	// and marks the beschikking issued, all in one transaction. Nothing is recorded if sign
	// fails.
	Issue(ctx context.Context, b IssueBatch, sign func(entries []StatusEntry) ([]string, error)) ([]IssuedCredential, error)
	// Notify records a wallet's notification for an issued credential.
	Notify(ctx context.Context, tenantID, notificationID, event string) error

	SavePAR(ctx context.Context, tenantID, requestURI string, params []byte, expires time.Time) error
	// PAR loads an unused, unexpired pushed request and its count of failed logins.
	PAR(ctx context.Context, tenantID, requestURI string, now time.Time) ([]byte, int, error)
	CountPARFailure(ctx context.Context, requestURI string) (int, error)
	RedeemPAR(ctx context.Context, tenantID, requestURI string, now time.Time) ([]byte, error)
	// RedeemLoginCode uses a pilot login code once.
	RedeemLoginCode(ctx context.Context, tenantID, codeHash string, now time.Time) (Code, error)
}

// Store errors.
var (
	ErrNotFound = errors.New("not found")
	ErrConflict = errors.New("state does not allow this")
	ErrReplay   = errors.New("already used")
	ErrExpired  = errors.New("expired")
	// ErrTxCode is a wrong tx_code; ErrCodeDead a code that has seen too many.
	ErrTxCode   = errors.New("wrong tx_code")
	ErrCodeDead = errors.New("code no longer usable")
	// ErrTxCodeRequired and ErrTxCodeUnexpected: a tx_code missing where the offer asked for
	// one, or sent where it did not (OpenID4VCI 1.0 §6.3: invalid_request; no try is counted).
	ErrTxCodeRequired   = errors.New("tx_code required")
	ErrTxCodeUnexpected = errors.New("tx_code not expected")
)
