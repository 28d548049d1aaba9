package oid4vp

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// addTestdata seeds a fuzz target with the JSON files matching pattern under testdata.
func addTestdata(f *testing.F, pattern string) {
	files, _ := filepath.Glob(filepath.Join("testdata", pattern))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// FuzzParseAuthorizationRequest: a request object payload either fails with a protocol
// error or is valid and survives a marshal/parse round trip.
func FuzzParseAuthorizationRequest(f *testing.F) {
	addTestdata(f, "golden/authorization_request.json")
	addTestdata(f, "spec/request_*.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ParseAuthorizationRequest(data)
		if err != nil {
			var perr *Error
			if !errors.As(err, &perr) || perr.Code == "" {
				t.Fatalf("error %v is not a protocol error", err)
			}
			return
		}
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ParseAuthorizationRequest(b); err != nil {
			t.Fatalf("re-parse of %s: %v", b, err)
		}
	})
}

// FuzzParseAuthorizationResponse covers the JSON payload (direct_post.jwt) and the vp_token
// form value (direct_post).
func FuzzParseAuthorizationResponse(f *testing.F) {
	addTestdata(f, "golden/authorization_*response.json")
	addTestdata(f, "spec/response_*.json")
	f.Add([]byte(`{"a":["p"],"b":["q","r"]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if r, err := ParseAuthorizationResponse(data); err == nil {
			if (r.Error == "") == (r.VPToken == nil) {
				t.Fatalf("accepted %s with neither or both of vp_token and error", data)
			}
		}
		tok, err := ParseVPToken(string(data))
		if err != nil {
			var perr *Error
			if !errors.As(err, &perr) || perr.Code != ErrInvalidRequest {
				t.Fatalf("error %v is not invalid_request", err)
			}
			return
		}
		for id, list := range tok {
			if !validID(id) || len(list) == 0 {
				t.Fatalf("accepted vp_token entry %q: %v", id, list)
			}
		}
	})
}

// FuzzPlainVPToken: whatever the one-pass reader of plain vp_tokens accepts, encoding/json
// reads the same way; and on the shapes wallets send it does accept.
func FuzzPlainVPToken(f *testing.F) {
	for _, s := range []string{
		`{"toewijzing":["eyJhbGciOiJFUzI1NiJ9.e30.c2ln~WyJzYWx0IiwiYSIsMV0~eyJ0eXAiOiJrYitqd3QifQ.e30.c2ln"]}`,
		`{"a":["x~","y~"],"b":["z~"]}`, `{"a":[]}`, `{}`, `{"a":["x"],"a":["y"]}`, `{"a":["x\"y"]}`,
		`{"a": ["x"]}`, `{"a":["x"],}`, `{"a":["x",]}`, `{"a":"x"}`, `{"a":[1]}`, `{"é":["x"]}`, `{"a":["x"]}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, ok := parsePlainVPToken(b)
		if gotS, okS := parsePlainVPToken(string(b)); okS != ok || !reflect.DeepEqual(gotS, got) {
			t.Fatalf("%q: from a string %v %v, from bytes %v %v", b, gotS, okS, got, ok)
		}
		var want map[string][]string
		err := json.Unmarshal(b, &want)
		if ok && (err != nil || !reflect.DeepEqual(got, VPToken(want))) {
			t.Fatalf("%q: plain reader %v, encoding/json %v (%v)", b, got, want, err)
		}
	})
}

func TestPlainVPTokenTakesWalletShapes(t *testing.T) {
	for _, s := range []string{`{"toewijzing":["eyJhbGciOiJFUzI1NiJ9.e30.c2ln~"]}`, `{"a":["x~","y~"],"b":["z~"]}`} {
		if _, ok := parsePlainVPToken([]byte(s)); !ok {
			t.Errorf("%s went to encoding/json", s)
		}
	}
	for _, s := range []string{`{"a":["x"],"a":["y"]}`, `{"a": ["x"]}`, `{"a":["x\"y"]}`, `{"a":["x"],}`} {
		if _, ok := parsePlainVPToken([]byte(s)); ok {
			t.Errorf("%s was read by the plain reader", s)
		}
	}
}
