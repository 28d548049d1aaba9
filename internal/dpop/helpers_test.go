package dpop_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"hash"
	"maps"
	"math/big"
	"testing"

	"github.com/sociaaldomein/bewijs/did"
)

// The tests build proofs by hand, not with New or internal/jose, so that every header and
// claim can be made wrong on its own and so that Verify is checked against an independent
// JWS encoder.

func ecKey(t testing.TB, curve elliptic.Curve) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(curve, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// publicJWK is the JWK of pub as a map, so tests can add or remove members.
func publicJWK(t testing.TB, pub crypto.PublicKey) map[string]any {
	t.Helper()
	data, err := did.PublicJWK(pub)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// privateJWK is the JWK of an EC private key, "d" included.
func privateJWK(t testing.TB, k *ecdsa.PrivateKey) map[string]any {
	m := publicJWK(t, k.Public())
	d := k.D.FillBytes(make([]byte, (k.Curve.Params().BitSize+7)/8))
	m["d"] = base64.RawURLEncoding.EncodeToString(d)
	return m
}

// signFunc signs the JWS signing input.
type signFunc func(t testing.TB, input []byte) []byte

// signEC signs as ES256/ES384 do: R || S, each the size of the curve order (RFC 7518 §3.4).
func signEC(k *ecdsa.PrivateKey) signFunc {
	return func(t testing.TB, input []byte) []byte {
		var h hash.Hash = sha256.New()
		if k.Curve == elliptic.P384() {
			h = sha512.New384()
		}
		h.Write(input)
		r, s, err := ecdsa.Sign(rand.Reader, k, h.Sum(nil))
		if err != nil {
			t.Fatal(err)
		}
		size := (k.Curve.Params().BitSize + 7) / 8
		return append(fill(r, size), fill(s, size)...)
	}
}

func fill(n *big.Int, size int) []byte { return n.FillBytes(make([]byte, size)) }

func signEd(k ed25519.PrivateKey) signFunc {
	return func(_ testing.TB, input []byte) []byte { return ed25519.Sign(k, input) }
}

func signHMAC(secret []byte) signFunc {
	return func(_ testing.TB, input []byte) []byte {
		m := hmac.New(sha256.New, secret)
		m.Write(input)
		return m.Sum(nil)
	}
}

func signNone(testing.TB, []byte) []byte { return nil }

// compactJWS encodes header and claims and signs them with sign.
func compactJWS(t testing.TB, header, claims map[string]any, sign signFunc) string {
	t.Helper()
	h, err := json.Marshal(header)
	if err != nil {
		t.Fatal(err)
	}
	c, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	input := b64(h) + "." + b64(c)
	return input + "." + b64(sign(t, []byte(input)))
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// proofParts is one hand-made proof: header, claims and how it is signed.
type proofParts struct {
	header map[string]any
	claims map[string]any
	sign   signFunc
}

func (p proofParts) clone() proofParts {
	return proofParts{header: maps.Clone(p.header), claims: maps.Clone(p.claims), sign: p.sign}
}

func (p proofParts) compact(t testing.TB) string { return compactJWS(t, p.header, p.claims, p.sign) }
