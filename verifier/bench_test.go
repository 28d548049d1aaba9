package verifier

// Benchmarks of the verification pipeline against a raw bound (issue 4, item 9).
//
//	go test ./verifier -run '^$' -bench . -cpu 1 -count 5
//
// Each runs on two presentations (benchPresentations). BenchmarkVerifyPresentation and
// BenchmarkRawBound run alone, one goroutine each; with -cpu 1 the garbage collector runs
// on the same core too, so their ns/op are per core. BenchmarkPipelineVsBound runs both on
// the same presentation in alternation, timing each half separately, so that both see the
// same machine state (frequency, noisy neighbours, GC); it reports pipeline-ns/op,
// bound-ns/op and %bound = 100 * bound / pipeline. The target is %bound >= 80. Its ns/op
// is the sum of both halves and means nothing by itself.

import (
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"strings"
	"testing"
	"time"
)

// benchPresentations are the presentations benchmarked, each a Wmo toewijzing with a
// KB-JWT as in production (ES256 issuer and holder keys, 3 decoys per _sd array):
// "disclosures=10" presents all of them (client and its 6 members, beschikkingnummer,
// referentieaanbieder, budget); "disclosures=0" presents none, as the wallet answers the
// zorgstart query, which asks only for claims that are always visible.
var benchPresentations = []struct {
	name        string
	keep        func([]string) bool
	disclosures int
}{
	{"disclosures=10", all, 10},
	{"disclosures=0", nil, 0},
}

// forEachPresentation runs bench as a sub-benchmark per presentation of benchPresentations.
func forEachPresentation(b *testing.B, bench func(b *testing.B, e *env, p string)) {
	for _, bp := range benchPresentations {
		b.Run(bp.name, func(b *testing.B) {
			e := newEnv(b)
			p := present(b, e.issuer.issue(b, e.holder, credential{}), e.holder, bp.keep)
			if n := strings.Count(p, "~") - 1; n != bp.disclosures {
				b.Fatalf("benchmark presentation has %d disclosures, want %d", n, bp.disclosures)
			}
			bench(b, e, p)
		})
	}
}

// benchVerifier is the verifier as the server builds it, but for its peers: the status
// list comes from memory through the caching fetcher (a cache hit after the first
// iteration; its clock is the test clock, so the token's exp keeps it cached), the issuer
// key from the verifier's key cache, and trust from an in-memory list. The server's Rego
// trust policy is not part of it: see policies.BenchmarkDecideTrust (about 140 µs).
func benchVerifier(b *testing.B, e *env) *Verifier {
	clock := func() time.Time { return testNow }
	return New(newResolver(b), NewCachingStatusFetcher(e.status, clock, 10), e.trust)
}

// BenchmarkVerifyPresentation is the whole pipeline on one presentation.
func BenchmarkVerifyPresentation(b *testing.B) {
	forEachPresentation(b, func(b *testing.B, e *env, p string) {
		v := benchVerifier(b, e)
		opts := testOptions()
		ctx := context.Background()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := v.VerifyPresentation(ctx, p, opts); err != nil {
				b.Fatal(err)
			}
		}
		if got := e.status.calls; got != 1 {
			b.Fatalf("the status list was fetched %d times, want 1 (the cache does not hold)", got)
		}
	})
}

// BenchmarkRawBound does only the work no verifier can avoid on the same presentation; see
// rawBound.
func BenchmarkRawBound(b *testing.B) {
	forEachPresentation(b, func(b *testing.B, e *env, p string) {
		issuerPub, holderPub := &e.issuer.key.PublicKey, &e.holder.PublicKey
		b.ReportAllocs()
		for b.Loop() {
			rawBound(b, p, issuerPub, holderPub)
		}
	})
}

// BenchmarkPipelineVsBound alternates the pipeline and the raw bound and reports the
// ratio (see the top of this file).
func BenchmarkPipelineVsBound(b *testing.B) {
	forEachPresentation(b, func(b *testing.B, e *env, p string) {
		v := benchVerifier(b, e)
		opts := testOptions()
		ctx := context.Background()
		issuerPub, holderPub := &e.issuer.key.PublicKey, &e.holder.PublicKey
		var pipeline, bound time.Duration
		n := 0
		for b.Loop() {
			t0 := time.Now()
			if _, err := v.VerifyPresentation(ctx, p, opts); err != nil {
				b.Fatal(err)
			}
			t1 := time.Now()
			rawBound(b, p, issuerPub, holderPub)
			bound += time.Since(t1)
			pipeline += t1.Sub(t0)
			n++
		}
		b.ReportMetric(float64(pipeline.Nanoseconds())/float64(n), "pipeline-ns/op")
		b.ReportMetric(float64(bound.Nanoseconds())/float64(n), "bound-ns/op")
		b.ReportMetric(100*float64(bound)/float64(pipeline), "%bound")
	})
}

// rawBound is the unavoidable work of verifying presentation p, with the keys parsed
// beforehand:
//   - two ECDSA P-256 verifications (the Issuer-signed JWT and the KB-JWT), each after the
//     SHA-256 of its signing input and the base64url decoding of its signature;
//   - the base64url decoding and JSON decoding of both payloads (into map[string]any, as
//     claims are open-ended);
//   - per disclosure the SHA-256 digest (RFC 9901 §4.2.3) and the base64url and JSON
//     decoding (into []any);
//   - the SHA-256 sd_hash over the presented SD-JWT (RFC 9901 §7.3 step 5.7).
//
// It leaves out, so it is a strict lower bound: the JOSE headers, base64url-encoding the
// digests to compare them, putting disclosures in place, the time, aud and nonce checks,
// the issuer key lookup, cnf.jwk, trust and status.
func rawBound(b *testing.B, p string, issuerPub, holderPub *ecdsa.PublicKey) {
	parts := strings.Split(p, "~")
	rawVerifyJWS(b, parts[0], issuerPub)
	for _, d := range parts[1 : len(parts)-1] {
		_ = sha256.Sum256([]byte(d))
		var arr []any
		rawDecode(b, d, &arr)
	}
	kb := parts[len(parts)-1]
	_ = sha256.Sum256([]byte(p[:len(p)-len(kb)]))
	rawVerifyJWS(b, kb, holderPub)
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
