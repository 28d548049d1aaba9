package wallet_test

import (
	"context"
	"crypto"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/url"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/did/jwk"
	"github.com/sociaaldomein/bewijs/internal/jose"
	"github.com/sociaaldomein/bewijs/internal/sdjwt"
	"github.com/sociaaldomein/bewijs/verifier/oid4vp"
	"github.com/sociaaldomein/bewijs/wallet"
)

const vctWmo = "urn:nl:sociaaldomein:wmo:toewijzing:1"

// wmoQuery asks for the client's date of birth and the budget; naamQuery for the whole name.
const (
	wmoQuery  = `{"credentials":[{"id":"wmo","format":"dc+sd-jwt","meta":{"vct_values":["` + vctWmo + `"]},"claims":[{"path":["client","geboortedatum"]},{"path":["budget"]}]}]}`
	naamQuery = `{"credentials":[{"id":"wmo","format":"dc+sd-jwt","meta":{"vct_values":["` + vctWmo + `"]},"claims":[{"path":["client","naam"]}]}]}`
)

// holder is a wallet's credential with its key, and the issuer key to check presentations.
type holder struct {
	cred      wallet.Credential
	key       wallet.Key
	issuerPub crypto.PublicKey
}

// newHolder issues a Wmo SD-JWT VC (client, its members and budget selectively disclosable)
// to a fresh holder key, as the wallet would have received it.
func newHolder(t *testing.T) holder {
	t.Helper()
	issuerKey, hk := newECKey(t), newECKey(t)
	issuerDID, err := jwk.New(issuerKey.Public())
	if err != nil {
		t.Fatal(err)
	}
	holderJWK, err := did.PublicJWK(hk.Public())
	if err != nil {
		t.Fatal(err)
	}
	claims := map[string]any{
		"iss": issuerDID, "vct": vctWmo, "iat": time.Now().Add(-time.Hour).Unix(),
		"exp": time.Now().Add(30 * 24 * time.Hour).Unix(), "cnf": map[string]any{"jwk": holderJWK},
		"gemeente": map[string]any{"code": "0344", "naam": "Utrecht"}, "wet": "Wmo2015", "budget": 125000,
		"client": map[string]any{"bsn": "999993653", "geboortedatum": "1948-05-17",
			"naam": map[string]any{"voornamen": "Johanna", "achternaam": "Vries"}},
	}
	issued, err := sdjwt.Issue(claims, sdjwt.IssueOptions{
		Signer: jose.Signer{KeyID: issuerDID + "#0", Key: issuerKey}, Header: map[string]any{"typ": "dc+sd-jwt"},
		Disclosable: func(p []string) bool { return p[0] == "client" || p[0] == "budget" }, Decoys: 2,
	})
	if err != nil {
		t.Fatal(err)
	}
	cred, err := (&wallet.Client{Resolver: jwk.Resolver{}}).Verify(context.Background(), issued.Compact, hk.Public())
	if err != nil {
		t.Fatal(err)
	}
	kid, _ := jose.Thumbprint(hk.Public())
	der, _ := x509.MarshalPKCS8PrivateKey(hk)
	cred.HolderKeyID = kid
	return holder{cred: cred, key: wallet.Key{ID: kid, Private: hk, PKCS8: der}, issuerPub: issuerKey.Public()}
}

func (h holder) keys(id string) (wallet.Key, error) {
	if id != h.key.ID {
		return wallet.Key{}, wallet.ErrUnknownKey
	}
	return h.key, nil
}

