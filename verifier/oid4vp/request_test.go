package oid4vp

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// goldenRequest is a request object as the bewijs verifier sends it: x509_hash client,
// direct_post.jwt to an ephemeral key (HAIP), a DCQL query for a Wmo toewijzing.
func goldenRequest() AuthorizationRequest {
	no := false
	return AuthorizationRequest{
		ClientID:     "x509_hash:Uvo3HtuIxuhC92rShpgqcT3YXwrqRxWEviRiA0OZszk",
		ResponseType: ResponseTypeVPToken,
		ResponseMode: ResponseModeDirectPostJWT,
		ResponseURI:  "https://verifier.example.nl/oid4vp/response",
		Nonce:        "n-0S6_WzA2Mj",
		State:        "3f6a1c2e-9b7d-4c1a-8e2f-5d4b3a2c1e0f",
		DCQLQuery: &Query{
			Credentials: []CredentialQuery{{
				ID:     "toewijzing",
				Format: FormatSDJWTVC,
				Meta:   Meta{VCTValues: []string{"https://bewijs.example.nl/vct/wmo-toewijzing"}},
				Claims: []ClaimsQuery{
					{ID: "product", Path: []any{"toewijzing", "product", "code"}, Values: []any{"02A01", int64(2)}},
					{ID: "periode", Path: []any{"toewijzing", "ingangsdatum"}},
					{ID: "clienten", Path: []any{"clienten", nil, "bsn"}},
					{ID: "gemeente", Path: []any{"gemeente"}},
				},
				ClaimSets: [][]string{{"product", "periode", "clienten"}, {"product", "gemeente"}},
			}},
			CredentialSets: []CredentialSetQuery{{Options: [][]string{{"toewijzing"}}, Required: &no}},
		},
		ClientMetadata: &ClientMetadata{
			JWKS: &JWKS{Keys: []json.RawMessage{json.RawMessage(`{"kty":"EC","kid":"ac","use":"enc","crv":"P-256","alg":"ECDH-ES",` +
				`"x":"YO4epjifD-KWeq1sL2tNmm36BhXnkJ0He-WqMYrp9Fk","y":"Hekpm0zfK7C-YccH5iBjcIXgf6YdUvNUac_0At55Okk"}`)}},
			EncryptedResponseEncValuesSupported: []string{"A128GCM", "A256GCM"},
			VPFormatsSupported: map[string]VPFormat{FormatSDJWTVC: {
				SDJWTAlgValues: []string{"ES256"}, KBJWTAlgValues: []string{"ES256"},
			}},
		},
		WalletNonce: "qPmxiNFCR3QTm19POc8u",
		Aud:         AudienceSelfIssuedV2,
		Iat:         1767225600,
		Exp:         1767225900,
	}
}

func TestAuthorizationRequest_Golden(t *testing.T) {
	want := goldenRequest()
	data := checkGolden(t, "authorization_request.json", want)

	got, err := ParseAuthorizationRequest(data)

	if err != nil {
		t.Fatalf("ParseAuthorizationRequest: %v", err)
	}
	again, _ := json.MarshalIndent(got, "", "  ")
	if !bytes.Equal(append(again, '\n'), data) {
		t.Errorf("golden request does not round-trip:\n%s", again)
	}
	if got.DCQLQuery.CredentialSets[0].IsRequired() {
		t.Error("required=false lost")
	}
}

// TestAuthorizationRequest_SpecExamples round-trips the request examples of the spec
// (testdata/spec/README.md) and validates them where they are valid.
func TestAuthorizationRequest_SpecExamples(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		wantErr string // "" when Validate must pass
	}{
		{"ok - direct_post request object", "request_direct_post.json", ""},
		{"error - §5.9.3 decentralized_identifier example has no response_mode", "request_object_client_id_did.json", "response_mode is required"},
		{"error - §5.4 by value: redirect_uri typo differs from client_id", "request_by_value.json", "must equal the response_uri or redirect_uri"},
		{"error - §8.3 DC API request has no client_id", "request_encrypted_response.json", "client_id is missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := readTestdata(t, filepath.Join("spec", tt.file))
			var r AuthorizationRequest
			if err := json.Unmarshal(data, &r); err != nil {
				t.Fatal(err)
			}
			assertSameJSON(t, data, r)

			err := r.Validate()

			assertErrContains(t, err, tt.wantErr)
		})
	}
}

