package api_test

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/internal/jose"
	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
	"github.com/sociaaldomein/bewijs/verifier"
)

// The verify page shows the QR code and the same-device link, opens only with its token, and
// its event stream (like the admin API's) delivers the result live; the signed webhook
// reaches the verifier's own system.
func TestVerifyPageLiveResultAndWebhook(t *testing.T) {
	env := newPresentationEnv(t, migrationstest.Engines()[0])
	hooks := make(chan []byte, 4)
	receiver := newLocalServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		hooks <- b
	}))
	c := env.createPresentation(t, map[string]any{"query": "zorgstart", "webhook_url": receiver + "/hook"})

	page := getPage(t, c.VerifyPageURL)
	body := string(page.Body)
	if page.Status != http.StatusOK || !strings.Contains(body, "data:image/png;base64,") || !strings.Contains(body, "openid4vp://") || !strings.Contains(body, `data-state="pending"`) {
		t.Fatalf("verify page: %d\n%s", page.Status, body)
	}
	if res := getPage(t, strings.Replace(c.VerifyPageURL, "?t=", "?t=x", 1)); res.Status != http.StatusNotFound {
		t.Fatalf("page with a wrong token: %d", res.Status)
	}
	if res := getPage(t, c.QRPNGURL); res.Status != http.StatusOK || res.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("qr: %d %s", res.Status, res.Header.Get("Content-Type"))
	}

	// The page's stream and the admin stream both end with the verified result.
	pageEvents := stream(t, strings.Replace(c.VerifyPageURL, "?t=", "/events?t=", 1), "")
	adminEvents := stream(t, env.URL+"/api/v1/presentation-requests/"+c.ID+"/events", env.VerifierKey)
	if first := <-pageEvents; first.State != "pending" {
		t.Fatalf("first page event: %s", first.State)
	}
	ar, _, err := fetchRequest(t.Context(), env.Resolver, c.AuthorizationRequest)
	if err != nil {
		t.Fatal(err)
	}
	if res, err := respond(t.Context(), ar, map[string][]string{"toewijzing": {present(t, env.Cred, env.HolderKey, ar, presentOpts{})}}, ar.State); err != nil || res.Status != http.StatusOK {
		t.Fatalf("response: %v %d", err, res.Status)
	}
	for name, ch := range map[string]<-chan verifier.View{"page": pageEvents, "admin": adminEvents} {
		var last verifier.View
		for v := range ch {
			last = v
		}
		if last.State != verifier.Verified || last.Result == nil || len(last.Result.Credentials) != 1 {
			t.Fatalf("%s stream ended with %+v", name, last)
		}
	}

	select {
	case b := <-hooks:
		checkWebhook(t, env, string(b), c.ID)
	case <-time.After(10 * time.Second):
		t.Fatal("no webhook within 10s")
	}
}

// checkWebhook verifies the notice's signature with the verifier tenant's DID key.
func checkWebhook(t *testing.T, env *presentationEnv, jws, id string) {
	t.Helper()
	h, err := jose.ParseHeader(jws)
	if err != nil || h.Typ != verifier.WebhookType {
		t.Fatalf("webhook header %+v: %v", h, err)
	}
	issuerDID := env.Env.Service.DID(verifierSlug)
	doc, err := env.Resolver.Resolve(t.Context(), issuerDID)
	if err != nil {
		t.Fatal(err)
	}
	key, err := doc.Key(h.Kid, did.AssertionMethod)
	if err != nil {
		t.Fatal(err)
	}
	payload, _, err := jose.Verify(jws, key)
	if err != nil {
		t.Fatal(err)
	}
	var n verifier.WebhookNotice
	if err := json.Unmarshal(payload, &n); err != nil || n.ID != id || n.State != verifier.Verified || n.Iss != issuerDID {
		t.Fatalf("webhook notice %+v: %v", n, err)
	}
}

// stream reads Server-Sent Events of views until the server ends the stream.
func stream(t *testing.T, target, key string) <-chan verifier.View {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, target, nil)
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("stream %s: %d %s", target, res.StatusCode, res.Header.Get("Content-Type"))
	}
	out := make(chan verifier.View, 8)
	go func() {
		defer close(out)
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			data, ok := strings.CutPrefix(sc.Text(), "data: ")
			if !ok {
				continue
			}
			var v verifier.View
			if json.Unmarshal([]byte(data), &v) == nil {
				out <- v
			}
		}
	}()
	return out
}

// newLocalServer serves h on 127.0.0.1 and returns its base URL.
func newLocalServer(t *testing.T, h http.Handler) string {
	t.Helper()
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s.URL
}
