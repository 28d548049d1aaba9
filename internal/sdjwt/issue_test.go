package sdjwt

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/internal/jose"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestIssue_RoundTrip(t *testing.T) {
	f := newFixture(t, nil)

	s, err := Parse(f.issued.Compact)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Verify(f.issuerKey.Public(), VerifyOptions{Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}

	assertSameJSON(t, got.Claims, f.claims)
	if !strings.HasSuffix(f.issued.Compact, "~") || strings.Count(f.issued.Compact, "~") != 5 {
		t.Fatalf("want <jwt>~ and 4 disclosures each followed by ~, got %q", f.issued.Compact)
	}
	if len(f.issued.Disclosures) != 4 || len(got.Disclosed) != 4 {
		t.Fatalf("want 4 disclosures (client.bsn, client.naam, product, product.code), got %d", len(f.issued.Disclosures))
	}
	if got.Header.Typ != "dc+sd-jwt" || got.Header.Alg != "ES256" || got.Header.Kid != "did:web:gemeente.example.nl#key-1" {
		t.Fatalf("header %+v", got.Header)
	}
	if got.HolderKey == nil || !sameKey(got.HolderKey, f.holderKey.Public()) || got.KeyBound {
		t.Fatalf("holder key %v, key bound %v", got.HolderKey, got.KeyBound)
	}
}

func TestIssue_PayloadShape(t *testing.T) {
	f := newFixture(t, nil)
	payload, err := jwtPayload(strings.Split(f.issued.Compact, "~")[0], 32)
	if err != nil {
		t.Fatal(err)
	}

	// RFC 9901 §4.1.1: _sd_alg at the top level; the SD-JWT VC claims stay in plaintext.
	if payload[sdAlgKey] != "sha-256" {
		t.Fatalf("_sd_alg = %v", payload[sdAlgKey])
	}
	for _, name := range []string{"iss", "vct", "iat", "nbf", "exp", "cnf", "client"} {
		if _, ok := payload[name]; !ok {
			t.Errorf("%s is not in the issuer-signed payload", name)
		}
	}
	if _, ok := payload["product"]; ok {
		t.Error("product is disclosable but appears in plaintext")
	}
	client := payload["client"].(map[string]any)
	if len(client) != 1 {
		t.Errorf("client should hold only _sd, got %v", client)
	}
	// Decoys: every _sd array holds its disclosures' digests plus 2 decoys, sorted.
	top, _ := stringArray(payload[sdKey])
	inClient, _ := stringArray(client[sdKey])
	if len(top) != 1+2 || len(inClient) != 2+2 || !slices.IsSorted(top) || !slices.IsSorted(inClient) {
		t.Errorf("_sd arrays: top %v, client %v", top, inClient)
	}
	var all []string
	for _, d := range f.issued.Disclosures {
		all = append(all, digestsIn(map[string]any{"v": d.Value})...)
	}
	all = append(all, digestsIn(payload)...)
	if len(all) != 4+3*2 {
		t.Errorf("want 4 digests and 6 decoys (3 _sd arrays), got %d digests", len(all))
	}
}

func TestIssue_Golden(t *testing.T) {
	claims := map[string]any{
		"iss": "https://gemeente.example.nl", "vct": testVCT, "iat": 1780000000,
		"client":  map[string]any{"bsn": "999991772", "naam": "de Vries"},
		"product": map[string]any{"categorie": "01", "code": "01A01"},
	}
	issued, err := Issue(claims, IssueOptions{
		Signer: jose.Signer{Key: newKey(t)}, Header: map[string]any{"typ": "dc+sd-jwt"},
		Disclosable: testDisclosable, Decoys: 1, Rand: &counterReader{},
	})
	if err != nil {
		t.Fatal(err)
	}
	payload, err := jwtPayload(strings.Split(issued.Compact, "~")[0], 32)
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.MarshalIndent(map[string]any{"payload": payload, "disclosures": issued.Disclosures}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "issue.golden.json")
	if *update {
		if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -run TestIssue_Golden -update)", err)
	}
	if !bytes.Equal(append(got, '\n'), want) {
		t.Fatalf("issued SD-JWT differs from %s:\n%s", golden, got)
	}
}

