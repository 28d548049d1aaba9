package verifier

import (
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"strings"
	"testing"
)

// benchPresentation is a Wmo toewijzing presented with all 10 disclosures (client and its 6
// members, beschikkingnummer, referentieaanbieder, budget) and a KB-JWT, as in production:
// ES256 issuer and holder keys, 3 decoys per _sd array.
func benchPresentation(b *testing.B) (*env, string) {
	e := newEnv(b)
	p := standard(b, e, credential{})
	if n := strings.Count(p, "~") - 1; n != 10 {
		b.Fatalf("benchmark presentation has %d disclosures, want 10", n)
	}
	return e, p
}

// BenchmarkVerifyPresentation is the whole pipeline on one presentation; the status list
// comes from memory through the caching fetcher (a cache hit after the first iteration),
// the issuer key from the verifier's key cache.
func BenchmarkVerifyPresentation(b *testing.B) {
	e, p := benchPresentation(b)
	v := New(newResolver(b), NewCachingStatusFetcher(e.status, nil, 10), e.trust)
	opts := testOptions()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.VerifyPresentation(ctx, p, opts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRawBound does only the work no verifier can avoid on the same presentation:
// two ECDSA P-256 verifications (issuer JWS, KB-JWT), the sha-256 digest of each
// disclosure, and the JSON decoding of both payloads and every disclosure. Keys are parsed
// beforehand.
func BenchmarkRawBound(b *testing.B) {
	e, p := benchPresentation(b)
	issuerPub := &e.issuer.key.PublicKey
	holderPub := &e.holder.PublicKey
	b.ReportAllocs()
	for b.Loop() {
		parts := strings.Split(p, "~")
		rawVerifyJWS(b, parts[0], issuerPub)
		for _, d := range parts[1 : len(parts)-1] {
			_ = sha256.Sum256([]byte(d))
			var arr []any
			rawDecode(b, d, &arr)
		}
		rawVerifyJWS(b, parts[len(parts)-1], holderPub)
	}
}

// rawVerifyJWS verifies an ES256 compact JWS and decodes its payload into a map.
func rawVerifyJWS(b *testing.B, jws string, pub *ecdsa.PublicKey) {
	dot := strings.LastIndexByte(jws, '.')
	sig, err := base64.RawURLEncoding.DecodeString(jws[dot+1:])
	if err != nil || len(sig) != 64 {
		b.Fatal("bad signature")
	}
	h := sha256.Sum256([]byte(jws[:dot]))
	r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
	if !ecdsa.Verify(pub, h[:], r, s) {
		b.Fatal("signature does not verify")
	}
	var claims map[string]any
	rawDecode(b, jws[strings.IndexByte(jws, '.')+1:dot], &claims)
}

func rawDecode(b *testing.B, enc string, v any) {
	raw, err := base64.RawURLEncoding.DecodeString(enc)
	if err != nil {
		b.Fatal(err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		b.Fatal(err)
	}
}
