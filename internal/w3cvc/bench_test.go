package w3cvc

import "testing"

// The cost of aries' JSON schema validation is in these numbers: it compiles the VC-DM 1.1
// schema on every call.
func BenchmarkSignJWT(b *testing.B) {
	w := newWorld(b)
	c := organisatieRol()
	for b.Loop() {
		if _, err := SignJWT(c, w.ketenbureau.signer); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseJWT(b *testing.B) {
	w := newWorld(b)
	jwt, err := SignJWT(organisatieRol(), w.ketenbureau.signer)
	if err != nil {
		b.Fatal(err)
	}
	opts := w.options(testNow)
	for b.Loop() {
		if _, err := ParseJWT(b.Context(), jwt, opts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParsePresentationJWT(b *testing.B) {
	w := newWorld(b)
	vc, err := SignJWT(organisatieRol(), w.ketenbureau.signer)
	if err != nil {
		b.Fatal(err)
	}
	vp, err := SignPresentationJWT(presentationOf(vc), w.aanbieder.signer)
	if err != nil {
		b.Fatal(err)
	}
	opts := w.options(testNow)
	for b.Loop() {
		if _, err := ParsePresentationJWT(b.Context(), vp, opts); err != nil {
			b.Fatal(err)
		}
	}
}
