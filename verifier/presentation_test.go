package verifier

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/internal/jose"
)

// presentationCase builds a presentation in env e; setup may change e first.
type presentationCase struct {
	name  string
	build func(t *testing.T, e *env) (string, Options)
	want  Reason // "" = success
	// detail, if set, must be part of Failure.Detail: it pins which check refused.
	detail string
}

// standard is the presentation of a default credential with every disclosure.
func standard(t testing.TB, e *env, c credential) string {
	return present(t, e.issuer.issue(t, e.holder, c), e.holder, all)
}

// sdPart returns the presentation without its KB-JWT (ending with '~').
func sdPart(p string) string { return p[:strings.LastIndexByte(p, '~')+1] }

func presentationCases() []presentationCase {
	return []presentationCase{
		{"ok", func(t *testing.T, e *env) (string, Options) {
			return standard(t, e, credential{}), testOptions()
		}, "", ""},
		{"ok - no disclosures", func(t *testing.T, e *env) (string, Options) {
			return present(t, e.issuer.issue(t, e.holder, credential{}), e.holder, nil), testOptions()
		}, "", ""},
		{"error - malformed", func(t *testing.T, e *env) (string, Options) {
			return "not-an-sd-jwt", testOptions()
		}, ReasonMalformed, ""},
		{"error - presentation too large", func(t *testing.T, e *env) (string, Options) {
			o := testOptions()
			o.MaxPresentationBytes = 512
			return standard(t, e, credential{}), o
		}, ReasonTooLarge, ""},
		{"error - no nonce in the request", func(t *testing.T, e *env) (string, Options) {
			o := testOptions()
			o.Nonce = ""
			return standard(t, e, credential{}), o
		}, ReasonInvalidRequest, ""},
		{"error - wrong typ", func(t *testing.T, e *env) (string, Options) {
			return standard(t, e, credential{typ: "vc+sd-jwt"}), testOptions()
		}, ReasonTyp, ""},
		{"error - issuer signature", func(t *testing.T, e *env) (string, Options) {
			forged := jose.Signer{KeyID: e.issuer.kid, Key: e.other.key}
			return standard(t, e, credential{signer: &forged}), testOptions()
		}, ReasonSignature, ""},
		{"error - iss is not the DID of the kid", func(t *testing.T, e *env) (string, Options) {
			return standard(t, e, credential{iss: e.other.did}), testOptions()
		}, ReasonIssuerMismatch, ""},
		{"error - unresolvable DID (did:web to a refused target)", func(t *testing.T, e *env) (string, Options) {
			s := jose.Signer{KeyID: "did:web:localhost#k1", Key: e.issuer.key}
			return standard(t, e, credential{iss: "did:web:localhost", signer: &s}), testOptions()
		}, ReasonIssuerUnresolvable, "refused target"},
		{"error - unresolvable DID (invalid did:key)", func(t *testing.T, e *env) (string, Options) {
			s := jose.Signer{KeyID: "did:key:z6MkNotAKey#z6MkNotAKey", Key: e.issuer.key}
			return standard(t, e, credential{iss: "did:key:z6MkNotAKey", signer: &s}), testOptions()
		}, ReasonIssuerUnresolvable, ""},
		{"error - kid is not a DID URL", func(t *testing.T, e *env) (string, Options) {
			s := jose.Signer{KeyID: "key-1", Key: e.issuer.key}
			return standard(t, e, credential{signer: &s}), testOptions()
		}, ReasonIssuerUnresolvable, ""},
		{"error - expired", func(t *testing.T, e *env) (string, Options) {
			return standard(t, e, credential{exp: testNow.Add(-time.Hour)}), testOptions()
		}, ReasonExpired, ""},
		{"error - not yet valid", func(t *testing.T, e *env) (string, Options) {
			return standard(t, e, credential{nbf: testNow.Add(time.Hour)}), testOptions()
		}, ReasonNotYetValid, ""},
		{"error - tampered disclosure", func(t *testing.T, e *env) (string, Options) {
			p := sdPart(standard(t, e, credential{}))
			parts := strings.Split(p, "~")
			parts[1] = tamper(t, parts[1])
			return withKB(t, strings.Join(parts, "~"), e.holder, goodKB()), testOptions()
		}, ReasonDisclosure, ""},
		{"error - disclosure of another credential", func(t *testing.T, e *env) (string, Options) {
			p := sdPart(standard(t, e, credential{}))
			foreign := strings.Split(sdPart(standard(t, e, credential{})), "~")[1]
			return withKB(t, p+foreign+"~", e.holder, goodKB()), testOptions()
		}, ReasonDisclosure, ""},
		{"error - missing KB-JWT", func(t *testing.T, e *env) (string, Options) {
			return sdPart(standard(t, e, credential{})), testOptions()
		}, ReasonKeyBindingMissing, ""},
		{"error - wrong nonce", func(t *testing.T, e *env) (string, Options) {
			kb := goodKB()
			kb.Nonce = "another-nonce"
			return withKB(t, sdPart(standard(t, e, credential{})), e.holder, kb), testOptions()
		}, ReasonNonce, ""},
		{"error - wrong aud", func(t *testing.T, e *env) (string, Options) {
			kb := goodKB()
			kb.Audience = "redirect_uri:https://evil.example/cb"
			return withKB(t, sdPart(standard(t, e, credential{})), e.holder, kb), testOptions()
		}, ReasonAudience, ""},
		{"error - stale KB-JWT", func(t *testing.T, e *env) (string, Options) {
			kb := goodKB()
			kb.IssuedAt = testNow.Add(-10 * time.Minute).Unix()
			return withKB(t, sdPart(standard(t, e, credential{})), e.holder, kb), testOptions()
		}, ReasonStale, ""},
		{"error - KB-JWT from the future", func(t *testing.T, e *env) (string, Options) {
			kb := goodKB()
			kb.IssuedAt = testNow.Add(10 * time.Minute).Unix()
			return withKB(t, sdPart(standard(t, e, credential{})), e.holder, kb), testOptions()
		}, ReasonStale, "in the future"},
		{"error - wrong sd_hash", func(t *testing.T, e *env) (string, Options) {
			// The holder bound all disclosures; one is dropped on the way.
			p := standard(t, e, credential{})
			parts := strings.Split(p, "~")
			return strings.Join(append(parts[:1], parts[2:]...), "~"), testOptions()
		}, ReasonSDHash, ""},
		{"error - KB-JWT not signed by the holder key", func(t *testing.T, e *env) (string, Options) {
			return withKB(t, sdPart(standard(t, e, credential{})), e.other.key, goodKB()), testOptions()
		}, ReasonKeyBinding, "not signed by the holder key"},
		{"error - KB-JWT typ", func(t *testing.T, e *env) (string, Options) {
			return withKBTyp(t, sdPart(standard(t, e, credential{})), e.holder, goodKB(), "JWT"), testOptions()
		}, ReasonKeyBinding, "typ is not kb+jwt"},
		{"error - unknown vct", func(t *testing.T, e *env) (string, Options) {
			return standard(t, e, credential{vct: "urn:example:other:1"}), testOptions()
		}, ReasonUnknownVCT, ""},
		{"error - untrusted issuer", func(t *testing.T, e *env) (string, Options) {
			const uri = "https://other.example/status/1"
			e.status.set(uri, statusToken(t, e.other.signer(), uri, nil, nil))
			return present(t, e.other.issue(t, e.holder, credential{uri: uri}), e.holder, all), testOptions()
		}, ReasonUntrustedIssuer, ""},
		{"error - trust policy fails", func(t *testing.T, e *env) (string, Options) {
			e.verifier.trust = trustList{err: errors.New("rego: undefined")}
			return standard(t, e, credential{}), testOptions()
		}, ReasonTrustUnavailable, ""},
		{"error - revoked", func(t *testing.T, e *env) (string, Options) {
			return standard(t, e, credential{idx: idxRevoked}), testOptions()
		}, ReasonRevoked, ""},
		{"error - suspended", func(t *testing.T, e *env) (string, Options) {
			return standard(t, e, credential{idx: idxSuspended}), testOptions()
		}, ReasonSuspended, ""},
		{"error - status index outside the list", func(t *testing.T, e *env) (string, Options) {
			return standard(t, e, credential{idx: 1 << 20}), testOptions()
		}, ReasonStatusUnavailable, "outside the status list"},
		{"error - status list cannot be fetched", func(t *testing.T, e *env) (string, Options) {
			return standard(t, e, credential{uri: "https://bewijs.example/status/gone"}), testOptions()
		}, ReasonStatusUnavailable, "could not be fetched"},
		{"error - status list signed by another issuer", func(t *testing.T, e *env) (string, Options) {
			const uri = "https://bewijs.example/status/other"
			e.status.set(uri, statusToken(t, e.other.signer(), uri, nil, nil))
			return standard(t, e, credential{uri: uri}), testOptions()
		}, ReasonStatusUnavailable, "not signed by the issuer"},
		{"error - status list signed by another key under the issuer's kid", func(t *testing.T, e *env) (string, Options) {
			const uri = "https://bewijs.example/status/forged"
			e.status.set(uri, statusToken(t, jose.Signer{KeyID: e.issuer.kid, Key: e.other.key}, uri, nil, nil))
			return standard(t, e, credential{uri: uri}), testOptions()
		}, ReasonStatusUnavailable, "signature does not verify"},
		{"error - status list sub is another uri", func(t *testing.T, e *env) (string, Options) {
			const uri = "https://bewijs.example/status/moved"
			e.status.set(uri, statusToken(t, e.issuer.signer(), testStatusURI, nil, nil))
			return standard(t, e, credential{uri: uri}), testOptions()
		}, ReasonStatusUnavailable, "sub is not the uri"},
		{"error - status list expired", func(t *testing.T, e *env) (string, Options) {
			const uri = "https://bewijs.example/status/old"
			e.status.set(uri, statusToken(t, e.issuer.signer(), uri, nil, func(c map[string]any) {
				c["exp"] = testNow.Add(-time.Hour).Unix()
			}))
			return standard(t, e, credential{uri: uri}), testOptions()
		}, ReasonStatusUnavailable, "has expired"},
		{"error - status list typ", func(t *testing.T, e *env) (string, Options) {
			const uri = "https://bewijs.example/status/typ"
			e.status.set(uri, statusToken(t, e.issuer.signer(), uri, nil, func(c map[string]any) { c["typ"] = "JWT" }))
			return standard(t, e, credential{uri: uri}), testOptions()
		}, ReasonStatusUnavailable, "typ is not statuslist+jwt"},
	}
}

