package w3cvc

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/internal/jose"
)

func TestSignParseJWT(t *testing.T) {
	w := newWorld(t)
	bearer := organisatieRol()
	bearer.Subject, bearer.Status, bearer.ValidUntil, bearer.IssuedAt = "", nil, time.Time{}, time.Time{}
	selfIssued := organisatieRol()
	selfIssued.Issuer, selfIssued.Status = aanbiederDID, nil
	noClaims := organisatieRol()
	noClaims.Claims, noClaims.Types = nil, nil
	subsecond := organisatieRol()
	subsecond.ValidFrom = subsecond.ValidFrom.Add(750 * time.Millisecond)
	for _, tc := range []struct {
		name   string
		cred   Credential
		signer jose.Signer
		want   Credential
	}{
		{name: "ok - OrganisatieRol with status, ES256", cred: organisatieRol(), signer: w.ketenbureau.signer, want: organisatieRol()},
		{name: "ok - Ed25519 issuer, no status", cred: selfIssued, signer: w.aanbieder.signer, want: selfIssued},
		{name: "ok - bearer credential: no subject id, no exp, no iat", cred: bearer, signer: w.ketenbureau.signer, want: bearer},
		{name: "ok - subject without claims, no types", cred: noClaims, signer: w.ketenbureau.signer, want: noClaims},
		{name: "ok - times become whole seconds", cred: subsecond, signer: w.ketenbureau.signer, want: organisatieRol()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			jwt, err := SignJWT(tc.cred, tc.signer)
			if err != nil {
				t.Fatalf("SignJWT: %v", err)
			}
			got, err := ParseJWT(t.Context(), jwt, w.options(testNow))
			if err != nil {
				t.Fatalf("ParseJWT: %v", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("round trip\n got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

// The JWT claims and header as VC-DM 1.1 §6.3.1 lays them out.
func TestSignJWTClaims(t *testing.T) {
	w := newWorld(t)
	c := organisatieRol()
	jwt, err := SignJWT(c, w.ketenbureau.signer)
	if err != nil {
		t.Fatal(err)
	}
	header, claims := decodePart(t, jwt, 0), decodePart(t, jwt, 1)
	if header["typ"] != "JWT" || header["kid"] != ketenbureauDID+"#key-1" || header["alg"] != "ES256" {
		t.Errorf("header = %v", header)
	}
	vc := claims["vc"].(map[string]any)
	for _, tc := range []struct {
		name      string
		got, want any
	}{
		{name: "ok - iss is the issuer", got: claims["iss"], want: ketenbureauDID},
		{name: "ok - vc issuer too", got: vc["issuer"], want: ketenbureauDID},
		{name: "ok - sub is credentialSubject.id", got: claims["sub"], want: aanbiederDID},
		{name: "ok - jti is the id", got: claims["jti"], want: c.ID},
		{name: "ok - vc id too", got: vc["id"], want: c.ID},
		{name: "ok - nbf is issuanceDate", got: claims["nbf"], want: float64(c.ValidFrom.Unix())},
		{name: "ok - vc issuanceDate too", got: vc["issuanceDate"], want: "2026-03-02T09:00:00Z"},
		{name: "ok - exp is expirationDate", got: claims["exp"], want: float64(c.ValidUntil.Unix())},
		{name: "ok - iat", got: claims["iat"], want: float64(c.IssuedAt.Unix())},
		{name: "ok - base context only", got: vc["@context"], want: []any{ContextV1}},
		{name: "ok - types", got: vc["type"], want: []any{"VerifiableCredential", "OrganisatieRol"}},
		{name: "ok - statusListIndex is a base 10 string", got: vc["credentialStatus"].(map[string]any)["statusListIndex"], want: "94567"},
		{name: "ok - status entry type", got: vc["credentialStatus"].(map[string]any)["type"], want: TypeStatusListEntry},
		{name: "ok - claims in credentialSubject", got: vc["credentialSubject"].(map[string]any)["rol"], want: "aanbieder"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !reflect.DeepEqual(tc.got, tc.want) {
				t.Fatalf("got %#v, want %#v", tc.got, tc.want)
			}
		})
	}
}

func TestSignJWTRefuses(t *testing.T) {
	w := newWorld(t)
	with := func(f func(c *Credential)) Credential {
		c := organisatieRol()
		f(&c)
		return c
	}
	for _, tc := range []struct {
		name   string
		cred   Credential
		signer jose.Signer
		want   Reason
	}{
		{name: "error - no id", cred: with(func(c *Credential) { c.ID = "" }), want: ReasonMalformed},
		{name: "error - id not a URI", cred: with(func(c *Credential) { c.ID = "5e4a2d3c" }), want: ReasonMalformed},
		{name: "error - issuer not a DID", cred: with(func(c *Credential) { c.Issuer = "https://ketenbureau.example" }), want: ReasonMalformed},
		{name: "error - no ValidFrom", cred: with(func(c *Credential) { c.ValidFrom = time.Time{} }), want: ReasonMalformed},
		{name: "error - ValidUntil before ValidFrom", cred: with(func(c *Credential) { c.ValidUntil = c.ValidFrom.Add(-time.Hour) }), want: ReasonMalformed},
		{name: "error - claims with an id", cred: with(func(c *Credential) { c.Claims = map[string]any{"id": "did:web:x"} }), want: ReasonMalformed},
		{name: "error - claim that does not encode", cred: with(func(c *Credential) { c.Claims = map[string]any{"f": func() {}} }), want: ReasonMalformed},
		{name: "error - empty type", cred: with(func(c *Credential) { c.Types = []string{""} }), want: ReasonMalformed},
		{name: "error - status entry id is the list URL", cred: with(func(c *Credential) { c.Status.ID = statusListURL }), want: ReasonMalformed},
		{name: "error - negative status index", cred: with(func(c *Credential) { c.Status.Index = -1 }), want: ReasonMalformed},
		{name: "error - status without purpose", cred: with(func(c *Credential) { c.Status.Purpose = "" }), want: ReasonMalformed},
		{name: "error - kid of another DID", cred: organisatieRol(), signer: w.stranger.signer, want: ReasonIssuerMismatch},
		{name: "error - kid not a DID URL", cred: organisatieRol(), signer: jose.Signer{KeyID: "key-1", Key: w.ketenbureau.signer.Key}, want: ReasonMalformed},
		{name: "error - kid without fragment", cred: organisatieRol(), signer: jose.Signer{KeyID: ketenbureauDID, Key: w.ketenbureau.signer.Key}, want: ReasonMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			signer := tc.signer
			if signer.Key == nil {
				signer = w.ketenbureau.signer
			}
			_, err := SignJWT(tc.cred, signer)
			requireReason(t, err, tc.want)
		})
	}
}

func TestParseJWTErrors(t *testing.T) {
	w := newWorld(t)
	good, err := SignJWT(organisatieRol(), w.ketenbureau.signer)
	if err != nil {
		t.Fatal(err)
	}
	goodClaims := decodePart(t, good, 1)
	// mutated re-signs the good claims, changed by f, with the Ketenbureau's key.
	mutated := func(f func(claims, vc map[string]any)) string {
		claims := decodePart(t, good, 1)
		f(claims, claims["vc"].(map[string]any))
		return signRaw(t, w.ketenbureau.signer, claims, map[string]any{"typ": "JWT"})
	}
	header := func(h map[string]any) string {
		return unsignedJWT(h, goodClaims)
	}
	// A forged credential the stranger would like ParseJWT to return instead of its own.
	forged := unsignedJWT(map[string]any{"alg": "ES256", "kid": ketenbureauDID + "#key-1"}, goodClaims)
	for _, tc := range []struct {
		name string
		jwt  string
		want Reason
	}{
		{name: "error - not a JWS", jwt: "not-a-jwt", want: ReasonMalformed},
		{name: "error - payload not a JSON object", jwt: mustSign(t, w.ketenbureau.signer, []byte(`["vc"]`)), want: ReasonMalformed},
		{name: "error - typ vc+jwt", jwt: signRaw(t, w.ketenbureau.signer, goodClaims, map[string]any{"typ": "vc+jwt"}), want: ReasonMalformed},
		{name: "error - alg none", jwt: strings.TrimSuffix(header(map[string]any{"alg": "none", "kid": ketenbureauDID + "#key-1"}), "bm90IGEgc2lnbmF0dXJl"), want: ReasonSignature},
		{name: "error - alg HS256 keyed with the public key", jwt: hs256(t, w, goodClaims), want: ReasonSignature},
		{name: "error - alg RS256", jwt: header(map[string]any{"alg": "RS256", "kid": ketenbureauDID + "#key-1"}), want: ReasonSignature},
		{name: "error - alg ES384 with a P-256 key", jwt: header(map[string]any{"alg": "ES384", "kid": ketenbureauDID + "#key-1"}), want: ReasonSignature},
		{name: "error - no kid", jwt: signRaw(t, jose.Signer{Key: w.ketenbureau.signer.Key}, goodClaims, nil), want: ReasonMalformed},
		{name: "error - kid not a DID URL", jwt: signRaw(t, jose.Signer{KeyID: "key-1", Key: w.ketenbureau.signer.Key}, goodClaims, nil), want: ReasonMalformed},
		{name: "error - unknown kid", jwt: signRaw(t, jose.Signer{KeyID: ketenbureauDID + "#key-2", Key: w.ketenbureau.signer.Key}, goodClaims, nil), want: ReasonKey},
		{name: "error - signed by another key than kid's", jwt: signRaw(t, jose.Signer{KeyID: ketenbureauDID + "#key-1", Key: w.stranger.signer.Key}, goodClaims, nil), want: ReasonSignature},
		{name: "error - payload changed after signing", jwt: tamper(good), want: ReasonSignature},
		{name: "error - kid of another DID", jwt: signRaw(t, w.stranger.signer, goodClaims, nil), want: ReasonIssuerMismatch},
		{name: "error - vc issuer differs from iss", jwt: signRaw(t, w.stranger.signer, withIss(goodClaims, strangerDID), nil), want: ReasonIssuerMismatch},
		{name: "error - vc issuer object with another id", jwt: mutated(func(_, vc map[string]any) { vc["issuer"] = map[string]any{"id": strangerDID} }), want: ReasonIssuerMismatch},
		{name: "error - vc with a jwt member (aries would read that JWT instead)", jwt: signRaw(t, w.stranger.signer, withIss(withVC(withVC(goodClaims, "issuer", strangerDID), "jwt", forged), strangerDID), nil), want: ReasonMalformed},
		{name: "error - no iss", jwt: mutated(func(c, _ map[string]any) { delete(c, "iss") }), want: ReasonMalformed},
		{name: "error - no vc claim", jwt: mutated(func(c, _ map[string]any) { delete(c, "vc") }), want: ReasonMalformed},
		{name: "error - vc not an object", jwt: mutated(func(c, _ map[string]any) { c["vc"] = "credential" }), want: ReasonMalformed},
		{name: "error - type without VerifiableCredential", jwt: mutated(func(_, vc map[string]any) { vc["type"] = []any{"OrganisatieRol"} }), want: ReasonMalformed},
		{name: "error - first @context not v1", jwt: mutated(func(_, vc map[string]any) { vc["@context"] = []any{"https://www.w3.org/ns/credentials/v2"} }), want: ReasonMalformed},
		{name: "error - no credentialSubject", jwt: mutated(func(c, vc map[string]any) { delete(vc, "credentialSubject"); delete(c, "sub") }), want: ReasonMalformed},
		{name: "error - two subjects", jwt: mutated(func(c, vc map[string]any) {
			vc["credentialSubject"] = []any{map[string]any{"id": aanbiederDID}, map[string]any{"id": strangerDID}}
			delete(c, "sub")
		}), want: ReasonMalformed},
		{name: "error - no issuanceDate nor nbf", jwt: mutated(func(c, vc map[string]any) { delete(c, "nbf"); delete(vc, "issuanceDate") }), want: ReasonMalformed},
		{name: "error - nbf differs from issuanceDate", jwt: mutated(func(_, vc map[string]any) { vc["issuanceDate"] = "2026-01-01T00:00:00Z" }), want: ReasonMalformed},
		{name: "error - exp differs from expirationDate", jwt: mutated(func(_, vc map[string]any) { vc["expirationDate"] = "2030-01-01T00:00:00Z" }), want: ReasonMalformed},
		{name: "error - jti differs from id", jwt: mutated(func(_, vc map[string]any) { vc["id"] = "urn:uuid:other" }), want: ReasonMalformed},
		{name: "error - sub differs from credentialSubject.id", jwt: mutated(func(c, _ map[string]any) { c["sub"] = strangerDID }), want: ReasonMalformed},
		{name: "error - exp not a NumericDate", jwt: mutated(func(c, _ map[string]any) { c["exp"] = "2027-03-02" }), want: ReasonMalformed},
		{name: "error - credentialStatus of another type", jwt: mutated(func(_, vc map[string]any) { vc["credentialStatus"].(map[string]any)["type"] = "StatusList2021Entry" }), want: ReasonMalformed},
		{name: "error - statusListIndex a number", jwt: mutated(func(_, vc map[string]any) { vc["credentialStatus"].(map[string]any)["statusListIndex"] = 94567 }), want: ReasonMalformed},
		{name: "error - statusListIndex negative", jwt: mutated(func(_, vc map[string]any) { vc["credentialStatus"].(map[string]any)["statusListIndex"] = "-1" }), want: ReasonMalformed},
		{name: "error - statusSize 2", jwt: mutated(func(_, vc map[string]any) { vc["credentialStatus"].(map[string]any)["statusSize"] = 2 }), want: ReasonMalformed},
		{name: "error - credentialStatus as array", jwt: mutated(func(_, vc map[string]any) { vc["credentialStatus"] = []any{vc["credentialStatus"]} }), want: ReasonMalformed},
		{name: "error - expired", jwt: mutated(func(c, _ map[string]any) {
			c["exp"] = float64(testNow.Add(-time.Hour).Unix())
			delete(c["vc"].(map[string]any), "expirationDate")
		}), want: ReasonExpired},
		{name: "error - not yet valid", jwt: mutated(func(c, vc map[string]any) {
			c["nbf"] = float64(testNow.Add(time.Hour).Unix())
			delete(vc, "issuanceDate")
		}), want: ReasonNotYetValid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseJWT(t.Context(), tc.jwt, w.options(testNow))
			requireReason(t, err, tc.want)
		})
	}
	t.Run("error - no Key function", func(t *testing.T) {
		_, err := ParseJWT(t.Context(), good, VerifyOptions{Now: func() time.Time { return testNow }})
		requireReason(t, err, ReasonKey)
	})
	t.Run("ok - the Key error is kept as the cause", func(t *testing.T) {
		jwt := signRaw(t, jose.Signer{KeyID: ketenbureauDID + "#key-2", Key: w.ketenbureau.signer.Key}, goodClaims, nil)
		_, err := ParseJWT(t.Context(), jwt, w.options(testNow))
		if !errorsIs(err, errUnknownKey) || !errorsIs(err, ErrKey) {
			t.Fatalf("err = %v, want it to wrap errUnknownKey and match ErrKey", err)
		}
	})
}

// The validity period with a clock skew of 30 seconds (and the default of 60).
func TestParseJWTValidity(t *testing.T) {
	w := newWorld(t)
	c := organisatieRol()
	c.IssuedAt = time.Time{}
	jwt, err := SignJWT(c, w.ketenbureau.signer)
	if err != nil {
		t.Fatal(err)
	}
	issued := organisatieRol()
	issued.IssuedAt = c.ValidFrom.Add(-time.Minute)
	withIat, err := SignJWT(issued, w.ketenbureau.signer)
	if err != nil {
		t.Fatal(err)
	}
	nbf, exp := c.ValidFrom, c.ValidUntil
	for _, tc := range []struct {
		name        string
		jwt         string
		now         time.Time
		defaultSkew bool
		want        Reason
	}{
		{name: "ok - within the period", jwt: jwt, now: testNow},
		{name: "ok - 10s before exp", jwt: jwt, now: exp.Add(-10 * time.Second)},
		{name: "ok - 29s after exp, within skew", jwt: jwt, now: exp.Add(29 * time.Second)},
		{name: "error - 30s after exp, skew used up", jwt: jwt, now: exp.Add(30 * time.Second), want: ReasonExpired},
		{name: "error - a day after exp", jwt: jwt, now: exp.Add(24 * time.Hour), want: ReasonExpired},
		{name: "ok - at nbf", jwt: jwt, now: nbf},
		{name: "ok - 30s before nbf, within skew", jwt: jwt, now: nbf.Add(-30 * time.Second)},
		{name: "error - 31s before nbf", jwt: jwt, now: nbf.Add(-31 * time.Second), want: ReasonNotYetValid},
		{name: "ok - 50s before nbf, default skew 60s", jwt: jwt, now: nbf.Add(-50 * time.Second), defaultSkew: true},
		{name: "error - 61s before nbf, default skew 60s", jwt: jwt, now: nbf.Add(-61 * time.Second), defaultSkew: true, want: ReasonNotYetValid},
		{name: "error - iat in the future", jwt: withIat, now: nbf.Add(-90 * time.Second), want: ReasonNotYetValid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := w.options(tc.now)
			if tc.defaultSkew {
				opts.Skew = 0
			}
			_, err := ParseJWT(t.Context(), tc.jwt, opts)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("ParseJWT: %v", err)
				}
				return
			}
			requireReason(t, err, tc.want)
		})
	}
}

