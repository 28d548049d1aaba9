package sdjwt

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/internal/jose"
)

// testNow is the clock of the tests that do not talk to a peer.
var testNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

const (
	testAud   = "https://verifier.example.org"
	testNonce = "n-0S6_WzA2Mj"
	testVCT   = "https://bewijs.example/credentials/toewijzing"
)

func newKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// publicJWK is the holder key as it goes into cnf.jwk.
func publicJWK(t testing.TB, k *ecdsa.PrivateKey) map[string]any {
	t.Helper()
	raw, err := did.PublicJWK(k.Public())
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// testClaims is a Wmo toewijzing credential as the issuer would make it.
func testClaims(t testing.TB, holder *ecdsa.PrivateKey, now time.Time) map[string]any {
	return map[string]any{
		"iss":     "https://gemeente.example.nl",
		"vct":     testVCT,
		"iat":     now.Unix(),
		"nbf":     now.Unix(),
		"exp":     now.Add(24 * time.Hour).Unix(),
		"cnf":     map[string]any{"jwk": publicJWK(t, holder)},
		"client":  map[string]any{"bsn": "999991772", "naam": "de Vries"},
		"product": map[string]any{"categorie": "01", "code": "01A01"},
	}
}

// testDisclosable hides the client's members, and the product both as a whole and its code.
func testDisclosable(path []string) bool {
	switch strings.Join(path, ".") {
	case "client.bsn", "client.naam", "product", "product.code":
		return true
	}
	return false
}

// fixture is one issued credential with its keys.
type fixture struct {
	issuerKey, holderKey *ecdsa.PrivateKey
	claims               map[string]any
	issued               Issued
}

func newFixture(t testing.TB, mutate func(map[string]any)) fixture {
	t.Helper()
	return fixture{issuerKey: newKey(t), holderKey: newKey(t)}.reissue(t, mutate)
}

// reissue issues the test claims, changed by mutate, again with the keys of f.
func (f fixture) reissue(t testing.TB, mutate func(map[string]any)) fixture {
	t.Helper()
	f.claims = testClaims(t, f.holderKey, testNow)
	if mutate != nil {
		mutate(f.claims)
	}
	var err error
	f.issued, err = Issue(f.claims, IssueOptions{
		Signer:      jose.Signer{KeyID: "did:web:gemeente.example.nl#key-1", Key: f.issuerKey},
		Header:      map[string]any{"typ": "dc+sd-jwt"},
		Disclosable: testDisclosable,
		Decoys:      2,
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f fixture) keyBinding(now time.Time) *KeyBinding {
	return &KeyBinding{Signer: jose.Signer{Key: f.holderKey}, Audience: testAud, Nonce: testNonce, IssuedAt: now}
}

func (f fixture) verifyOptions() VerifyOptions {
	return VerifyOptions{Now: func() time.Time { return testNow }, RequireKeyBinding: true, Audience: testAud, Nonce: testNonce}
}

func keepAll([]string) bool { return true }

// canon is v after a JSON round trip, so that claims compare whatever their Go types.
func canon(t testing.TB, v any) any {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func assertSameJSON(t testing.TB, got, want any) {
	t.Helper()
	if g, w := canon(t, got), canon(t, want); !reflect.DeepEqual(g, w) {
		gj, _ := json.Marshal(g)
		wj, _ := json.Marshal(w)
		t.Fatalf("claims differ\n got: %s\nwant: %s", gj, wj)
	}
}

// signJWT signs any payload, for SD-JWTs this package would never issue.
func signJWT(t testing.TB, key *ecdsa.PrivateKey, payload any, header map[string]any) string {
	t.Helper()
	raw, err := json.Marshal(payload)
	if err != nil {
		t.Fatal(err)
	}
	jwt, err := jose.Sign(raw, jose.Signer{Key: key}, header)
	if err != nil {
		t.Fatal(err)
	}
	return jwt
}

// unsignedJWT is a JWS with the given header and a signature of junk bytes.
func unsignedJWT(header, payload any) string {
	h, _ := json.Marshal(header)
	p, _ := json.Marshal(payload)
	enc := base64.RawURLEncoding
	return enc.EncodeToString(h) + "." + enc.EncodeToString(p) + "." + enc.EncodeToString([]byte("not a signature"))
}

// mustDisclosure makes a disclosure with a fixed salt.
func mustDisclosure(t testing.TB, name string, value any) Disclosure {
	t.Helper()
	d, err := newDisclosure("c2FsdHNhbHRzYWx0c2FsdA", name, value)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// arrayDisclosure makes an array element disclosure [salt, value].
func arrayDisclosure(t testing.TB, value any) Disclosure {
	t.Helper()
	raw, err := json.Marshal([]any{"YXJyYXlzYWx0YXJyYXlzYWx0", value})
	if err != nil {
		t.Fatal(err)
	}
	d, err := decodeDisclosure(base64.RawURLEncoding.EncodeToString(raw), 32)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// compact joins an issuer JWT, disclosures and an optional KB-JWT.
func compact(jwt string, ds []Disclosure, kb string) string {
	parts := []string{jwt}
	for _, d := range ds {
		parts = append(parts, d.Encoded)
	}
	return strings.Join(append(parts, kb), "~")
}

// digestsIn collects every digest embedded in _sd arrays and "..." elements of v.
func digestsIn(v any) []string {
	var out []string
	switch t := v.(type) {
	case map[string]any:
		if sd, ok := stringArray(t[sdKey]); ok {
			out = append(out, sd...)
		}
		for _, k := range sortedKeys(t) {
			out = append(out, digestsIn(t[k])...)
		}
	case []any:
		for _, e := range t {
			if dg, ok := arrayDigest(e); ok {
				out = append(out, dg)
				continue
			}
			out = append(out, digestsIn(e)...)
		}
	}
	return slices.Clip(out)
}