// tamper changes the value of a disclosure and encodes it again.
func tamper(t *testing.T, enc string) string {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(enc)
	if err != nil {
		t.Fatal(err)
	}
	var d []any
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatal(err)
	}
	d[len(d)-1] = "tampered"
	out, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(out)
}

func TestVerifyPresentation(t *testing.T) {
	for _, tc := range presentationCases() {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			p, opts := tc.build(t, e)

			cred, err := e.verifier.VerifyPresentation(context.Background(), p, opts)

			if tc.want != "" {
				if got := ReasonOf(err); got != tc.want {
					t.Fatalf("reason = %q, want %q (err: %v)", got, tc.want, err)
				}
				if f := failureOf(t, err); f.Detail == "" || !strings.Contains(f.Detail, tc.detail) {
					t.Errorf("detail %q, want it to contain %q", f.Detail, tc.detail)
				}
				return
			}
			if err != nil {
				t.Fatalf("VerifyPresentation: %v", err)
			}
			checkCredential(t, e, cred)
		})
	}
}

func checkCredential(t *testing.T, e *env, cred Credential) {
	t.Helper()
	tp, err := jose.Thumbprint(e.holder.Public())
	if err != nil {
		t.Fatal(err)
	}
	if cred.Issuer != e.issuer.did || cred.VCT != vctWmo || cred.Status != StatusValid || cred.HolderKeyThumbprint != tp {
		t.Errorf("credential = %s %s %s %s", cred.Issuer, cred.VCT, cred.Status, cred.HolderKeyThumbprint)
	}
	if want := time.Unix(testNow.Add(30*24*time.Hour).Unix(), 0).UTC(); !cred.ExpiresAt.Equal(want) {
		t.Errorf("ExpiresAt = %s, want %s", cred.ExpiresAt, want)
	}
	if cred.Claims["toewijzingnummer"] != float64(34400101) {
		t.Errorf("toewijzingnummer = %v", cred.Claims["toewijzingnummer"])
	}
}

