package w3cvc

import (
	"reflect"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/internal/jose"
)

// presentationOf is the aanbieder presenting its OrganisatieRol to a municipality.
func presentationOf(credentials ...string) Presentation {
	return Presentation{
		ID:          "urn:uuid:0b8c1a52-7e2d-4f61-8c3a-9d4e5f6a7b8c",
		Holder:      aanbiederDID,
		Audience:    verifierID,
		Nonce:       "n-0S6_WzA2Mj",
		IssuedAt:    testNow,
		Expires:     testNow.Add(5 * time.Minute),
		Credentials: credentials,
	}
}

func TestSignParsePresentationJWT(t *testing.T) {
	w := newWorld(t)
	rol, err := SignJWT(organisatieRol(), w.ketenbureau.signer)
	if err != nil {
		t.Fatal(err)
	}
	other := organisatieRol()
	other.ID, other.Types = "urn:uuid:7d1e0c55-3b8a-4f2e-b7a4-1c9d8e7f6a5b", []string{"Contract"}
	contract, err := SignJWT(other, w.ketenbureau.signer)
	if err != nil {
		t.Fatal(err)
	}
	noExpiry := presentationOf(rol)
	noExpiry.Expires, noExpiry.ID = time.Time{}, ""
	for _, tc := range []struct {
		name string
		p    Presentation
	}{
		{name: "ok - one credential", p: presentationOf(rol)},
		{name: "ok - two credentials", p: presentationOf(rol, contract)},
		{name: "ok - no exp, no id", p: noExpiry},
	} {
		t.Run(tc.name, func(t *testing.T) {
			jwt, err := SignPresentationJWT(tc.p, w.aanbieder.signer)
			if err != nil {
				t.Fatalf("SignPresentationJWT: %v", err)
			}
			got, err := ParsePresentationJWT(t.Context(), jwt, w.options(testNow))
			if err != nil {
				t.Fatalf("ParsePresentationJWT: %v", err)
			}
			if !reflect.DeepEqual(got, tc.p) {
				t.Fatalf("round trip\n got %+v\nwant %+v", got, tc.p)
			}
			// The caller verifies each credential itself.
			for _, c := range got.Credentials {
				if _, err := ParseJWT(t.Context(), c, w.options(testNow)); err != nil {
					t.Fatalf("embedded credential: %v", err)
				}
			}
		})
	}
}

// The VP claims of VC-DM 1.1 §6.3.1 (Example 31).
func TestSignPresentationJWTClaims(t *testing.T) {
	w := newWorld(t)
	rol, err := SignJWT(organisatieRol(), w.ketenbureau.signer)
	if err != nil {
		t.Fatal(err)
	}
	jwt, err := SignPresentationJWT(presentationOf(rol), w.aanbieder.signer)
	if err != nil {
		t.Fatal(err)
	}
	header, claims := decodePart(t, jwt, 0), decodePart(t, jwt, 1)
	vp := claims["vp"].(map[string]any)
	for _, tc := range []struct {
		name      string
		got, want any
	}{
		{name: "ok - EdDSA, kid of the holder", got: []any{header["alg"], header["kid"], header["typ"]}, want: []any{"EdDSA", aanbiederDID + "#key-1", "JWT"}},
		{name: "ok - iss is the holder", got: claims["iss"], want: aanbiederDID},
		{name: "ok - vp holder too", got: vp["holder"], want: aanbiederDID},
		{name: "ok - aud", got: claims["aud"], want: verifierID},
		{name: "ok - nonce", got: claims["nonce"], want: "n-0S6_WzA2Mj"},
		{name: "ok - jti", got: claims["jti"], want: presentationOf().ID},
		{name: "ok - iat and nbf", got: []any{claims["iat"], claims["nbf"]}, want: []any{float64(testNow.Unix()), float64(testNow.Unix())}},
		{name: "ok - exp", got: claims["exp"], want: float64(testNow.Add(5 * time.Minute).Unix())},
		{name: "ok - JWT VCs as strings", got: vp["verifiableCredential"], want: []any{rol}},
		{name: "ok - base context", got: vp["@context"], want: []any{ContextV1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !reflect.DeepEqual(tc.got, tc.want) {
				t.Fatalf("got %#v, want %#v", tc.got, tc.want)
			}
		})
	}
}

func TestSignPresentationJWTRefuses(t *testing.T) {
	w := newWorld(t)
	rol, err := SignJWT(organisatieRol(), w.ketenbureau.signer)
	if err != nil {
		t.Fatal(err)
	}
	with := func(f func(p *Presentation)) Presentation {
		p := presentationOf(rol)
		f(&p)
		return p
	}
	for _, tc := range []struct {
		name   string
		p      Presentation
		signer jose.Signer
		want   Reason
	}{
		{name: "error - no nonce", p: with(func(p *Presentation) { p.Nonce = "" }), want: ReasonMalformed},
		{name: "error - no audience", p: with(func(p *Presentation) { p.Audience = "" }), want: ReasonMalformed},
		{name: "error - holder not a DID", p: with(func(p *Presentation) { p.Holder = "zorg-en-welzijn-bv" }), want: ReasonMalformed},
		{name: "error - no IssuedAt", p: with(func(p *Presentation) { p.IssuedAt = time.Time{} }), want: ReasonMalformed},
		{name: "error - Expires before IssuedAt", p: with(func(p *Presentation) { p.Expires = testNow.Add(-time.Second) }), want: ReasonMalformed},
		{name: "error - credential not a JWS", p: with(func(p *Presentation) { p.Credentials = []string{"{}"} }), want: ReasonMalformed},
		{name: "error - signed with the issuer's key, not the holder's", p: presentationOf(rol), signer: w.ketenbureau.signer, want: ReasonIssuerMismatch},
	} {
		t.Run(tc.name, func(t *testing.T) {
			signer := tc.signer
			if signer.Key == nil {
				signer = w.aanbieder.signer
			}
			_, err := SignPresentationJWT(tc.p, signer)
			requireReason(t, err, tc.want)
		})
	}
}

