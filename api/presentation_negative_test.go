package api_test

import (
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"maps"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/internal/audit/store"
	"github.com/sociaaldomein/bewijs/internal/jose"
	"github.com/sociaaldomein/bewijs/internal/sdjwt"
	"github.com/sociaaldomein/bewijs/issuer/toewijzing"
	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
	"github.com/sociaaldomein/bewijs/verifier/oid4vp"
	"github.com/sociaaldomein/bewijs/wallet"
)

// negativeCase bends one step of a presentation. build returns the vp_token presentation
// for the fetched request; a case with post set posts by itself.
type negativeCase struct {
	name   string
	build  func(t *testing.T, env *presentationEnv, ar oid4vp.AuthorizationRequest) string
	post   func(t *testing.T, env *presentationEnv, c presentationCreated, ar oid4vp.AuthorizationRequest) response
	reason string
	// ends: the request completes as rejected with reason; otherwise the response is refused
	// and the request stays as it was.
	ends bool
}

// Each negative case is a named test that checks the reason code, in the verified result
// (when the response completes the request) and in the audit log.
func TestPresentNegative(t *testing.T) {
	e := migrationstest.Engines()[0]
	env := newPresentationEnv(t, e)
	cases := []negativeCase{
		{name: "error - tampered disclosure", reason: "invalid_disclosure", ends: true, build: func(t *testing.T, env *presentationEnv, ar oid4vp.AuthorizationRequest) string {
			p := present(t, env.Cred, env.HolderKey, ar, presentOpts{NoKB: true, Keep: keepAll})
			parts := strings.Split(p, "~")
			if len(parts) < 3 {
				t.Fatal("the presentation has no disclosure to tamper with")
			}
			d, _ := base64.RawURLEncoding.DecodeString(parts[1])
			parts[1] = base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(string(d), `"`, ` "`, 1)))
			return withKB(t, strings.Join(parts, "~"), env.HolderKey.Private, ar.ClientID, ar.Nonce, time.Now())
		}},
		{name: "error - disclosure not in the credential", reason: "invalid_disclosure", ends: true, build: func(t *testing.T, env *presentationEnv, ar oid4vp.AuthorizationRequest) string {
			p := present(t, env.Cred, env.HolderKey, ar, presentOpts{NoKB: true})
			foreign := base64.RawURLEncoding.EncodeToString([]byte(`["c2FsdHNhbHRzYWx0","wet","Jeugdwet"]`))
			return withKB(t, p+foreign+"~", env.HolderKey.Private, ar.ClientID, ar.Nonce, time.Now())
		}},
		{name: "error - wrong nonce", reason: "wrong_nonce", ends: true, build: func(t *testing.T, env *presentationEnv, ar oid4vp.AuthorizationRequest) string {
			return present(t, env.Cred, env.HolderKey, ar, presentOpts{Nonce: "another-nonce"})
		}},
		{name: "error - wrong aud", reason: "wrong_audience", ends: true, build: func(t *testing.T, env *presentationEnv, ar oid4vp.AuthorizationRequest) string {
			return present(t, env.Cred, env.HolderKey, ar, presentOpts{Audience: "decentralized_identifier:did:web:elsewhere.example"})
		}},
		{name: "error - missing key binding JWT", reason: "key_binding_missing", ends: true, build: func(t *testing.T, env *presentationEnv, ar oid4vp.AuthorizationRequest) string {
			return present(t, env.Cred, env.HolderKey, ar, presentOpts{NoKB: true})
		}},
		{name: "error - stale key binding JWT", reason: "stale_key_binding", ends: true, build: func(t *testing.T, env *presentationEnv, ar oid4vp.AuthorizationRequest) string {
			return present(t, env.Cred, env.HolderKey, ar, presentOpts{IssuedAt: time.Now().Add(-30 * time.Minute)})
		}},
		{name: "error - wrong sd_hash", reason: "wrong_sd_hash", ends: true, build: func(t *testing.T, env *presentationEnv, ar oid4vp.AuthorizationRequest) string {
			p := present(t, env.Cred, env.HolderKey, ar, presentOpts{NoKB: true})
			kb := withKB(t, p+"extra~", env.HolderKey.Private, ar.ClientID, ar.Nonce, time.Now())
			return p + kb[strings.LastIndex(kb, "~")+1:]
		}},
		{name: "error - expired", reason: "expired", ends: true, build: func(t *testing.T, env *presentationEnv, ar oid4vp.AuthorizationRequest) string {
			raw := env.reissue(t, "gemeente-amsterdam", func(p map[string]any) {
				p["nbf"], p["exp"] = time.Now().Add(-48*time.Hour).Unix(), time.Now().Add(-24*time.Hour).Unix()
			})
			return presentRaw(t, raw, env.HolderKey, ar)
		}},
		{name: "error - not yet valid", reason: "not_yet_valid", ends: true, build: func(t *testing.T, env *presentationEnv, ar oid4vp.AuthorizationRequest) string {
			raw := env.reissue(t, "gemeente-amsterdam", func(p map[string]any) { p["nbf"] = time.Now().Add(24 * time.Hour).Unix() })
			return presentRaw(t, raw, env.HolderKey, ar)
		}},
		{name: "error - untrusted issuer", reason: "untrusted_issuer", ends: true, build: func(t *testing.T, env *presentationEnv, ar oid4vp.AuthorizationRequest) string {
			raw := env.reissue(t, "de-werkplaats", func(p map[string]any) {})
			return presentRaw(t, raw, env.HolderKey, ar)
		}},
		{name: "error - unresolvable DID", reason: "issuer_unresolvable", ends: true, build: func(t *testing.T, env *presentationEnv, ar oid4vp.AuthorizationRequest) string {
			key := mustKey()
			raw := env.reissueWith(t, jose.Signer{KeyID: "did:web:127.0.0.1%3A1:o:nobody#k1", Key: key}, "did:web:127.0.0.1%3A1:o:nobody", func(map[string]any) {})
			return presentRaw(t, raw, env.HolderKey, ar)
		}},
		{name: "error - oversized vp_token", reason: "too_large", ends: true, build: func(t *testing.T, env *presentationEnv, ar oid4vp.AuthorizationRequest) string {
			return present(t, env.Cred, env.HolderKey, ar, presentOpts{}) + strings.Repeat("A", 13<<10)
		}},
		{name: "error - response replayed", reason: "response_replayed", post: func(t *testing.T, env *presentationEnv, c presentationCreated, ar oid4vp.AuthorizationRequest) response {
			tok := map[string][]string{"toewijzing": {present(t, env.Cred, env.HolderKey, ar, presentOpts{})}}
			if res, err := respond(t.Context(), ar, tok, ar.State); err != nil || res.Status != http.StatusOK {
				t.Fatalf("first response: %v %d %s", err, res.Status, res.Body)
			}
			res, err := respond(t.Context(), ar, tok, ar.State)
			if err != nil {
				t.Fatal(err)
			}
			return res
		}},
		{name: "error - response after expiry", reason: "response_after_expiry", post: func(t *testing.T, env *presentationEnv, c presentationCreated, ar oid4vp.AuthorizationRequest) response {
			if err := env.Env.DB.Gorm.Exec("UPDATE presentation_requests SET expires_at = ? WHERE id = ?", time.Now().Add(-time.Second).UTC(), c.ID).Error; err != nil {
				t.Fatal(err)
			}
			res, err := respond(t.Context(), ar, map[string][]string{"toewijzing": {present(t, env.Cred, env.HolderKey, ar, presentOpts{})}}, ar.State)
			if err != nil {
				t.Fatal(err)
			}
			return res
		}},
		// This server handed out the request object and keeps the request for the response;
		// another replica on the same database answers first. The database decides.
		{name: "error - response after another replica answered", reason: "response_replayed", post: func(t *testing.T, env *presentationEnv, c presentationCreated, ar oid4vp.AuthorizationRequest) response {
			if err := env.Env.DB.Gorm.Exec("UPDATE presentation_requests SET state = 'verified', completed_at = ? WHERE id = ?", time.Now().UTC(), c.ID).Error; err != nil {
				t.Fatal(err)
			}
			res, err := respond(t.Context(), ar, map[string][]string{"toewijzing": {present(t, env.Cred, env.HolderKey, ar, presentOpts{})}}, ar.State)
			if err != nil {
				t.Fatal(err)
			}
			return res
		}},
		{name: "error - response for another request", reason: "response_for_another_request", post: func(t *testing.T, env *presentationEnv, c presentationCreated, ar oid4vp.AuthorizationRequest) response {
			other := env.createPresentation(t, map[string]any{"query": "zorgstart", "response_mode": "direct_post"})
			ar2, _, err := fetchRequest(t.Context(), env.Resolver, other.AuthorizationRequest)
			if err != nil {
				t.Fatal(err)
			}
			tok := map[string][]string{"toewijzing": {present(t, env.Cred, env.HolderKey, ar2, presentOpts{})}}
			res, err := postFormResponse(t, ar.ResponseURI, tok, ar2.State)
			if err != nil {
				t.Fatal(err)
			}
			return res
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := env.createPresentation(t, map[string]any{"query": "zorgstart", "response_mode": "direct_post"})
			ar, res, err := fetchRequest(t.Context(), env.Resolver, c.AuthorizationRequest)
			if err != nil {
				t.Fatalf("request object: %v %d %s", err, res.Status, res.Body)
			}
			if tc.post != nil {
				res = tc.post(t, env, c, ar)
			} else if res, err = respond(t.Context(), ar, map[string][]string{"toewijzing": {tc.build(t, env, ar)}}, ar.State); err != nil {
				t.Fatal(err)
			}
			if res.Status != http.StatusBadRequest || res.vciError().Error != "invalid_request" || !strings.Contains(res.vciError().Description, tc.reason) {
				t.Fatalf("response = %d %s, want 400 invalid_request naming %s", res.Status, res.Body, tc.reason)
			}
			v := env.showPresentation(t, c.ID)
			if tc.ends && (v.State != "rejected" || v.Result == nil || v.Result.Reason != tc.reason || v.Result.Verified || len(v.Result.Credentials) != 0) {
				t.Fatalf("state %s, result %+v; want rejected with %s", v.State, v.Result, tc.reason)
			}
			if !env.audited(t, c.ID, tc.reason) {
				t.Fatalf("no audit record of presentation.verify denied with reason %s", tc.reason)
			}
		})
	}
}

