package oid4vp

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/url"
	"reflect"
	"testing"
)

const sdJWTPresentation = "eyJhbGciOiJFUzI1NiIsInR5cCI6ImRjK3NkLWp3dCJ9.eyJ2Y3QiOiJ4In0.c2ln~WyJzIiwiYSIsMV0~eyJhbGciOiJFUzI1NiIsInR5cCI6ImtiK2p3dCJ9.e30.c2ln"

func TestAuthorizationResponse_Golden(t *testing.T) {
	tests := []struct {
		name string
		file string
		resp AuthorizationResponse
	}{
		{"ok - vp_token", "authorization_response.json", AuthorizationResponse{
			VPToken: VPToken{"toewijzing": {sdJWTPresentation}},
			State:   "3f6a1c2e-9b7d-4c1a-8e2f-5d4b3a2c1e0f",
		}},
		{"ok - error", "authorization_error_response.json",
			ErrorResponse(NewError(400, ErrAccessDenied, "the End-User did not consent", nil), "3f6a1c2e-9b7d-4c1a-8e2f-5d4b3a2c1e0f")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := checkGolden(t, tt.file, tt.resp)

			got, err := ParseAuthorizationResponse(data)

			if err != nil {
				t.Fatalf("ParseAuthorizationResponse: %v", err)
			}
			if !reflect.DeepEqual(got, tt.resp) {
				t.Errorf("got %#v, want %#v", got, tt.resp)
			}
		})
	}
}