func TestVerifyPresentation_Detail(t *testing.T) {
	e := newEnv(t)
	const uri = "https://other.example/status/1"
	e.status.set(uri, statusToken(t, e.other.signer(), uri, nil, nil))
	p := present(t, e.other.issue(t, e.holder, credential{uri: uri}), e.holder, all)

	_, err := e.verifier.VerifyPresentation(context.Background(), p, testOptions())

	f := failureOf(t, err)
	if !strings.Contains(f.Detail, "issuer is not in the gemeente register") {
		t.Errorf("detail %q does not carry the policy's reason", f.Detail)
	}
	if !errors.Is(err, &Failure{Reason: ReasonUntrustedIssuer}) {
		t.Error("errors.Is does not match the reason")
	}
	if e.status.calls != 0 {
		t.Errorf("the status list of an untrusted issuer was fetched %d times", e.status.calls)
	}
	if strings.Contains(err.Error(), "999993653") || strings.Contains(f.Detail, "Vries") {
		t.Error("the error carries personal data")
	}
}

// A failing verification never shows claim values, whatever the reason.
func TestVerifyPresentation_NoPersonalDataInErrors(t *testing.T) {
	for _, tc := range presentationCases() {
		if tc.want == "" {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			p, opts := tc.build(t, e)
			_, err := e.verifier.VerifyPresentation(context.Background(), p, opts)
			for _, secret := range []string{"999993653", "Johanna", "1948-05-17"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error %q carries %s", err, secret)
				}
			}
		})
	}
}
