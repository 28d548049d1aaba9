package api_test

import (
	"crypto/ecdsa"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/internal/dpop"
	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/internal/w3cvc"
	"github.com/sociaaldomein/bewijs/issuer"
	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
	"github.com/sociaaldomein/bewijs/verifier/declareren"
)

// declarerenEnv is a server where the trust anchor gave the aanbieder its role and the
// gemeente a beschikking naming it, so that the aanbieder's wallet holds both credentials.
type declarerenEnv struct {
	*testServer
	GemeenteKey, AnbKey string
	Beschikking         createdBeschikking
}

func newDeclarerenEnv(t *testing.T, e migrationstest.Engine) *declarerenEnv {
	t.Helper()
	s, gkey := issuanceServer(t, e)
	// issuanceServer seeded the demo roles, the aanbieder's included.
	vkey, err := s.Env.Service.NewAPIKey(t.Context(), tenant.CLI, verifierSlug, false)
	if err != nil {
		t.Fatal(err)
	}
	env := &declarerenEnv{testServer: s, GemeenteKey: gkey, AnbKey: vkey}
	env.Beschikking = s.createBeschikking(t, gkey, "01-wmo-hbh-minuten-per-week.json", "")
	return env
}

// walletJWTs are the credentials in the aanbieder's organisation wallet.
func (e *declarerenEnv) walletJWTs(t *testing.T) []string {
	t.Helper()
	var w struct {
		Credentials []struct {
			Credential string `json:"credential"`
		} `json:"credentials"`
	}
	e.do(t, http.MethodGet, "/api/v1/organisation-wallet", e.AnbKey, "", nil).json(t, &w)
	var out []string
	for _, c := range w.Credentials {
		out = append(out, c.Credential)
	}
	return out
}

// vpOpts bends the aanbieder's presentation for negative tests.
type vpOpts struct {
	Audience string
	Nonce    string
	Signer   string // slug whose key signs (default: the aanbieder)
	Holder   string // holder DID (default: the aanbieder's)
	KeyOf    string // slug whose private key signs under the signer's kid (a key not in the holder's DID)
}

// presentation is the aanbieder's VP of its wallet credentials for gemeente-amsterdam.
func (e *declarerenEnv) presentation(t *testing.T, creds []string, o vpOpts) string {
	t.Helper()
	if o.Nonce == "" {
		res := e.do(t, http.MethodPost, "/o/gemeente-amsterdam/token-nonce", "", "", nil)
		var n struct {
			Nonce string `json:"nonce"`
		}
		res.json(t, &n)
		o.Nonce = n.Nonce
	}
	if o.Audience == "" {
		o.Audience = e.URL + "/o/gemeente-amsterdam/token"
	}
	if o.Signer == "" {
		o.Signer = verifierSlug
	}
	if o.Holder == "" {
		o.Holder = e.Env.Service.DID(verifierSlug)
	}
	signer, err := e.Env.Service.Signer(t.Context(), o.Signer)
	if err != nil {
		t.Fatal(err)
	}
	if o.KeyOf != "" {
		other, err := e.Env.Service.Signer(t.Context(), o.KeyOf)
		if err != nil {
			t.Fatal(err)
		}
		signer.Key = other.Key
	}
	vp, err := w3cvc.SignPresentationJWT(w3cvc.Presentation{ID: "urn:uuid:" + time.Now().Format("150405.000000000"), Holder: o.Holder,
		Audience: o.Audience, Nonce: o.Nonce, IssuedAt: time.Now(), Credentials: creds}, signer)
	if err != nil {
		t.Fatal(err)
	}
	return vp
}

// tokenRequest sends the VP Token grant with a DPoP proof of key (nil: no proof).
func (e *declarerenEnv) tokenRequest(t *testing.T, vp string, key *ecdsa.PrivateKey) response {
	t.Helper()
	target := e.URL + "/o/gemeente-amsterdam/token"
	form := url.Values{"grant_type": {declareren.GrantType}, "assertion": {vp}, "scope": {"declareren"}}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return sendWithDPoP(t, req, key, "")
}

