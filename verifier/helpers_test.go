package verifier

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"maps"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/did/jwk"
	"github.com/sociaaldomein/bewijs/did/resolver"
	"github.com/sociaaldomein/bewijs/did/web"
	"github.com/sociaaldomein/bewijs/internal/jose"
	"github.com/sociaaldomein/bewijs/internal/sdjwt"
	"github.com/sociaaldomein/bewijs/internal/statuslist"
)

// The test request: a fixed clock, the verifier's client identifier and the nonce.
var testNow = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

const (
	testAud       = "x509_hash:Uvo3HtuIxuhC92rShpgqcT3YXwrqRxWEviRiA0OZszk"
	testNonce     = "n-0S6_WzA2Mj"
	testStatusURI = "https://bewijs.example/o/gemeente-utrecht/status/l1"
	vctWmo        = "urn:nl:sociaaldomein:wmo:toewijzing:1"
	vctJeugdwet   = "urn:nl:sociaaldomein:jeugdwet:toewijzing:1"
	// Status list indexes of the test issuer's list.
	idxValid     = 3
	idxRevoked   = 5
	idxSuspended = 6
)

// testIssuer is a gemeente with a P-256 key and a did:jwk DID (resolvable without network).
type testIssuer struct {
	key *ecdsa.PrivateKey
	did string
	kid string
}

func newKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func newTestIssuer(t testing.TB) testIssuer {
	t.Helper()
	k := newKey(t)
	id, err := jwk.New(k.Public())
	if err != nil {
		t.Fatal(err)
	}
	return testIssuer{key: k, did: id, kid: id + "#0"}
}

func (is testIssuer) signer() jose.Signer { return jose.Signer{KeyID: is.kid, Key: is.key} }

// toewijzingClaims are claims as issuer/toewijzing builds them for one Wmo product.
func toewijzingClaims() map[string]any {
	return map[string]any{
		"gemeente":            map[string]any{"code": "0344", "naam": "Utrecht"},
		"wet":                 "Wmo2015",
		"toewijzingnummer":    34400101,
		"ingangsdatum":        "2026-02-01",
		"einddatum":           "2026-12-31",
		"product":             map[string]any{"categorie": "01", "code": "01A01", "omschrijving": "Huishoudelijke hulp"},
		"aanbieder":           map[string]any{"agb": "98765432", "naam": "Thuiszorg De Linde"},
		"beschikkingnummer":   "2026-000123",
		"referentieaanbieder": "LINDE-4411",
		"budget":              125000,
		"client": map[string]any{
			"bsn":           "999993653",
			"geboortedatum": "1948-05-17",
			"voorletters":   "J.",
			"naam":          map[string]any{"voornamen": "Johanna", "achternaam": "Vries"},
		},
	}
}

// disclosable mirrors toewijzing.Disclosable: personal data and administrative references.
func disclosable(path []string) bool {
	switch path[0] {
	case "client", "omvang", "budget", "beschikkingnummer", "referentieaanbieder":
		return true
	}
	return false
}

// credential is what a test credential varies on; zero fields take the defaults.
type credential struct {
	iss      string // default: the issuer's DID
	vct      string // default: vctWmo
	typ      string // default: dc+sd-jwt
	nbf, exp time.Time
	idx      int
	uri      string
	signer   *jose.Signer // default: the issuer's
}

// issue makes an SD-JWT VC like issuer/sdjwtvc.go does (10 disclosures, 3 decoys per _sd).
func (is testIssuer) issue(t testing.TB, holder *ecdsa.PrivateKey, c credential) string {
	t.Helper()
	holderJWK := mustJWK(t, holder)
	payload := maps.Clone(toewijzingClaims())
	payload["iss"] = or(c.iss, is.did)
	payload["vct"] = or(c.vct, vctWmo)
	payload["iat"] = testNow.Add(-time.Hour).Unix()
	payload["nbf"] = orTime(c.nbf, testNow.Add(-time.Hour)).Unix()
	payload["exp"] = orTime(c.exp, testNow.Add(30*24*time.Hour)).Unix()
	payload["cnf"] = map[string]any{"jwk": holderJWK}
	idx := c.idx
	if idx == 0 {
		idx = idxValid
	}
	payload["status"] = map[string]any{"status_list": statuslist.Reference{Index: idx, URI: or(c.uri, testStatusURI)}}
	signer := is.signer()
	if c.signer != nil {
		signer = *c.signer
	}
	issued, err := sdjwt.Issue(payload, sdjwt.IssueOptions{
		Signer: signer, Header: map[string]any{"typ": or(c.typ, TypSDJWTVC)}, Disclosable: disclosable, Decoys: 3,
	})
	if err != nil {
		t.Fatal(err)
	}
	return issued.Compact
}

