package sdjwt

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// FuzzParse feeds Parse, and Verify with a fixed key, arbitrary input: neither may panic,
// every error must be an *Error, and a parsed SD-JWT must serialize back to its input.
func FuzzParse(f *testing.F) {
	fx := newFixture(f, nil)
	presented, err := Present(fx.issued.Compact, keepAll, fx.keyBinding(testNow))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(fx.issued.Compact)
	f.Add(presented)
	if rfc, err := os.ReadFile(filepath.Join("testdata", "rfc9901-section-5.2.txt")); err == nil {
		f.Add(strings.TrimSpace(string(rfc)))
	}
	jwt := strings.Split(fx.issued.Compact, "~")[0]
	f.Add(jwt + "~~")
	f.Add(jwt + "~" + base64.RawURLEncoding.EncodeToString([]byte(`["s","_sd",[]]`)) + "~")
	f.Add("~")
	f.Add("a.b.c~d~e.f.g")
	issuerKey := fx.issuerKey.Public()
	opts := fx.verifyOptions()
	f.Fuzz(func(t *testing.T, in string) {
		s, err := Parse(in)
		if err != nil {
			if CodeOf(err) != CodeMalformed {
				t.Fatalf("Parse error of code %v: %v", CodeOf(err), err)
			}
			return
		}
		if s.String() != in {
			t.Fatalf("re-serialized %q differs from input %q", s.String(), in)
		}
		if _, err := s.Verify(issuerKey, opts); err != nil && CodeOf(err) == 0 {
			t.Fatalf("Verify returned an untyped error: %v", err)
		}
		if _, err := Present(in, keepAll, nil); err != nil && CodeOf(err) == 0 {
			t.Fatalf("Present returned an untyped error: %v", err)
		}
	})
}

// FuzzDisclosure decodes arbitrary disclosures: no panic, only Malformed errors, and a
// decoded disclosure keeps its encoding and digest.
func FuzzDisclosure(f *testing.F) {
	for _, s := range []string{
		"WyJfMjZiYzRMVC1hYzZxMktJNmNCVzVlcyIsICJmYW1pbHlfbmFtZSIsICJNw7ZiaXVzIl0",
		"WyJsa2x4RjVqTVlsR1RQVW92TU5JdkNBIiwgIkZSIl0",
		base64.RawURLEncoding.EncodeToString([]byte(`["s","n",{"_sd":["x"]}]`)),
		base64.RawURLEncoding.EncodeToString([]byte(`["s",` + strings.Repeat("[", 64) + strings.Repeat("]", 64) + `]`)),
		"",
		"=",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		d, err := decodeDisclosure(in, DefaultLimits().MaxDepth)
		if err != nil {
			if CodeOf(err) != CodeMalformed {
				t.Fatalf("error of code %v: %v", CodeOf(err), err)
			}
			return
		}
		if d.Encoded != in || d.Digest != digestOf(in) {
			t.Fatalf("decoded %+v from %q", d, in)
		}
	})
}

// FuzzVerifySigned signs arbitrary payloads with the issuer key, so that fuzzing reaches
// the disclosure processing behind the signature check.
func FuzzVerifySigned(f *testing.F) {
	key := newKey(f)
	elem := arrayDisclosure(f, "NL")
	f.Add(`{"_sd":["x"],"a":[{"...":"y"}]}`, elem.Encoded)
	f.Add(`{"a":[{"...":"`+elem.Digest+`"}]}`, elem.Encoded)
	f.Add(`{"_sd_alg":"sha-256","exp":1e300}`, "")
	f.Add(`{"cnf":{"jwk":{"kty":"EC"}}}`, "")
	f.Fuzz(func(t *testing.T, payload, disclosure string) {
		if !strings.HasPrefix(payload, "{") {
			return
		}
		jwt := signJWT(t, key, jsonRaw(payload), nil)
		in := jwt + "~"
		if disclosure != "" {
			in += disclosure + "~"
		}
		s, err := Parse(in)
		if err != nil {
			return
		}
		_, err = s.Verify(key.Public(), VerifyOptions{Now: func() time.Time { return testNow }})
		if err != nil && CodeOf(err) == 0 {
			t.Fatalf("untyped error: %v", err)
		}
	})
}

// jsonRaw marshals as itself when it is valid JSON, and as {} otherwise.
type jsonRaw string

func (j jsonRaw) MarshalJSON() ([]byte, error) {
	if raw := []byte(j); json.Valid(raw) {
		return raw, nil
	}
	return []byte(`{}`), nil
}

// FuzzCheckDepth compares checkDepth with a byte-at-a-time scanner (the first version of
// it): both must refuse exactly the same inputs.
func FuzzCheckDepth(f *testing.F) {
	for _, s := range []string{`{"a":[1,{"b":"c"}]}`, `["\\",[[[1]]]]`, `{"a\\\"[[[[":"\\","b":"\"{{{{"}`, `["[[[[`, `"\"`, `[[[[]]]]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, want := checkDepth([]byte(in), 3) == nil, checkDepthReference([]byte(in), 3)
		if got != want {
			t.Fatalf("checkDepth(%q) accepts: %v, reference: %v", in, got, want)
		}
	})
}

func checkDepthReference(data []byte, max int) bool {
	depth, inString, escaped := 0, false, false
	for _, c := range data {
		switch {
		case inString && escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case inString && c == '"':
			inString = false
		case inString:
		case c == '"':
			inString = true
		case c == '[' || c == '{':
			depth++
			if depth > max {
				return false
			}
		case c == ']' || c == '}':
			depth--
		}
	}
	return true
}