func TestPresentEndToEnd(t *testing.T) {
	dobAndBudget := []string{"budget", "client", "geboortedatum"}
	tests := []struct {
		name      string
		cfg       verifierConfig
		method    string
		link      func(v *testVerifier) string // default v.link(method)
		trusted   bool                         // pass the verifier's roots as TrustedRoots
		wantNames []string
		wantPaths []string
		wantChain bool
		wantEnc   string // "" for direct_post
		wantName  string // "" for the DID
	}{
		{name: "ok - did:jwk, GET, direct_post", wantNames: dobAndBudget, wantPaths: []string{"client.geboortedatum", "budget"}},
		{name: "ok - bare request_uri", link: func(v *testVerifier) string { return v.url + "/request" },
			wantNames: dobAndBudget, wantPaths: []string{"client.geboortedatum", "budget"}},
		{name: "ok - haip:// link", link: func(v *testVerifier) string { return "haip://" + strings.TrimPrefix(v.link(""), "openid4vp://") },
			wantNames: dobAndBudget, wantPaths: []string{"client.geboortedatum", "budget"}},
		{name: "ok - nested object discloses its members", cfg: verifierConfig{query: naamQuery},
			wantNames: []string{"achternaam", "client", "naam", "voornamen"}, wantPaths: []string{"client.naam"}},
		{name: "ok - x509_hash self-signed, POST, direct_post.jwt A256GCM", cfg: verifierConfig{kind: kindX509,
			responseMode: oid4vp.ResponseModeDirectPostJWT, encs: []string{"A192GCM", "A256GCM"}}, method: "post",
			wantNames: dobAndBudget, wantPaths: []string{"client.geboortedatum", "budget"}, wantEnc: "A256GCM", wantName: "Gemeente Utrecht"},
		{name: "ok - x509_hash with a trusted root", cfg: verifierConfig{kind: kindX509}, trusted: true,
			wantNames: dobAndBudget, wantPaths: []string{"client.geboortedatum", "budget"}, wantChain: true, wantName: "Gemeente Utrecht"},
		{name: "ok - x509_san_dns, POST, direct_post.jwt default enc", cfg: verifierConfig{kind: kindX509DNS,
			responseMode: oid4vp.ResponseModeDirectPostJWT}, method: "post", trusted: true,
			wantNames: dobAndBudget, wantPaths: []string{"client.geboortedatum", "budget"}, wantChain: true, wantEnc: "A128GCM", wantName: verifierHost},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Arrange
			h, v := newHolder(t), newTestVerifier(t, tt.cfg)
			c, ctx := v.client(), context.Background()
			opts := wallet.PresentOptions{InsecureLocalhost: true}
			if tt.trusted {
				opts.TrustedRoots = v.roots
			}
			link := v.link(tt.method)
			if tt.link != nil {
				link = tt.link(v)
			}
			// Act
			req, err := c.ResolveRequest(ctx, link, opts)
			if err != nil {
				t.Fatal(err)
			}
			plan, err := c.PlanPresentation(req, []wallet.Credential{h.cred})
			if err != nil {
				t.Fatal(err)
			}
			res, err := c.Present(ctx, req, plan, h.keys)
			if err != nil {
				t.Fatal(err)
			}
			// Assert
			if req.ClientID != v.clientID || req.X509ChainVerified != tt.wantChain || req.VerifierName != or(tt.wantName, strings.TrimPrefix(v.clientID, "decentralized_identifier:")) {
				t.Fatalf("request %s %v %q", req.ClientID, req.X509ChainVerified, req.VerifierName)
			}
			if got := planPaths(plan); !slices.Equal(got, tt.wantPaths) {
				t.Fatalf("planned %v, want %v", got, tt.wantPaths)
			}
			got, jweHdr, md := v.received()
			if got == nil || got.State != v.state {
				t.Fatalf("verifier got %+v", got)
			}
			checkPresentation(t, v, h, got.VPToken, tt.wantNames)
			if jweHdr.Enc != tt.wantEnc || (tt.wantEnc != "" && jweHdr.Kid != "enc-1") {
				t.Fatalf("JWE header %+v, want enc %q with the enc key", jweHdr, tt.wantEnc)
			}
			if tt.method == "post" {
				checkWalletMetadata(t, md)
			}
			if res.RedirectURI != v.url+"/done#response_code=abc" || len(res.Disclosed) != 1 || res.Disclosed[0].QueryID != "wmo" {
				t.Fatalf("result %+v", res)
			}
		})
	}
}

func planPaths(plan wallet.Plan) []string {
	var out []string
	for _, it := range plan.Items {
		for _, cl := range it.Claims {
			out = append(out, wallet.PathString(cl.Path))
		}
	}
	return out
}

// checkPresentation verifies the one presentation for "wmo" as a verifier would, and checks
// that exactly the disclosures wantNames went along and the KB-JWT names the verifier.
func checkPresentation(t *testing.T, v *testVerifier, h holder, token oid4vp.VPToken, wantNames []string) {
	t.Helper()
	if len(token) != 1 || len(token["wmo"]) != 1 {
		t.Fatalf("vp_token %v", token)
	}
	tok, err := sdjwt.Parse(token["wmo"][0])
	if err != nil {
		t.Fatal(err)
	}
	ver, err := tok.Verify(h.issuerPub, sdjwt.VerifyOptions{RequireKeyBinding: true, Audience: v.clientID, Nonce: v.nonce})
	if err != nil {
		t.Fatalf("presentation does not verify for %s: %v", v.clientID, err)
	}
	var names []string
	for _, d := range ver.Disclosed {
		names = append(names, d.Name)
	}
	slices.Sort(names)
	if !slices.Equal(names, wantNames) {
		t.Fatalf("disclosed %v, want exactly %v", names, wantNames)
	}
	if cl, _ := ver.Claims["client"].(map[string]any); cl["bsn"] != nil {
		t.Fatal("the BSN was disclosed without being asked for")
	}
	// B.3.6: aud is the full Client Identifier, with its prefix.
	var kb struct{ Aud, Nonce string }
	raw, _ := base64.RawURLEncoding.DecodeString(strings.Split(tok.KeyBindingJWT, ".")[1])
	if err := json.Unmarshal(raw, &kb); err != nil || kb.Aud != v.clientID || kb.Nonce != v.nonce {
		t.Fatalf("KB-JWT aud %q nonce %q, want %q %q", kb.Aud, kb.Nonce, v.clientID, v.nonce)
	}
}

