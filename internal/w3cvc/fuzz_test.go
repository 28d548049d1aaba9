package w3cvc

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzParseJWT feeds ParseJWT and ParsePresentationJWT arbitrary input, and arbitrary
// payloads signed with a known key so the input gets past the signature into the claim
// decoding and aries: no panic, every error an *Error, and a credential that parses comes
// from the key's DID.
func FuzzParseJWT(f *testing.F) {
	w := newWorld(f)
	vc, err := SignJWT(organisatieRol(), w.ketenbureau.signer)
	if err != nil {
		f.Fatal(err)
	}
	vp, err := SignPresentationJWT(presentationOf(vc), w.aanbieder.signer)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{vc, vp, tamper(vc), "a.b.c", "..", "e30.e30.", vc + "~"} {
		f.Add(s, []byte(nil))
	}
	for _, p := range []string{
		string(decodePartRaw(f, vc, 1)),
		string(decodePartRaw(f, vp, 1)),
		`{"iss":"did:web:ketenbureau.example","vc":{"jwt":"a.b.c"}}`,
		`{"iss":"did:web:ketenbureau.example","nbf":1,"vc":null}`,
		`{"iss":"did:web:ketenbureau.example","vc":{"credentialSubject":"did:x:y","issuer":{"id":1}}}`,
		`{"iss":"did:web:ketenbureau.example","vp":{"verifiableCredential":["e30.eyJpc3MiOiJ4IiwibmJmIjoxfQ.c2ln"]}}`,
	} {
		f.Add("", []byte(p))
	}
	opts := w.options(testNow)
	f.Fuzz(func(t *testing.T, jwt string, payload []byte) {
		if payload != nil {
			jwt = mustSign(t, w.ketenbureau.signer, payload)
		}
		c, err := ParseJWT(t.Context(), jwt, opts)
		if err != nil && ReasonOf(err) == "" {
			t.Fatalf("ParseJWT returned an untyped error: %v", err)
		}
		if err == nil && c.Issuer != ketenbureauDID && c.Issuer != aanbiederDID {
			t.Fatalf("ParseJWT returned a credential of issuer %q", c.Issuer)
		}
		p, err := ParsePresentationJWT(t.Context(), jwt, opts)
		if err != nil && ReasonOf(err) == "" {
			t.Fatalf("ParsePresentationJWT returned an untyped error: %v", err)
		}
		if err == nil && p.Holder != ketenbureauDID && p.Holder != aanbiederDID {
			t.Fatalf("ParsePresentationJWT returned a presentation of holder %q", p.Holder)
		}
	})
}

// FuzzDecodeBitstring decodes arbitrary encodedLists: no panic, only typed errors, never
// more than the cap, and a decoded list encodes back to one that decodes the same.
func FuzzDecodeBitstring(f *testing.F) {
	list, err := EncodeBitstring(listWith(f, MinBitstringBytes, 0, 7, 8, 131071))
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{list, "u", "", "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA", list + list[1:], strings.Repeat("u", 100)} {
		f.Add(s)
	}
	const maxBytes = 4 * MinBitstringBytes
	f.Fuzz(func(t *testing.T, s string) {
		bits, err := DecodeBitstring(s, maxBytes)
		if err != nil {
			if ReasonOf(err) == "" {
				t.Fatalf("untyped error: %v", err)
			}
			return
		}
		if len(bits) < MinBitstringBytes || len(bits) > maxBytes {
			t.Fatalf("decoded %d bytes, outside [%d, %d]", len(bits), MinBitstringBytes, maxBytes)
		}
		again, err := EncodeBitstring(bits)
		if err != nil {
			t.Fatal(err)
		}
		back, err := DecodeBitstring(again, maxBytes)
		if err != nil || !bytes.Equal(back, bits) {
			t.Fatalf("re-encoded list does not decode the same: %v", err)
		}
	})
}
