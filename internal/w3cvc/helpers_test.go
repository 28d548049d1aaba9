package w3cvc

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/internal/jose"
)

// The parties of the tests: the Ketenbureau (trust anchor), an aanbieder that holds an
// OrganisatieRol, and a stranger with a DID of its own.
const (
	ketenbureauDID = "did:web:ketenbureau.example"
	aanbiederDID   = "did:web:bewijs.example:o:zorg-en-welzijn-bv"
	strangerDID    = "did:web:stranger.example"
	verifierID     = "x509_san_dns:gemeente.example"
	statusListURL  = "https://ketenbureau.example/status/1"
)

var testNow = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// party is a DID with one signing key.
type party struct {
	did    string
	signer jose.Signer
}

func newParty(t testing.TB, did string, ed bool) party {
	t.Helper()
	var key crypto.Signer
	var err error
	if ed {
		_, key, err = ed25519.GenerateKey(rand.Reader)
	} else {
		key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	}
	if err != nil {
		t.Fatal(err)
	}
	return party{did: did, signer: jose.Signer{KeyID: did + "#key-1", Key: key}}
}

// world is a set of parties and a VerifyOptions whose Key knows their keys.
type world struct {
	ketenbureau, aanbieder, stranger party
	keys                             map[string]crypto.PublicKey
}

func newWorld(t testing.TB) *world {
	t.Helper()
	w := &world{
		ketenbureau: newParty(t, ketenbureauDID, false),
		aanbieder:   newParty(t, aanbiederDID, true),
		stranger:    newParty(t, strangerDID, false),
		keys:        map[string]crypto.PublicKey{},
	}
	for _, p := range []party{w.ketenbureau, w.aanbieder, w.stranger} {
		w.keys[p.signer.KeyID] = p.signer.Key.Public()
	}
	return w
}

var errUnknownKey = errors.New("unknown kid")

func (w *world) options(now time.Time) VerifyOptions {
	return VerifyOptions{
		Now:  func() time.Time { return now },
		Skew: 30 * time.Second,
		Key: func(_ context.Context, kid string) (crypto.PublicKey, error) {
			if k, ok := w.keys[kid]; ok {
				return k, nil
			}
			return nil, errUnknownKey
		},
	}
}

// organisatieRol is the credential of issue 5: the Ketenbureau says the aanbieder may
// declare (declareren) for a municipality.
func organisatieRol() Credential {
	return Credential{
		ID:      "urn:uuid:5e4a2d3c-6f0b-4c1e-9a57-2b8d0c1f7e31",
		Types:   []string{"OrganisatieRol"},
		Issuer:  ketenbureauDID,
		Subject: aanbiederDID,
		Claims: map[string]any{
			"rol":        "aanbieder",
			"agbCode":    "98765432",
			"gemeenten":  []any{"0363", "0518"},
			"bevoegdTot": "declareren",
		},
		IssuedAt:   testNow.Add(-time.Hour),
		ValidFrom:  testNow.Add(-time.Hour),
		ValidUntil: testNow.Add(365 * 24 * time.Hour),
		Status: &StatusEntry{
			ID:             statusListURL + "#94567",
			Purpose:        PurposeRevocation,
			Index:          94567,
			ListCredential: statusListURL,
		},
	}
}

// signRaw signs arbitrary claims and header members with s, for malformed and hostile input.
func signRaw(t testing.TB, s jose.Signer, claims map[string]any, headers map[string]any) string {
	t.Helper()
	payload, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	out, err := jose.Sign(payload, s, headers)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// decodePartRaw returns a part (0 header, 1 payload) of a compact JWS, base64url-decoded.
func decodePartRaw(t testing.TB, compact string, i int) []byte {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(strings.Split(compact, ".")[i])
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// decodePart decodes a part (0 header, 1 payload) of a compact JWS without verifying it.
func decodePart(t testing.TB, compact string, i int) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(decodePartRaw(t, compact, i), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// unsignedJWT is a JWT with the given header and payload and a junk signature.
func unsignedJWT(header, payload map[string]any) string {
	h, _ := json.Marshal(header)
	p, _ := json.Marshal(payload)
	enc := base64.RawURLEncoding.EncodeToString
	return enc(h) + "." + enc(p) + "." + enc([]byte("not a signature"))
}

// requireReason fails unless err is an *Error of reason want.
func requireReason(t testing.TB, err error, want Reason) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want reason %q", want)
	}
	if got := ReasonOf(err); got != want {
		t.Fatalf("reason = %q (%v), want %q", got, err, want)
	}
}

func errorsIs(err, target error) bool { return errors.Is(err, target) }