// Revoked and suspended credentials are rejected with their own reason. Each runs on a fresh
// server, since a verifier caches a status list for its ttl.
func TestPresentRevokedSuspended(t *testing.T) {
	for _, tc := range []struct{ change, reason string }{{"revoke", "revoked"}, {"suspend", "suspended"}} {
		t.Run("error - "+tc.reason, func(t *testing.T) {
			env := newPresentationEnv(t, migrationstest.Engines()[0])
			res := env.postJSON(t, "/api/v1/beschikkingen/"+env.Beschikking.ID+"/"+tc.change, env.GemeenteKey, map[string]string{"reason": "test"})
			if res.Status != http.StatusOK {
				t.Fatalf("%s: %d %s", tc.change, res.Status, res.Body)
			}
			c := env.createPresentation(t, map[string]any{"query": "zorgstart"})
			ar, _, err := fetchRequest(t.Context(), env.Resolver, c.AuthorizationRequest)
			if err != nil {
				t.Fatal(err)
			}
			res, err = respond(t.Context(), ar, map[string][]string{"toewijzing": {present(t, env.Cred, env.HolderKey, ar, presentOpts{})}}, ar.State)
			if err != nil || res.Status != http.StatusBadRequest {
				t.Fatalf("response: %v %d %s", err, res.Status, res.Body)
			}
			if v := env.showPresentation(t, c.ID); v.State != "rejected" || v.Result.Reason != tc.reason {
				t.Fatalf("state %s, result %+v", v.State, v.Result)
			}
			if !env.audited(t, c.ID, tc.reason) {
				t.Fatal("not audited")
			}
		})
	}
}

