package verifier

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/sociaaldomein/bewijs/internal/jose"
)

// Webhooks delivers the signed completion notice of a request to its webhook_url.
type Webhooks interface {
	// Deliver sends body (a compact JWS, media type application/jwt) to url. It returns at
	// once; delivery and retries happen in the background.
	Deliver(url string, body string)
}

// WebhookNotice is the payload of a completion notice: no claims, only where to fetch the
// result (with the tenant's API key) and its state. typ "bewijs-webhook+jwt", signed with the
// tenant's key (kid is its DID URL), so the receiver can check it came from this verifier.
type WebhookNotice struct {
	Iss    string `json:"iss"`
	Iat    int64  `json:"iat"`
	ID     string `json:"presentation_request_id"`
	State  State  `json:"state"`
	Reason Reason `json:"reason,omitempty"`
}

// WebhookType is the typ of a signed webhook notice.
const WebhookType = "bewijs-webhook+jwt"

func (s *Service) sendWebhook(ctx context.Context, slug string, r Request, state State, reason Reason) {
	if s.webhooks == nil || r.WebhookURL == "" {
		return
	}
	payload, err := json.Marshal(WebhookNotice{Iss: s.tenants.DID(slug), Iat: s.now().Unix(), ID: r.ID, State: state, Reason: reason})
	if err != nil {
		return
	}
	signer, err := s.tenants.Signer(ctx, slug)
	if err != nil {
		return
	}
	body, err := jose.Sign(payload, signer, map[string]any{"typ": WebhookType})
	if err != nil {
		return
	}
	s.webhooks.Deliver(r.WebhookURL, body)
}

// webhookTimeout bounds one delivery attempt.
const webhookTimeout = 5 * time.Second

// httpWebhooks posts notices in the background, three attempts with backoff, to public
// addresses only (localhost too when insecureLocalhost, for pilots).
type httpWebhooks struct {
	public     *http.Client
	local      *http.Client
	log        *slog.Logger
	allowLocal bool
}

// NewHTTPWebhooks returns the production Webhooks. A webhook URL is the tenant's own choice,
// but it is still dialled only on public addresses, so that an API key cannot make the server
// probe its own network.
func NewHTTPWebhooks(insecureLocalhost bool, log *slog.Logger) Webhooks {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &httpWebhooks{public: publicOnlyClient(webhookTimeout), local: &http.Client{Timeout: webhookTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}, log: log, allowLocal: insecureLocalhost}
}

// Deliver implements Webhooks.
func (w *httpWebhooks) Deliver(target, body string) {
	u, err := url.Parse(target)
	if err != nil {
		return
	}
	client := w.public
	if w.allowLocal && (u.Hostname() == "localhost" || u.Hostname() == "127.0.0.1") {
		client = w.local
	} else if u.Scheme != "https" {
		w.log.Warn("webhook not sent: only https URLs are called", "host", u.Host)
		return
	}
	go func() {
		for attempt, wait := 1, time.Second; attempt <= 3; attempt, wait = attempt+1, wait*4 {
			if w.post(client, target, body) {
				return
			}
			time.Sleep(wait)
		}
		w.log.Warn("webhook not delivered after 3 attempts", "host", u.Host)
	}()
}

func (w *httpWebhooks) post(client *http.Client, target, body string) bool {
	ctx, cancel := context.WithTimeout(context.Background(), webhookTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(body))
	if err != nil {
		return false
	}
	req.Header.Set("Content-Type", "application/jwt")
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
	_ = resp.Body.Close()
	return resp.StatusCode >= 200 && resp.StatusCode < 300
}