func TestAuthorizationRequest_Validate(t *testing.T) {
	tests := []struct {
		name     string
		mutate   func(r *AuthorizationRequest)
		wantCode string
		wantErr  string
	}{
		{"ok", func(*AuthorizationRequest) {}, "", ""},
		{"ok - scope instead of dcql_query", func(r *AuthorizationRequest) { r.DCQLQuery, r.Scope = nil, "com.example.pid" }, "", ""},
		{"ok - direct_post without client_metadata", func(r *AuthorizationRequest) {
			r.ResponseMode, r.ClientMetadata = ResponseModeDirectPost, nil
		}, "", ""},
		{"ok - redirect_uri prefix equal to response_uri", func(r *AuthorizationRequest) {
			r.ClientID = "redirect_uri:" + r.ResponseURI
		}, "", ""},
		{"ok - openid_federation ignores client_metadata", func(r *AuthorizationRequest) {
			r.ClientID = "openid_federation:https://fed.example"
			r.ClientMetadata = &ClientMetadata{EncryptedResponseEncValuesSupported: []string{}}
		}, "", ""},
		{"error - response_type", func(r *AuthorizationRequest) { r.ResponseType = "code" }, ErrUnsupportedResponseType, "vp_token"},
		{"error - unknown client_id prefix", func(r *AuthorizationRequest) { r.ClientID = "https://v.example" }, ErrInvalidRequest, "prefix"},
		{"error - redirect_uri prefix differs from response_uri", func(r *AuthorizationRequest) {
			r.ClientID = "redirect_uri:https://other.example/cb"
		}, ErrInvalidRequest, "must equal the response_uri"},
		{"error - nonce missing", func(r *AuthorizationRequest) { r.Nonce = "" }, ErrInvalidRequest, "nonce"},
		{"error - nonce not URL safe", func(r *AuthorizationRequest) { r.Nonce = "a+b" }, ErrInvalidRequest, "nonce"},
		{"error - state not URL safe", func(r *AuthorizationRequest) { r.State = "a b" }, ErrInvalidRequest, "state"},
		{"error - dcql_query and scope", func(r *AuthorizationRequest) { r.Scope = "x" }, ErrInvalidRequest, "exactly one of dcql_query and scope"},
		{"error - neither dcql_query nor scope", func(r *AuthorizationRequest) { r.DCQLQuery = nil }, ErrInvalidRequest, "exactly one of dcql_query and scope"},
		{"error - invalid dcql_query", func(r *AuthorizationRequest) { r.DCQLQuery.Credentials[0].ID = "a b" }, ErrInvalidRequest, "credentials[0].id"},
		{"error - response_mode missing", func(r *AuthorizationRequest) { r.ResponseMode = "" }, ErrInvalidRequest, "response_mode is required"},
		{"error - response_uri missing", func(r *AuthorizationRequest) { r.ResponseURI = "" }, ErrInvalidRequest, "response_uri is required"},
		{"error - redirect_uri with direct_post", func(r *AuthorizationRequest) { r.RedirectURI = "https://v.example/cb" }, ErrInvalidRequest, "redirect_uri must not be present"},
		{"error - request_uri_method", func(r *AuthorizationRequest) { r.RequestURIMethod = "POST" }, ErrInvalidRequestURIMethod, "get or post"},
		{"error - transaction_data empty", func(r *AuthorizationRequest) { r.TransactionData = []string{} }, ErrInvalidTransactionData, "non-empty"},
		{"error - direct_post.jwt without client_metadata", func(r *AuthorizationRequest) { r.ClientMetadata = nil }, ErrInvalidRequest, "jwks is required"},
		{"error - direct_post.jwt without keys", func(r *AuthorizationRequest) { r.ClientMetadata.JWKS = nil }, ErrInvalidRequest, "jwks is required"},
		{"error - jwk without kid", func(r *AuthorizationRequest) {
			r.ClientMetadata.JWKS.Keys = []json.RawMessage{json.RawMessage(`{"kty":"EC","alg":"ECDH-ES"}`)}
		}, ErrInvalidRequest, "kid"},
		{"error - duplicate kid", func(r *AuthorizationRequest) {
			k := json.RawMessage(`{"kty":"EC","kid":"a","alg":"ECDH-ES"}`)
			r.ClientMetadata.JWKS.Keys = []json.RawMessage{k, k}
		}, ErrInvalidRequest, "kid unique"},
		{"error - jwk without alg for encryption", func(r *AuthorizationRequest) {
			r.ClientMetadata.JWKS.Keys = []json.RawMessage{json.RawMessage(`{"kty":"EC","kid":"a"}`)}
		}, ErrInvalidRequest, "alg"},
		{"error - private jwk", func(r *AuthorizationRequest) {
			r.ClientMetadata.JWKS.Keys = []json.RawMessage{json.RawMessage(`{"kty":"EC","kid":"a","alg":"ECDH-ES","d":"x"}`)}
		}, ErrInvalidRequest, "private"},
		{"error - enc values empty", func(r *AuthorizationRequest) {
			r.ClientMetadata.EncryptedResponseEncValuesSupported = []string{}
		}, ErrInvalidRequest, "encrypted_response_enc_values_supported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := goldenRequest()
			tt.mutate(&r)

			err := r.Validate()

			assertErrContains(t, err, tt.wantErr)
			var perr *Error
			if tt.wantCode != "" && (!errors.As(err, &perr) || perr.Code != tt.wantCode) {
				t.Errorf("err = %v, want code %s", err, tt.wantCode)
			}
		})
	}
}

func TestParseAuthorizationRequest_Errors(t *testing.T) {
	tests := []struct {
		name    string
		payload string
		wantErr string
	}{
		{"error - not JSON", `[`, "not a valid JSON object"},
		{"error - dcql_query meta missing", `{"client_id":"x509_san_dns:a.example","response_type":"vp_token","response_mode":"direct_post",
			"response_uri":"https://a.example/r","nonce":"n","dcql_query":{"credentials":[{"id":"a","format":"x"}]}}`, "meta: required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseAuthorizationRequest([]byte(tt.payload))

			assertErrContains(t, err, tt.wantErr)
		})
	}
}

func TestWalletMetadata_SpecExample(t *testing.T) {
	data := readTestdata(t, "spec/wallet_metadata.json")
	var m WalletMetadata
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if got := m.VPFormatsSupported[FormatSDJWTVC].KBJWTAlgValues; len(got) != 1 || got[0] != "ES256" {
		t.Errorf("kb-jwt_alg_values = %v", got)
	}
	assertSameJSON(t, data, m)
}

// checkGolden compares v, marshalled with two-space indent, with testdata/golden/name (or
// rewrites it with -update) and returns the file's bytes.
func checkGolden(t *testing.T, name string, v any) []byte {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file:\n%s", name, got)
	}
	return want
}

func assertErrContains(t *testing.T, err error, want string) {
	t.Helper()
	if want == "" {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("err = %v, want it to contain %q", err, want)
	}
}