// A request object is single-use: a second fetch is refused and audited.
func TestRequestObjectFetchedTwice(t *testing.T) {
	env := newPresentationEnv(t, migrationstest.Engines()[0])
	c := env.createPresentation(t, map[string]any{"query": "zorgstart"})
	if _, res, err := fetchRequest(t.Context(), env.Resolver, c.AuthorizationRequest); err != nil {
		t.Fatalf("first fetch: %v %d %s", err, res.Status, res.Body)
	}
	_, res, _ := fetchRequest(t.Context(), env.Resolver, c.AuthorizationRequest)
	if res.Status != http.StatusBadRequest || res.vciError().Error != "invalid_request" {
		t.Fatalf("second fetch: %d %s", res.Status, res.Body)
	}
	if !env.auditedAction(t, c.ID, "presentation.request_object", "fetched_twice") {
		t.Fatal("second fetch not audited")
	}
}

// An aanbieder whose policy does not allow the BSN for zorgstart cannot even create the
// request; the refusal carries the policy's reasons and is audited.
func TestPresentationRequestForBSNRefused(t *testing.T) {
	env := newPresentationEnv(t, migrationstest.Engines()[0])
	query := map[string]any{"credentials": []any{map[string]any{"id": "t", "format": "dc+sd-jwt",
		"meta":   map[string]any{"vct_values": []string{toewijzing.VCTWmo}},
		"claims": []any{map[string]any{"path": []any{"client", "bsn"}}}}}}
	res := env.postJSON(t, "/api/v1/presentation-requests", env.VerifierKey, map[string]any{"dcql_query": query, "purpose": "zorgstart"})
	var p struct {
		Type    string   `json:"type"`
		Reasons []string `json:"reasons"`
	}
	res.json(t, &p)
	if res.Status != http.StatusForbidden || !strings.HasSuffix(p.Type, "/policy-denied") || len(p.Reasons) == 0 || !strings.Contains(strings.Join(p.Reasons, " "), "client.bsn") {
		t.Fatalf("create: %d %s", res.Status, res.Body)
	}
	events, err := store.New(env.Env.DB.Gorm).List(t.Context(), store.Filter{Action: "presentation.request"})
	if err != nil || len(events) == 0 || events[0].Outcome != "denied" || events[0].Reason != "policy_denied" {
		t.Fatalf("audit: %+v %v", events, err)
	}
}

