package wallet_test

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/did/jwk"
	"github.com/sociaaldomein/bewijs/verifier/oid4vp"
	"github.com/sociaaldomein/bewijs/wallet"
)

func TestResolveRequestRefusals(t *testing.T) {
	other := newECKey(t)
	otherDID, _ := jwk.New(other.Public())
	otherHash := sha256.Sum256([]byte("another certificate"))
	foreignCA := newTestVerifier(t, verifierConfig{kind: kindX509DNS}).roots
	tests := []struct {
		name    string
		cfg     verifierConfig
		method  string
		link    func(v *testVerifier) string // default v.link(method)
		trusted bool
		strict  bool // no InsecureLocalhost
		roots   *x509.CertPool
		want    error
	}{
		{name: "error - request object with wrong typ", cfg: verifierConfig{typ: "JWT"}, want: wallet.ErrRequestType},
		{name: "error - client_id mismatch", cfg: verifierConfig{clientIDClaim: "decentralized_identifier:" + otherDID}, want: wallet.ErrRequestClientID},
		{name: "error - wallet_nonce not echoed", cfg: verifierConfig{dropNonce: true}, method: "post", want: wallet.ErrRequestWalletNonce},
		{name: "error - x509_hash mismatch", cfg: verifierConfig{kind: kindX509}, want: wallet.ErrRequestClientKey,
			link: func(v *testVerifier) string {
				return linkFor("x509_hash:"+base64.RawURLEncoding.EncodeToString(otherHash[:]), v.url+"/request")
			}},
		{name: "error - kid of another DID", cfg: verifierConfig{kid: otherDID + "#0", signer: other}, want: wallet.ErrRequestClientKey},
		{name: "error - bad signature", cfg: verifierConfig{signer: other}, want: wallet.ErrRequestSignature},
		{name: "error - response_uri host mismatch for x509_san_dns", cfg: verifierConfig{kind: kindX509DNS, responseURI: "https://elsewhere.test/response"},
			trusted: true, want: wallet.ErrRequestResponseURI},
		{name: "error - x509_san_dns without trusted roots", cfg: verifierConfig{kind: kindX509DNS}, want: wallet.ErrRequestTrust},
		{name: "error - x509_san_dns chain to another root", cfg: verifierConfig{kind: kindX509DNS}, roots: foreignCA, want: wallet.ErrRequestTrust},
		{name: "error - x509_hash chain to another root", cfg: verifierConfig{kind: kindX509}, roots: foreignCA, want: wallet.ErrRequestTrust},
		{name: "error - expired request object", cfg: verifierConfig{exp: time.Now().Add(-time.Hour)}, want: wallet.ErrRequestExpired},
		{name: "error - unsupported response mode", cfg: verifierConfig{responseMode: oid4vp.ResponseModeFragment}, want: wallet.ErrRequestUnsupported},
		{name: "error - unsupported enc", cfg: verifierConfig{responseMode: oid4vp.ResponseModeDirectPostJWT, encs: []string{"A128CBC-HS256"}}, want: wallet.ErrRequestUnsupported},
		{name: "error - redirect_uri prefix", want: wallet.ErrRequestUnsupported,
			link: func(v *testVerifier) string { return linkFor("redirect_uri:"+v.url+"/response", v.url+"/request") }},
		{name: "error - unsigned request by value", want: wallet.ErrRequestUnsupported,
			link: func(v *testVerifier) string {
				return "openid4vp://?client_id=" + url.QueryEscape(v.clientID) + "&nonce=x"
			}},
		{name: "error - http request_uri without InsecureLocalhost", strict: true, want: wallet.ErrRequestInsecureURI},
		{name: "error - http response_uri off localhost", cfg: verifierConfig{responseURI: "http://elsewhere.test/response"}, want: wallet.ErrRequestInsecureURI},
		{name: "error - verifier answers an error", cfg: verifierConfig{requestStatus: 400}, want: &wallet.VerifierError{Status: 400, Code: "invalid_request"}},
		{name: "error - redirect not followed", want: &wallet.VerifierError{Status: 302},
			link: func(v *testVerifier) string { return linkFor(v.clientID, v.url+"/moved") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newTestVerifier(t, tt.cfg)
			opts := wallet.PresentOptions{TrustedRoots: tt.roots, InsecureLocalhost: !tt.strict}
			if tt.trusted {
				opts.TrustedRoots = v.roots
			}
			link := v.link(tt.method)
			if tt.link != nil {
				link = tt.link(v)
			}
			_, err := v.client().ResolveRequest(context.Background(), link, opts)
			var want *wallet.VerifierError
			if errors.As(tt.want, &want) {
				var got *wallet.VerifierError
				if !errors.As(err, &got) || got.Status != want.Status || got.Code != or(want.Code, got.Code) {
					t.Fatalf("err = %v, want verifier error %d", err, want.Status)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func linkFor(clientID, requestURI string) string {
	return "openid4vp://?" + url.Values{"client_id": {clientID}, "request_uri": {requestURI}}.Encode()
}
