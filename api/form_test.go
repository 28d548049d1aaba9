package api

import (
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

// FuzzParseFormBody: parseFormBody reads every body as url.ParseQuery does, values and
// whether it fails.
func FuzzParseFormBody(f *testing.F) {
	for _, s := range []string{
		"", "a=1", "a=1&a=2&b=", "vp_token=%7B%22q%22%3A%5B%22x.y.z~%22%5D%7D&state=abc",
		"a=%zz", "a=%4", "a=%", "%41=b+c", "a;b=1", "&&=&a", "a=1;b=2&c=3", "x=%e2%82%ac+%2B",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, wantErr := url.ParseQuery(s)
		got, gotErr := parseFormBody(s)
		if (wantErr == nil) != (gotErr == nil) {
			t.Fatalf("%q: error %v, url.ParseQuery %v", s, gotErr, wantErr)
		}
		if wantErr != nil && gotErr.Error() != wantErr.Error() {
			t.Fatalf("%q: error %q, url.ParseQuery %q", s, gotErr, wantErr)
		}
		if len(want) == 0 && len(got) == 0 {
			return
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: %v, url.ParseQuery %v", s, got, want)
		}
	})
}

func TestParseFormRequest(t *testing.T) {
	body := "vp_token=%7B%22id%22%3A%5B%22a~b~%22%5D%7D&state=s+1&state=s2"
	r := httptest.NewRequest("POST", "/x?state=q&other=o", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if err := parseForm(r); err != nil {
		t.Fatal(err)
	}
	if got := r.PostFormValue("vp_token"); got != `{"id":["a~b~"]}` {
		t.Errorf("vp_token %q", got)
	}
	if got := r.PostForm["state"]; !reflect.DeepEqual(got, []string{"s 1", "s2"}) {
		t.Errorf("post state %q", got)
	}
	// As ParseForm: the body's values first, then the query's; PostForm only the body's.
	if got := r.Form["state"]; !reflect.DeepEqual(got, []string{"s 1", "s2", "q"}) {
		t.Errorf("form state %q", got)
	}
	if r.PostForm.Has("other") || r.Form.Get("other") != "o" {
		t.Errorf("query values: post %v, form %v", r.PostForm, r.Form)
	}

	short := httptest.NewRequest("POST", "/x", strings.NewReader("a=1&b=2"))
	short.ContentLength = 3 // declared shorter than sent: net/http stops at the declared length
	if err := parseForm(short); err == nil {
		t.Error("a body longer than its Content-Length was read")
	}
	truncated := httptest.NewRequest("POST", "/x", strings.NewReader("a=1"))
	truncated.ContentLength = 10 // declared longer than sent: the client stopped early
	if err := parseForm(truncated); err == nil {
		t.Error("a body shorter than its Content-Length was taken")
	}
	chunked := httptest.NewRequest("POST", "/x", strings.NewReader("a=%zz"))
	chunked.ContentLength = -1
	if err := parseForm(chunked); err == nil || !strings.Contains(err.Error(), "%zz") {
		t.Errorf("bad escape: %v", err)
	}
}