func TestParsePresentationJWTErrors(t *testing.T) {
	w := newWorld(t)
	rol, err := SignJWT(organisatieRol(), w.ketenbureau.signer)
	if err != nil {
		t.Fatal(err)
	}
	good, err := SignPresentationJWT(presentationOf(rol), w.aanbieder.signer)
	if err != nil {
		t.Fatal(err)
	}
	goodClaims := decodePart(t, good, 1)
	mutated := func(f func(claims, vp map[string]any)) string {
		claims := decodePart(t, good, 1)
		f(claims, claims["vp"].(map[string]any))
		return signRaw(t, w.aanbieder.signer, claims, map[string]any{"typ": "JWT"})
	}
	notVC := signRaw(t, w.ketenbureau.signer, map[string]any{"iss": ketenbureauDID, "nbf": float64(testNow.Unix())}, nil)
	for _, tc := range []struct {
		name string
		jwt  string
		want Reason
	}{
		{name: "error - kid of another DID", jwt: signRaw(t, w.stranger.signer, goodClaims, nil), want: ReasonIssuerMismatch},
		{name: "error - vp holder differs from iss", jwt: mutated(func(_, vp map[string]any) { vp["holder"] = strangerDID }), want: ReasonIssuerMismatch},
		{name: "error - payload changed after signing", jwt: tamper(good), want: ReasonSignature},
		{name: "error - alg none", jwt: unsignedJWT(map[string]any{"alg": "none", "kid": aanbiederDID + "#key-1"}, goodClaims), want: ReasonSignature},
		{name: "error - no vp claim", jwt: mutated(func(c, _ map[string]any) { delete(c, "vp") }), want: ReasonMalformed},
		{name: "error - type not VerifiablePresentation", jwt: mutated(func(_, vp map[string]any) { vp["type"] = "VerifiableCredential" }), want: ReasonMalformed},
		{name: "error - credential embedded as JSON", jwt: mutated(func(_, vp map[string]any) {
			vp["verifiableCredential"] = []any{map[string]any{"type": "VerifiableCredential"}}
		}), want: ReasonMalformed},
		{name: "error - credential not a JWT", jwt: mutated(func(_, vp map[string]any) { vp["verifiableCredential"] = []any{"credential"} }), want: ReasonMalformed},
		// aries panics (a write to a nil map) decoding a JWT without a vc claim.
		{name: "error - embedded JWT without a vc claim", jwt: mutated(func(_, vp map[string]any) { vp["verifiableCredential"] = []any{notVC} }), want: ReasonMalformed},
		{name: "error - two audiences", jwt: mutated(func(c, _ map[string]any) { c["aud"] = []any{verifierID, "x509_san_dns:other.example"} }), want: ReasonMalformed},
		{name: "error - nonce not a string", jwt: mutated(func(c, _ map[string]any) { c["nonce"] = 42 }), want: ReasonMalformed},
		{name: "error - expired", jwt: mutated(func(c, _ map[string]any) { c["exp"] = float64(testNow.Add(-time.Minute).Unix()) }), want: ReasonExpired},
		{name: "error - not yet valid", jwt: mutated(func(c, _ map[string]any) { c["nbf"] = float64(testNow.Add(time.Hour).Unix()) }), want: ReasonNotYetValid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParsePresentationJWT(t.Context(), tc.jwt, w.options(testNow))
			requireReason(t, err, tc.want)
		})
	}
	t.Run("ok - aud as an array of one", func(t *testing.T) {
		jwt := mutated(func(c, _ map[string]any) { c["aud"] = []any{verifierID} })
		p, err := ParsePresentationJWT(t.Context(), jwt, w.options(testNow))
		if err != nil || p.Audience != verifierID {
			t.Fatalf("audience = %q, %v; want %q", p.Audience, err, verifierID)
		}
	})
	t.Run("ok - embedded credentials are returned unverified", func(t *testing.T) {
		jwt := mutated(func(_, vp map[string]any) { vp["verifiableCredential"] = []any{tamper(rol)} })
		p, err := ParsePresentationJWT(t.Context(), jwt, w.options(testNow))
		if err != nil {
			t.Fatal(err)
		}
		_, err = ParseJWT(t.Context(), p.Credentials[0], w.options(testNow))
		requireReason(t, err, ReasonSignature)
	})
}