func TestParseAuthorizationResponse_SpecExamples(t *testing.T) {
	tests := []struct {
		name string
		file string
		want AuthorizationResponse
	}{
		{"ok - §8.3 encrypted payload", "response_encrypted_payload.json",
			AuthorizationResponse{VPToken: VPToken{"example_credential_id": {"eyJhb...YMetA"}}}},
		{"ok - §8.1.1 multiple", "response_multiple.json",
			AuthorizationResponse{VPToken: VPToken{"my_credential": {"eyJhbGci...QMA", "eyJhbGci...QMA"}}, State: "eyJhb-6-sVA"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := readTestdata(t, "spec/"+tt.file)

			got, err := ParseAuthorizationResponse(data)

			if err != nil {
				t.Fatalf("ParseAuthorizationResponse: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
			assertSameJSON(t, data, got)
		})
	}
}

func TestParseAuthorizationResponse_Errors(t *testing.T) {
	tests := []struct {
		name    string
		payload string
		wantErr string
	}{
		{"ok - vp_token as a JSON string", `{"vp_token":"{\"a\":[\"p\"]}"}`, ""},
		{"error - not JSON", `{`, "not a valid JSON object"},
		{"error - neither vp_token nor error", `{"state":"s"}`, "exactly one of vp_token and error"},
		{"error - both vp_token and error", `{"vp_token":{"a":["p"]},"error":"access_denied"}`, "exactly one of vp_token and error"},
		{"error - vp_token array", `{"vp_token":["p"]}`, "not a valid JSON object"},
		{"error - vp_token value not an array", `{"vp_token":{"a":"p"}}`, "not a valid JSON object"},
		{"error - object presentation", `{"vp_token":{"a":[{"@context":[]}]}}`, "not a valid JSON object"},
		{"error - empty array", `{"vp_token":{"a":[]}}`, "non-empty array"},
		{"error - empty object", `{"vp_token":{}}`, "vp_token is empty"},
		{"error - bad key", `{"vp_token":{"a b":["p"]}}`, "not a credential query id"},
		{"error - empty presentation", `{"vp_token":{"a":[""]}}`, "is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseAuthorizationResponse([]byte(tt.payload))

			assertErrContains(t, err, tt.wantErr)
		})
	}
}

func TestAuthorizationResponse_Form(t *testing.T) {
	tests := []struct {
		name string
		resp AuthorizationResponse
		want url.Values
	}{
		{"ok - vp_token", AuthorizationResponse{VPToken: VPToken{"pid": {"a~b~", "c~"}}, State: "s1"},
			url.Values{"vp_token": {`{"pid":["a~b~","c~"]}`}, "state": {"s1"}}},
		{"ok - error", AuthorizationResponse{Error: ErrInvalidRequest, ErrorDescription: "unsupported client_id_prefix", State: "s2"},
			url.Values{"error": {"invalid_request"}, "error_description": {"unsupported client_id_prefix"}, "state": {"s2"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form, err := tt.resp.Form()
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(form, tt.want) {
				t.Errorf("form = %v, want %v", form, tt.want)
			}
			// Through the wire encoding and back.
			body, err := url.ParseQuery(form.Encode())
			if err != nil {
				t.Fatal(err)
			}

			got, err := ParseAuthorizationResponseForm(body)

			if err != nil {
				t.Fatalf("ParseAuthorizationResponseForm: %v", err)
			}
			if !reflect.DeepEqual(got, tt.resp) {
				t.Errorf("got %#v, want %#v", got, tt.resp)
			}
		})
	}
}

func TestParseAuthorizationResponseForm_Errors(t *testing.T) {
	tests := []struct {
		name    string
		form    url.Values
		wantErr string
	}{
		{"error - empty", url.Values{}, "exactly one of vp_token and error"},
		{"error - repeated vp_token", url.Values{"vp_token": {`{"a":["p"]}`, `{"a":["q"]}`}}, "repeated"},
		{"error - vp_token not JSON", url.Values{"vp_token": {"eyJ...~"}}, "not a JSON object"},
		{"error - response of direct_post.jwt", url.Values{"response": {"eyJ.a.b.c.d"}}, "exactly one of vp_token and error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseAuthorizationResponseForm(tt.form)

			assertErrContains(t, err, tt.wantErr)
		})
	}
}

func TestValidateVPToken(t *testing.T) {
	q := loadQuery(t, `{"credentials":[
		{"id":"one","format":"dc+sd-jwt","meta":{"vct_values":["v"]}},
		{"id":"many","format":"dc+sd-jwt","multiple":true,"meta":{"vct_values":["v"]}}]}`)
	tests := []struct {
		name    string
		token   VPToken
		wantErr string
	}{
		{"ok - one each", VPToken{"one": {"p"}, "many": {"p"}}, ""},
		{"ok - multiple", VPToken{"many": {"p", "q", "r"}}, ""},
		{"ok - subset (completeness is SatisfiedBy's)", VPToken{"one": {"p"}}, ""},
		{"error - two without multiple", VPToken{"one": {"p", "q"}}, `vp_token["one"] must hold one presentation`},
		{"error - unknown id", VPToken{"other": {"p"}}, "not a credential query id of the request"},
		{"error - empty list", VPToken{"many": {}}, "non-empty array"},
		{"error - empty token", VPToken{}, "vp_token is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateVPToken(q, tt.token)

			assertErrContains(t, err, tt.wantErr)
		})
	}
}

func TestAuthorizationResponse_Err(t *testing.T) {
	ok := AuthorizationResponse{VPToken: VPToken{"a": {"p"}}}
	if ok.Err() != nil {
		t.Error("a vp_token response is not an error")
	}
	failed := AuthorizationResponse{Error: ErrAccessDenied, ErrorDescription: "no consent"}
	var perr *Error
	if err := failed.Err(); !errors.As(err, &perr) || perr.Code != ErrAccessDenied || perr.Description != "no consent" {
		t.Errorf("Err() = %v", err)
	}
}

func TestError_JSON(t *testing.T) {
	e := NewError(400, ErrVPFormatsNotSupported, "no dc+sd-jwt", errors.New("internal detail"))

	b, err := json.Marshal(e)

	if err != nil {
		t.Fatal(err)
	}
	if want := `{"error":"vp_formats_not_supported","error_description":"no dc+sd-jwt"}`; !bytes.Equal(b, []byte(want)) {
		t.Errorf("json = %s, want %s (the cause must stay out)", b, want)
	}
	if !errors.Is(e, e.Cause) {
		t.Error("Unwrap must expose the cause")
	}
}
