package verifier

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/sociaaldomein/bewijs/internal/audit"
)

// State of a presentation request. Expired is never stored: a pending or retrieved request
// past its expires_at is shown as expired.
type State string

// States: pending (created), retrieved (the wallet fetched the request object), verified or
// rejected (a response came), expired (no response in time).
const (
	Pending   State = "pending"
	Retrieved State = "retrieved"
	Verified  State = "verified"
	Rejected  State = "rejected"
	Expired   State = "expired"
)

// Request is a stored presentation request.
type Request struct {
	ID               string
	TenantID         string
	State            State
	Purpose          string
	QueryName        string
	Query            json.RawMessage // the DCQL query, as sent
	ClientID         string          // with its Client Identifier Prefix
	ResponseMode     string
	RequestURIMethod string
	Nonce            string
	StateParam       string
	EncKey           string // sealed PKCS#8 of the response encryption key; "" for direct_post
	EncKID           string
	ResponseCodeHash string // same-device: hash of the response_code; "" until a response came
	PolicyDecision   json.RawMessage
	WebhookURL       string
	ReturnTo         string // login by disclosure: where the wallet's browser goes after the response
	Reason           string // the rejection Reason
	Result           string // sealed JSON of Outcome
	Evidence         string // sealed raw vp_token, when the tenant keeps evidence
	EvidenceExpires  *time.Time
	ExpiresAt        time.Time
	RetrievedAt      *time.Time
	CompletedAt      *time.Time
	CreatedAt        time.Time
}

// Completion is what a response does to a request: its final state and result.
type Completion struct {
	State            State
	Reason           Reason
	Result           string
	ResponseCodeHash string
	Evidence         string
	EvidenceExpires  *time.Time
	At               time.Time
	// Audit is recorded in the same transaction: a result and its audit record exist
	// together or not at all.
	Audit audit.Event
}

// Settings are a verifier tenant's choices.
type Settings struct {
	// EvidenceRetention is how long the raw presentation of a verified result is kept; 0: not kept.
	EvidenceRetention time.Duration `json:"-"`
}

// Store persists presentation requests. Every method is one transaction.
type Store interface {
	CreateRequest(ctx context.Context, r Request) error
	// Request returns a request by id; tenantID "" matches any tenant.
	Request(ctx context.Context, tenantID, id string) (Request, error)
	// MarkRetrieved moves a pending request to retrieved; ErrConflict when it is not pending
	// (the request object was fetched before) or has expired at at.
	MarkRetrieved(ctx context.Context, id string, at time.Time) error
	// Complete moves a retrieved request, not expired at c.At, to c.State; ErrConflict
	// otherwise (a response came before).
	Complete(ctx context.Context, id string, c Completion) error
	// DeleteExpired removes requests that expired before cutoff and clears evidence whose
	// retention ended before now.
	DeleteExpired(ctx context.Context, cutoff, now time.Time) (int64, error)
	Settings(ctx context.Context, tenantID string) (Settings, error)
	SaveSettings(ctx context.Context, tenantID string, s Settings, at time.Time) error
}

// Errors of the presentation service; the api maps them to responses.
var (
	ErrNotFound = errors.New("verifier: presentation request not found")
	ErrConflict = errors.New("verifier: the presentation request is not in a state that allows this")
	ErrExpired  = errors.New("verifier: the presentation request has expired")
)