// validToken gets an access token for a valid presentation, bound to key.
func (e *declarerenEnv) validToken(t *testing.T, key *ecdsa.PrivateKey) declareren.TokenResponse {
	t.Helper()
	res := e.tokenRequest(t, e.presentation(t, e.walletJWTs(t), vpOpts{}), key)
	if res.Status != http.StatusOK {
		t.Fatalf("token: %d %s", res.Status, res.Body)
	}
	var tok declareren.TokenResponse
	res.json(t, &tok)
	return tok
}

// sendWithDPoP sends req with a DPoP proof of key for it (nil: no proof), bound to the
// access token when there is one.
func sendWithDPoP(t *testing.T, req *http.Request, key *ecdsa.PrivateKey, token string) response {
	t.Helper()
	if key != nil {
		proof, err := dpop.New(key, req.Method, req.URL.String(), "", token, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set(dpop.HeaderName, proof)
	}
	res, err := send(req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// declare posts a declaratie line with the token and a DPoP proof of key.
func (e *declarerenEnv) declare(t *testing.T, token string, key *ecdsa.PrivateKey, line map[string]any) response {
	t.Helper()
	target := e.URL + "/api/v1/declaraties"
	body, _ := json.Marshal(line)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, target, strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "DPoP "+token)
	return sendWithDPoP(t, req, key, token)
}

// weekLine declares volume minutes of hulp bij het huishouden in the current ISO week.
func weekLine(volume int) map[string]any {
	now := time.Now()
	monday := now.AddDate(0, 0, -((int(now.Weekday()) + 6) % 7))
	return map[string]any{"toewijzingnummer": 36300101, "productcategorie": "01", "productcode": "01A01",
		"begindatum": monday.Format(time.DateOnly), "einddatum": monday.AddDate(0, 0, 6).Format(time.DateOnly),
		"geleverdVolume": volume, "eenheid": "01", "bedrag": volume * 50}
}

// End to end on both engines: the trust anchor issues the role, the gemeente a beschikking
// naming the aanbieder, the zorgtoewijzing lands in the aanbieder's wallet, the aanbieder gets
// a DPoP-bound token and a declaratie is accepted; after the beschikking is revoked the token
// request is denied and a new declaratie is rejected.
func TestDeclarerenEndToEnd(t *testing.T) {
	// The authorization server metadata advertises the grant the token endpoint answers.
	if issuer.GrantVPToken != declareren.GrantType {
		t.Fatalf("metadata grant %q differs from the declareren grant %q", issuer.GrantVPToken, declareren.GrantType)
	}
	for _, eng := range migrationstest.Engines() {
		t.Run(eng.Name, func(t *testing.T) {
			e := newDeclarerenEnv(t, eng)
			key := mustKey()
			tok := e.validToken(t, key)
			if tok.TokenType != "DPoP" || len(tok.AuthorizationDetails) != 1 || len(tok.AuthorizationDetails[0].Toewijzingen) != 1 {
				t.Fatalf("token response = %+v", tok)
			}
			if res := e.declare(t, tok.AccessToken, key, weekLine(150)); res.Status != http.StatusCreated || !strings.Contains(string(res.Body), `"accepted":true`) {
				t.Fatalf("declaratie: %d %s", res.Status, res.Body)
			}
			// Over the omvang of 180 minutes per week: 150 + 60.
			if res := e.declare(t, tok.AccessToken, key, weekLine(60)); res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), "180") {
				t.Fatalf("declaratie over the omvang: %d %s", res.Status, res.Body)
			}
			var list struct {
				Declaraties []map[string]any `json:"declaraties"`
			}
			e.do(t, http.MethodGet, "/api/v1/declaraties", e.GemeenteKey, "", nil).json(t, &list)
			if len(list.Declaraties) != 1 {
				t.Fatalf("declaraties listed: %v", list)
			}

			e.revokeBeschikking(t, e.GemeenteKey, e.Beschikking.ID, "verhuisd")
			if res := e.tokenRequest(t, e.presentation(t, e.walletJWTs(t), vpOpts{}), mustKey()); res.Status != http.StatusBadRequest || res.vciError().Error != "invalid_grant" {
				t.Fatalf("token after revocation: %d %s", res.Status, res.Body)
			}
			if res := e.declare(t, tok.AccessToken, key, weekLine(10)); res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), "revoked") {
				t.Fatalf("declaratie after revocation: %d %s", res.Status, res.Body)
			}
		})
	}
}
