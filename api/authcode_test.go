package api_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/sociaaldomein/bewijs/internal/pkce"
	"github.com/sociaaldomein/bewijs/issuer"
	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
	"github.com/sociaaldomein/bewijs/wallet"
)

// A citizen who starts in the wallet: PAR, the login page with the gemeente's one-time
// code, PKCE, a DPoP-bound code and token, then the credential — on both engines.
func TestAuthorizationCodeFlow(t *testing.T) {
	for _, e := range migrationstest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			s, key := issuanceServer(t, e)
			c := s.createBeschikking(t, key, "01-wmo-hbh-minuten-per-week.json", "?login_code=true")
			if len(c.LoginCode) != 14 {
				t.Fatalf("login code %q", c.LoginCode)
			}
			w := s.wallet()
			issuerURL := s.URL + "/o/gemeente-amsterdam"
			opts := wallet.AuthorizeOptions{ConfigurationID: issuer.ConfigWmo, Login: w.FormLogin(map[string]string{"login_code": "xxxx-xxxx-xxxx"})}
			if _, _, err := w.ReceiveWithAuthorization(t.Context(), issuerURL, opts); err == nil || !strings.Contains(err.Error(), "login refused") {
				t.Fatalf("wrong login code: err = %v", err)
			}
			// Lower case and no dashes are accepted.
			opts.Login = w.FormLogin(map[string]string{"login_code": strings.ToLower(strings.ReplaceAll(c.LoginCode, "-", ""))})
			creds, _, err := w.ReceiveWithAuthorization(t.Context(), issuerURL, opts)
			if err != nil {
				t.Fatal(err)
			}
			client, _ := creds[0].Claims["client"].(map[string]any)
			if len(creds) != 1 || client["bsn"] != "999991772" {
				t.Fatalf("received %+v", creds)
			}
			if _, _, err := w.ReceiveWithAuthorization(t.Context(), issuerURL, opts); err == nil {
				t.Fatal("a login code worked twice")
			}
		})
	}
}

func TestAuthorizationCodeRefusals(t *testing.T) {
	s, key := issuanceServer(t, migrationstest.Engines()[0])
	issuerURL := s.URL + "/o/gemeente-amsterdam"
	push := func(t *testing.T, form url.Values) response {
		return s.do(t, http.MethodPost, "/o/gemeente-amsterdam/par", "", "application/x-www-form-urlencoded", []byte(form.Encode()))
	}
	verifier, _ := pkce.NewVerifier()
	good := url.Values{"response_type": {"code"}, "client_id": {"w"}, "redirect_uri": {"bewijs-wallet://cb"},
		"code_challenge": {pkce.Challenge(verifier)}, "code_challenge_method": {"S256"}, "scope": {issuer.ConfigWmo}}
	with := func(k, v string) url.Values {
		f := url.Values{}
		for kk, vv := range good {
			f[kk] = vv
		}
		if v == "" {
			f.Del(k)
		} else {
			f.Set(k, v)
		}
		return f
	}
	for _, tt := range []struct {
		name string
		form url.Values
		code string
	}{
		{"error - plain PKCE", with("code_challenge_method", "plain"), "invalid_request"},
		{"error - no code_challenge", with("code_challenge", ""), "invalid_request"},
		{"error - response_type token", with("response_type", "token"), "unsupported_response_type"},
		{"error - unknown scope", with("scope", "iets"), "invalid_scope"},
		{"error - redirect_uri with fragment", with("redirect_uri", "https://w.example/cb#x"), "invalid_request"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := push(t, tt.form)
			if res.Status != http.StatusBadRequest || !strings.Contains(string(res.Body), `"error":"`+tt.code+`"`) {
				t.Fatalf("PAR: %d %s, want 400 %s", res.Status, res.Body, tt.code)
			}
		})
	}

	t.Run("error - five wrong login codes end the request", func(t *testing.T) {
		res := push(t, good)
		var par struct {
			RequestURI string `json:"request_uri"`
		}
		res.json(t, &par)
		if res.Status != http.StatusCreated || !strings.HasPrefix(par.RequestURI, "urn:ietf:params:oauth:request_uri:") {
			t.Fatalf("PAR: %d %s", res.Status, res.Body)
		}
		c := s.createBeschikking(t, key, "01-wmo-hbh-minuten-per-week.json", "?login_code=true")
		login := func(code string) int {
			form := url.Values{"client_id": {"w"}, "request_uri": {par.RequestURI}, "login_code": {code}}
			req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, issuerURL+"/authorize", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			return res.StatusCode
		}
		for range 5 {
			if st := login("AAAA-BBBB-CCCC"); st != http.StatusBadRequest {
				t.Fatalf("wrong login code: %d", st)
			}
		}
		if st := login(c.LoginCode); st != http.StatusBadRequest {
			t.Fatalf("the right code after five wrong ones: %d, want 400 (request dead)", st)
		}
	})
}

// RFC 9449 §10: a code bound with the dpop_jkt parameter is redeemed only with a DPoP proof
// by that key; a dpop_jkt that contradicts the PAR request's own DPoP proof is refused.
func TestAuthorizationCodeDPoPJKT(t *testing.T) {
	s, key := issuanceServer(t, migrationstest.Engines()[0])
	issuerURL := s.URL + "/o/gemeente-amsterdam"
	for _, tt := range []struct {
		name      string
		sameKey   bool
		wantToken int
	}{
		{"ok - token with the bound key", true, http.StatusOK},
		{"error - token with another key", false, http.StatusBadRequest},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := s.createBeschikking(t, key, "01-wmo-hbh-minuten-per-week.json", "?login_code=true")
			cl := newVCIClient(s, "gemeente-amsterdam", true)
			bound := cl.DPoPKey
			if !tt.sameKey {
				bound = mustKey()
			}
			jkt := mustThumbprint(t, bound.Public())
			verifier, _ := pkce.NewVerifier()
			form := url.Values{"response_type": {"code"}, "client_id": {"w"}, "redirect_uri": {"bewijs-wallet://cb"},
				"code_challenge": {pkce.Challenge(verifier)}, "code_challenge_method": {"S256"}, "scope": {issuer.ConfigWmo}, "dpop_jkt": {jkt}}
			res := s.do(t, http.MethodPost, "/o/gemeente-amsterdam/par", "", "application/x-www-form-urlencoded", []byte(form.Encode()))
			var par struct {
				RequestURI string `json:"request_uri"`
			}
			res.json(t, &par)
			login := url.Values{"client_id": {"w"}, "request_uri": {par.RequestURI}, "login_code": {c.LoginCode}}
			req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, issuerURL+"/authorize", strings.NewReader(login.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			got, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			got.Body.Close()
			loc, _ := url.Parse(got.Header.Get("Location"))
			code := loc.Query().Get("code")
			if got.StatusCode != http.StatusFound || code == "" {
				t.Fatalf("login: %d %s", got.StatusCode, got.Header.Get("Location"))
			}
			tok, err := cl.TokenRequest(t.Context(), url.Values{"grant_type": {"authorization_code"}, "code": {code},
				"code_verifier": {verifier}, "redirect_uri": {"bewijs-wallet://cb"}, "client_id": {"w"}})
			if err != nil {
				t.Fatal(err)
			}
			if tok.Status != tt.wantToken {
				t.Fatalf("token: %s, want %d", tok.vciString(), tt.wantToken)
			}
			if tt.wantToken != http.StatusOK && tok.vciError().Error != "invalid_dpop_proof" {
				t.Fatalf("token error %s, want invalid_dpop_proof", tok.vciString())
			}
		})
	}
}