// counterReader is a deterministic "random" source: 0x00, 0x01, 0x02, ...
type counterReader struct{ n byte }

func (c *counterReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = c.n
		c.n++
	}
	return len(p), nil
}

func TestIssue_Refuses(t *testing.T) {
	only := func(p string) func([]string) bool {
		return func(path []string) bool { return strings.Join(path, ".") == p }
	}
	signer := jose.Signer{Key: newKey(t)}
	for _, tc := range []struct {
		name        string
		claims      map[string]any
		disclosable func([]string) bool
		signer      jose.Signer
		decoys      int
	}{
		{"error - iss disclosable", nil, only("iss"), signer, 0},
		{"error - nbf disclosable", nil, only("nbf"), signer, 0},
		{"error - exp disclosable", nil, only("exp"), signer, 0},
		{"error - cnf disclosable", nil, only("cnf"), signer, 0},
		{"error - vct disclosable", nil, only("vct"), signer, 0},
		{"error - vct#integrity disclosable", nil, only("vct#integrity"), signer, 0},
		{"error - status disclosable", nil, only("status"), signer, 0},
		{"error - _sd disclosable", nil, only("_sd"), signer, 0},
		{"error - _sd_alg disclosable", nil, only("_sd_alg"), signer, 0},
		{"error - cnf.jwk disclosable", map[string]any{"cnf": map[string]any{"jwk": map[string]any{"kty": "EC"}}}, only("cnf.jwk"), signer, 0},
		{"error - status.status_list disclosable", map[string]any{"status": map[string]any{"status_list": map[string]any{"idx": 1}}}, only("status.status_list"), signer, 0},
		{"error - _sd in the claims", map[string]any{"_sd": []string{"x"}}, nil, signer, 0},
		{"error - ... nested in the claims", map[string]any{"a": map[string]any{"...": "x"}}, nil, signer, 0},
		{"error - nested _sd_alg", map[string]any{"a": map[string]any{"_sd_alg": "sha-256"}}, nil, signer, 0},
		{"error - empty claim name", map[string]any{"": 1}, nil, signer, 0},
		{"error - no signer", nil, nil, jose.Signer{}, 0},
		{"error - negative decoys", nil, nil, signer, -1},
		{"error - unencodable claim", map[string]any{"f": func() {}}, nil, signer, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Issue(tc.claims, IssueOptions{Signer: tc.signer, Disclosable: tc.disclosable, Decoys: tc.decoys})

			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("want ErrMalformed, got %v", err)
			}
		})
	}
}

func TestIssue_Allows(t *testing.T) {
	for _, tc := range []struct {
		name        string
		disclosable func([]string) bool
		wantSD      int
	}{
		// SD-JWT VC -16 §2.2.2.2: sub and iat "MAY be included in Disclosures".
		{"ok - iat and sub disclosable", func(p []string) bool { return p[0] == "iat" || p[0] == "sub" }, 2},
		{"ok - nothing disclosable", nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			claims := map[string]any{"iss": "https://i.example", "iat": 1780000000, "sub": "s"}

			issued, err := Issue(claims, IssueOptions{Signer: jose.Signer{Key: newKey(t)}, Disclosable: tc.disclosable})

			if err != nil {
				t.Fatal(err)
			}
			if len(issued.Disclosures) != tc.wantSD {
				t.Fatalf("want %d disclosures, got %d", tc.wantSD, len(issued.Disclosures))
			}
			payload, _ := jwtPayload(strings.TrimSuffix(issued.Compact, "~"), 32)
			if _, hasAlg := payload[sdAlgKey]; hasAlg != (tc.wantSD > 0) {
				t.Fatalf("_sd_alg present = %v with %d disclosures", hasAlg, tc.wantSD)
			}
		})
	}
}