func checkWalletMetadata(t *testing.T, md string) {
	t.Helper()
	var wm oid4vp.WalletMetadata
	if err := json.Unmarshal([]byte(md), &wm); err != nil {
		t.Fatalf("wallet_metadata %q: %v", md, err)
	}
	f, ok := wm.VPFormatsSupported[oid4vp.FormatSDJWTVC]
	if !ok || !slices.Contains(f.KBJWTAlgValues, "ES256") || !slices.Contains(wm.ClientIDPrefixesSupported, oid4vp.PrefixX509Hash) ||
		!slices.Equal(wm.AuthorizationEncryptionEncValuesSupported, []string{"A128GCM", "A256GCM"}) {
		t.Fatalf("wallet_metadata %s", md)
	}
}

func TestPlanPresentationUnsatisfiable(t *testing.T) {
	h := newHolder(t)
	tests := []struct {
		name      string
		query     string
		wantQuery string
		wantPath  []any
	}{
		{name: "error - claim the credential lacks", wantQuery: "wmo", wantPath: []any{"client", "adres"},
			query: `{"credentials":[{"id":"wmo","format":"dc+sd-jwt","meta":{"vct_values":["` + vctWmo + `"]},"claims":[{"path":["client","adres"]}]}]}`},
		{name: "error - no credential of that type", wantQuery: "jeugd",
			query: `{"credentials":[{"id":"jeugd","format":"dc+sd-jwt","meta":{"vct_values":["urn:nl:sociaaldomein:jeugdwet:toewijzing:1"]}}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newTestVerifier(t, verifierConfig{query: tt.query})
			c := v.client()
			req, err := c.ResolveRequest(context.Background(), v.link(""), wallet.PresentOptions{InsecureLocalhost: true})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.PlanPresentation(req, []wallet.Credential{h.cred})
			var ue *oid4vp.UnsatisfiedError
			if !errors.As(err, &ue) || ue.CredentialQueryID != tt.wantQuery || !reflect.DeepEqual(ue.ClaimPath, tt.wantPath) {
				t.Fatalf("err = %#v, want the missing %s %v", err, tt.wantQuery, tt.wantPath)
			}
			if strings.Contains(err.Error(), "999993653") {
				t.Fatal("the error shows the BSN")
			}
		})
	}
}

func TestWalletPresentConsent(t *testing.T) {
	tests := []struct {
		name    string
		consent bool
	}{
		{"ok - consent given", true},
		{"error - consent refused", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Arrange: a wallet on disk holding the credential and its key.
			h, v := newHolder(t), newTestVerifier(t, verifierConfig{responseMode: oid4vp.ResponseModeDirectPostJWT})
			store, err := wallet.Init(filepath.Join(t.TempDir(), "w"))
			if err != nil {
				t.Fatal(err)
			}
			err = store.Update(func(st *wallet.State) error {
				st.Keys, st.Credentials = append(st.Keys, h.key), append(st.Credentials, h.cred)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			w := &wallet.Wallet{Client: v.client(), Store: store}
			var shown wallet.Plan
			// Act
			res, err := w.Present(context.Background(), v.link("post"), wallet.PresentOptions{InsecureLocalhost: true},
				func(_ wallet.Request, p wallet.Plan) bool { shown = p; return tt.consent })
			// Assert
			got, _, _ := v.received()
			if len(shown.Items) != 1 || !slices.Contains(shown.Items[0].AlwaysDisclosed, "gemeente") || slices.Contains(shown.Items[0].AlwaysDisclosed, "client") {
				t.Fatalf("consent screen plan %+v", shown)
			}
			if !tt.consent {
				if !errors.Is(err, wallet.ErrConsentRefused) || got == nil || got.Error != oid4vp.ErrAccessDenied || got.VPToken != nil || got.State != v.state {
					t.Fatalf("err = %v, verifier got %+v", err, got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			checkPresentation(t, v, h, got.VPToken, []string{"budget", "client", "geboortedatum"})
			want := map[string]any{"client.geboortedatum": "1948-05-17", "budget": float64(125000)}
			if len(res.Disclosed) != 1 || !reflect.DeepEqual(res.Disclosed[0].Claims, want) {
				t.Fatalf("result %+v", res.Disclosed)
			}
		})
	}
}

// FuzzResolveRequestByValue: a Request Object in a link is untrusted; checking it must never
// panic. By value and with did:jwk, nothing goes over the network.
func FuzzResolveRequestByValue(f *testing.F) {
	key := newECKey(f)
	id, _ := jwk.New(key.Public())
	clientID := "decentralized_identifier:" + id
	ok, _ := jose.Sign([]byte(`{"client_id":"`+clientID+`","response_type":"vp_token","response_mode":"direct_post","response_uri":"https://v.example/r","nonce":"n","dcql_query":`+wmoQuery+`}`),
		jose.Signer{KeyID: id + "#0", Key: key}, map[string]any{"typ": oid4vp.RequestObjectType})
	f.Add(ok)
	f.Add("eyJhbGciOiJub25lIn0.e30.")
	f.Add("a.b.c")
	c := &wallet.Client{Resolver: jwk.Resolver{}}
	f.Fuzz(func(t *testing.T, jws string) {
		link := "openid4vp://?" + url.Values{"client_id": {clientID}, "request": {jws}}.Encode()
		_, _ = c.ResolveRequest(context.Background(), link, wallet.PresentOptions{InsecureLocalhost: true})
	})
}