func mustJWK(t testing.TB, k *ecdsa.PrivateKey) json.RawMessage {
	t.Helper()
	raw, err := did.PublicJWK(k.Public())
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func orTime(t, def time.Time) time.Time {
	if t.IsZero() {
		return def
	}
	return t
}

// all presents every disclosure.
func all([]string) bool { return true }

// only presents the disclosures of the given claim paths (and their parents).
func only(paths ...string) func([]string) bool {
	return func(p []string) bool {
		joined := strings.Join(p, ".")
		for _, want := range paths {
			if want == joined || strings.HasPrefix(want, joined+".") {
				return true
			}
		}
		return false
	}
}

// present makes the holder's presentation with a KB-JWT for the test request.
func present(t testing.TB, issued string, holder *ecdsa.PrivateKey, keep func([]string) bool) string {
	t.Helper()
	kb := &sdjwt.KeyBinding{Signer: jose.Signer{Key: holder}, Audience: testAud, Nonce: testNonce, IssuedAt: testNow}
	out, err := sdjwt.Present(issued, keep, kb)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// kbPayload is a KB-JWT payload; signKB lets tests make wrong ones.
type kbPayload struct {
	IssuedAt int64  `json:"iat"`
	Audience string `json:"aud"`
	Nonce    string `json:"nonce"`
	SDHash   string `json:"sd_hash,omitempty"`
}

// withKB appends a KB-JWT over presented (which ends with '~'); an empty SDHash is computed.
func withKB(t testing.TB, presented string, holder *ecdsa.PrivateKey, c kbPayload) string {
	t.Helper()
	return withKBTyp(t, presented, holder, c, "kb+jwt")
}

func withKBTyp(t testing.TB, presented string, holder *ecdsa.PrivateKey, c kbPayload, typ string) string {
	t.Helper()
	if c.SDHash == "" {
		sum := sha256.Sum256([]byte(presented))
		c.SDHash = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	payload, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := jose.Sign(payload, jose.Signer{Key: holder}, map[string]any{"typ": typ})
	if err != nil {
		t.Fatal(err)
	}
	return presented + kb
}

func goodKB() kbPayload {
	return kbPayload{IssuedAt: testNow.Unix(), Audience: testAud, Nonce: testNonce}
}

// statusToken is a Status List Token for uri signed by signer, with the given entries set.
func statusToken(t testing.TB, signer jose.Signer, uri string, set map[int]statuslist.Status, mod func(map[string]any)) []byte {
	t.Helper()
	l, err := statuslist.New(2, 1024)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range set {
		if err := l.Set(i, s); err != nil {
			t.Fatal(err)
		}
	}
	claims, err := statuslist.TokenClaims(uri, l, testNow.Add(-time.Minute), testNow.Add(time.Hour), 5*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	typ := statuslist.TokenType
	if mod != nil {
		mod(claims)
		if s, ok := claims["typ"].(string); ok { // a test hook for the header, not a claim
			typ = s
			delete(claims, "typ")
		}
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jose.Sign(payload, signer, map[string]any{"typ": typ})
	if err != nil {
		t.Fatal(err)
	}
	return []byte(tok)
}

func defaultStatuses() map[int]statuslist.Status {
	return map[int]statuslist.Status{idxRevoked: statuslist.Invalid, idxSuspended: statuslist.Suspended}
}

// memStatus is an in-memory StatusFetcher: tokens by uri, counting fetches.
type memStatus struct {
	mu     sync.Mutex
	tokens map[string][]byte
	calls  int
}

func (m *memStatus) Fetch(_ context.Context, uri string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	tok, ok := m.tokens[uri]
	if !ok {
		return nil, errors.New("404")
	}
	return tok, nil
}

func (m *memStatus) set(uri string, tok []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.tokens[uri] = tok
}

// trustList trusts the listed issuer DIDs for every vct; err makes the policy fail.
type trustList struct {
	dids map[string]bool
	err  error
}

func (tl trustList) Trusted(_ context.Context, issuerDID, _ string) (bool, []string, error) {
	if tl.err != nil {
		return false, nil, tl.err
	}
	if tl.dids[issuerDID] {
		return true, nil, nil
	}
	return false, []string{"issuer is not in the gemeente register"}, nil
}

// newResolver resolves did:jwk and did:key, and did:web without loopback access.
func newResolver(t testing.TB) *resolver.Multi {
	t.Helper()
	w, err := web.NewResolver(web.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	return newMulti(t, w)
}

// newOfflineResolver resolves did:jwk and did:key only: no network, whatever the input.
func newOfflineResolver(t testing.TB) *resolver.Multi {
	t.Helper()
	return newMulti(t, nil)
}

func newMulti(t testing.TB, w *web.Resolver) *resolver.Multi {
	t.Helper()
	r, err := resolver.New(resolver.Config{CacheTTL: time.Minute, CacheSize: 100, Now: func() time.Time { return testNow }}, resolver.StandardMethods(w))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func testOptions() Options {
	return Options{
		Now:       func() time.Time { return testNow },
		Audience:  testAud,
		Nonce:     testNonce,
		KnownVCTs: []string{vctWmo, vctJeugdwet},
	}
}

// env is one test world: an issuer (trusted, with its status list served), a second
// issuer that is not trusted, a holder, and the verifier.
type env struct {
	issuer, other testIssuer
	holder        *ecdsa.PrivateKey
	status        *memStatus
	trust         trustList
	verifier      *Verifier
}

func newEnv(t testing.TB) *env {
	t.Helper()
	e := &env{issuer: newTestIssuer(t), other: newTestIssuer(t), holder: newKey(t)}
	e.status = &memStatus{tokens: map[string][]byte{}}
	e.status.set(testStatusURI, statusToken(t, e.issuer.signer(), testStatusURI, defaultStatuses(), nil))
	e.trust = trustList{dids: map[string]bool{e.issuer.did: true}}
	e.verifier = New(newResolver(t), e.status, e.trust)
	return e
}

// failureOf asserts err is a *Failure and returns it.
func failureOf(t *testing.T, err error) *Failure {
	t.Helper()
	var f *Failure
	if !errors.As(err, &f) {
		t.Fatalf("error %v (%T) is not a *Failure", err, err)
	}
	return f
}