func mustSign(t testing.TB, s jose.Signer, payload []byte) string {
	t.Helper()
	out, err := jose.Sign(payload, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// hs256 is the classic key confusion: an HMAC keyed with the issuer's public JWK.
func hs256(t *testing.T, w *world, claims map[string]any) string {
	t.Helper()
	jwk, err := did.PublicJWK(w.ketenbureau.signer.Key.Public())
	if err != nil {
		t.Fatal(err)
	}
	unsigned := unsignedJWT(map[string]any{"alg": "HS256", "typ": "JWT", "kid": ketenbureauDID + "#key-1"}, claims)
	input := unsigned[:strings.LastIndexByte(unsigned, '.')]
	mac := hmac.New(sha256.New, jwk)
	mac.Write([]byte(input))
	return input + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// tamper adds a claim to the payload of a compact JWS, keeping its signature.
func tamper(compact string) string {
	parts := strings.Split(compact, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	changed := `{"admin":true,` + strings.TrimPrefix(string(payload), "{")
	return parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(changed)) + "." + parts[2]
}

func withIss(claims map[string]any, iss string) map[string]any {
	out := clone(claims)
	out["iss"] = iss
	return out
}

func withVC(claims map[string]any, name string, v any) map[string]any {
	out := clone(claims)
	vc := clone(out["vc"].(map[string]any))
	vc[name] = v
	out["vc"] = vc
	return out
}

func clone(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// Aries would download a credentialSchema of type JsonSchemaValidator2018 and, with JSON-LD
// validation, every @context: a credential from anyone must not make bewijs fetch URLs.
func TestParseJWTFetchesNothing(t *testing.T) {
	w := newWorld(t)
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		rw.Header().Set("Content-Type", "application/json")
		_, _ = rw.Write([]byte(`{"type":"object","required":["nothing-has-this"]}`))
	}))
	t.Cleanup(srv.Close)
	good, err := SignJWT(organisatieRol(), w.ketenbureau.signer)
	if err != nil {
		t.Fatal(err)
	}
	claims := withVC(decodePart(t, good, 1), "credentialSchema", map[string]any{"id": srv.URL + "/schema.json", "type": "JsonSchemaValidator2018"})
	claims = withVC(claims, "@context", []any{ContextV1, srv.URL + "/context.jsonld"})
	jwt := signRaw(t, w.ketenbureau.signer, claims, nil)
	if _, err := ParseJWT(t.Context(), jwt, w.options(testNow)); err != nil {
		t.Fatalf("ParseJWT: %v", err)
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("ParseJWT made %d HTTP requests, want none", n)
	}
}