func keepAll([]string) bool { return true }

// audited reports whether a presentation.verify denial with reason was recorded for id.
func (e *presentationEnv) audited(t *testing.T, id, reason string) bool {
	return e.auditedAction(t, id, "presentation.verify", reason)
}

func (e *presentationEnv) auditedAction(t *testing.T, id, action, reason string) bool {
	t.Helper()
	events, err := store.New(e.Env.DB.Gorm).List(t.Context(), store.Filter{Action: action, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range events {
		if ev.Subject == id && ev.Outcome == "denied" && ev.Reason == reason {
			return true
		}
	}
	return false
}

// reissue signs a copy of the received credential's claims with another tenant's key.
func (e *presentationEnv) reissue(t *testing.T, slug string, mutate func(map[string]any)) string {
	t.Helper()
	signer, err := e.Env.Service.Signer(t.Context(), slug)
	if err != nil {
		t.Fatal(err)
	}
	return e.reissueWith(t, signer, e.Env.Service.DID(slug), mutate)
}

func (e *presentationEnv) reissueWith(t *testing.T, signer jose.Signer, iss string, mutate func(map[string]any)) string {
	t.Helper()
	payload := maps.Clone(e.Cred.Claims)
	payload["iss"] = iss
	mutate(payload)
	issued, err := sdjwt.Issue(payload, sdjwt.IssueOptions{Signer: signer, Header: map[string]any{"typ": "dc+sd-jwt"}, Disclosable: toewijzing.Disclosable})
	if err != nil {
		t.Fatal(err)
	}
	return issued.Compact
}

// presentRaw presents an SD-JWT that is not in the wallet.
func presentRaw(t *testing.T, raw string, holder wallet.Key, ar oid4vp.AuthorizationRequest) string {
	t.Helper()
	return present(t, wallet.Credential{Raw: raw}, holder, ar, presentOpts{})
}

// withKB appends a KB-JWT over presented (which ends with '~').
func withKB(t *testing.T, presented string, key *ecdsa.PrivateKey, aud, nonce string, iat time.Time) string {
	t.Helper()
	sum := sha256.Sum256([]byte(presented))
	payload, _ := json.Marshal(map[string]any{"iat": iat.Unix(), "aud": aud, "nonce": nonce, "sd_hash": base64.RawURLEncoding.EncodeToString(sum[:])})
	kb, err := jose.Sign(payload, jose.Signer{Key: key}, map[string]any{"typ": "kb+jwt"})
	if err != nil {
		t.Fatal(err)
	}
	return presented + kb
}

// postFormResponse posts a direct_post response to any response_uri.
func postFormResponse(t *testing.T, responseURI string, tok map[string][]string, state string) (response, error) {
	t.Helper()
	form, err := oid4vp.AuthorizationResponse{VPToken: tok, State: state}.Form()
	if err != nil {
		return response{}, err
	}
	return postForm(t.Context(), responseURI, form)
}
