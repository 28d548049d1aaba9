package sdjwt

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/did"
)

// TestRFC9901_Disclosures checks the disclosures and digests printed in RFC 9901 §4.2.
func TestRFC9901_Disclosures(t *testing.T) {
	for _, tc := range []struct {
		name      string
		encoded   string
		salt      string
		claimName string
		value     any
		digest    string // "" when the RFC prints none
	}{
		// §4.2.1 and §4.2.3: the family_name Disclosure and its SHA-256 digest.
		{"ok - §4.2.3 family_name Möbius", "WyJfMjZiYzRMVC1hYzZxMktJNmNCVzVlcyIsICJmYW1pbHlfbmFtZSIsICJNw7ZiaXVzIl0",
			"_26bc4LT-ac6q2KI6cBW5es", "family_name", "Möbius", "X9yH0Ajrdm1Oij4tWso9UzzKJvPoDxwmuEcO3XAdRC0"},
		// §4.2.1: other encodings of the same claim are valid Disclosures too.
		{"ok - §4.2.1 escaped umlaut", "WyJfMjZiYzRMVC1hYzZxMktJNmNCVzVlcyIsICJmYW1pbHlfbmFtZSIsICJNXHUwMGY2Yml1cyJd",
			"_26bc4LT-ac6q2KI6cBW5es", "family_name", "Möbius", ""},
		{"ok - §4.2.1 no white space", "WyJfMjZiYzRMVC1hYzZxMktJNmNCVzVlcyIsImZhbWlseV9uYW1lIiwiTcO2Yml1cyJd",
			"_26bc4LT-ac6q2KI6cBW5es", "family_name", "Möbius", ""},
		{"ok - §4.2.1 newlines", "WwoiXzI2YmM0TFQtYWM2cTJLSTZjQlc1ZXMiLAoiZmFtaWx5X25hbWUiLAoiTcO2Yml1cyIKXQ",
			"_26bc4LT-ac6q2KI6cBW5es", "family_name", "Möbius", ""},
		// §4.2.2 and §4.2.4.2: an array element Disclosure and the digest embedded for it.
		{"ok - §4.2.4.2 nationality FR", "WyJsa2x4RjVqTVlsR1RQVW92TU5JdkNBIiwgIkZSIl0",
			"lklxF5jMYlGTPUovMNIvCA", "", "FR", "w0I8EKcdCtUPkGCNUrfwVp2xEgNjtoIDlOxc9-PlOhs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := decodeDisclosure(tc.encoded, 32)

			if err != nil {
				t.Fatal(err)
			}
			if d.Salt != tc.salt || d.Name != tc.claimName || d.Value != tc.value || d.Encoded != tc.encoded {
				t.Fatalf("decoded %+v", d)
			}
			if tc.digest != "" && d.Digest != tc.digest {
				t.Fatalf("digest %s, RFC 9901 says %s", d.Digest, tc.digest)
			}
		})
	}
}

// rfcExample is the SD-JWT+KB of RFC 9901 §5.2 (Issuer-signed JWT of §5.1, the
// family_name, address, given_name and one nationality Disclosures, and a KB-JWT).
func rfcExample(t *testing.T) *SDJWT {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "rfc9901-section-5.2.txt"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := Parse(strings.TrimSpace(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestRFC9901_Example verifies the §5.2 presentation with the example key of RFC 9901
// Appendix A.5 and compares the result with the Processed SD-JWT Payload the RFC prints.
func TestRFC9901_Example(t *testing.T) {
	s := rfcExample(t)
	jwk, err := os.ReadFile(filepath.Join("testdata", "rfc9901-issuer-key.json"))
	if err != nil {
		t.Fatal(err)
	}
	issuerKey, err := did.ParseJWK(jwk)
	if err != nil {
		t.Fatal(err)
	}
	var want map[string]any
	raw, err := os.ReadFile(filepath.Join("testdata", "rfc9901-section-5.2-processed.json"))
	if err != nil || json.Unmarshal(raw, &want) != nil {
		t.Fatalf("reading the processed payload: %v", err)
	}
	kbIat := time.Unix(1748537244, 0) // the iat of the RFC's KB-JWT

	got, err := s.Verify(issuerKey, VerifyOptions{
		Now:               func() time.Time { return kbIat.Add(time.Minute) },
		RequireKeyBinding: true,
		Audience:          "https://verifier.example.org",
		Nonce:             "1234567890",
	})

	if err != nil {
		t.Fatal(err)
	}
	if !got.KeyBound || got.Header.Typ != "example+sd-jwt" || len(got.Disclosed) != 4 {
		t.Fatalf("key bound %v, typ %q, %d disclosures", got.KeyBound, got.Header.Typ, len(got.Disclosed))
	}
	assertSameJSON(t, got.Claims, want)
	if got.Disclosed[0].Name != "family_name" || got.Disclosed[0].Value != "Doe" {
		t.Fatalf("first disclosure %+v", got.Disclosed[0])
	}
}
