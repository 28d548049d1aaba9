package w3cvc

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"encoding/base64"
	"testing"
	"time"
)

// listWith returns a bitstring of n bytes with the given indexes set.
func listWith(t testing.TB, n int, set ...int) []byte {
	t.Helper()
	bits := make([]byte, n)
	for _, i := range set {
		if err := SetBit(bits, i, true); err != nil {
			t.Fatal(err)
		}
	}
	return bits
}

func TestBitstringRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name string
		size int
		set  []int
	}{
		{name: "ok - 131072 entries, 0 7 8 131071 set", size: MinBitstringBytes, set: []int{0, 7, 8, 131071}},
		{name: "ok - all clear", size: MinBitstringBytes},
		{name: "ok - twice the minimum, last entry set", size: 2 * MinBitstringBytes, set: []int{1, 262143}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			encoded, err := EncodeBitstring(listWith(t, tc.size, tc.set...))
			if err != nil {
				t.Fatal(err)
			}
			if encoded[0] != 'u' {
				t.Fatalf("encodedList %q does not start with the multibase prefix u", encoded[:8])
			}
			bits, err := DecodeBitstring(encoded, 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(bits) != tc.size {
				t.Fatalf("decoded %d bytes, want %d", len(bits), tc.size)
			}
			want := map[int]bool{}
			for _, i := range tc.set {
				want[i] = true
			}
			for i := 0; i < tc.size*8; i++ {
				got, err := BitAt(bits, i)
				if err != nil || got != want[i] {
					t.Fatalf("BitAt(%d) = %v, %v; want %v", i, got, err, want[i])
				}
			}
		})
	}
}

// §2.2: index 0 is the left-most bit: the most significant bit of the first byte.
func TestBitOrder(t *testing.T) {
	bits := make([]byte, 2)
	bits[0], bits[1] = 0b1000_0001, 0b1000_0000
	for _, tc := range []struct {
		name  string
		index int
		want  bool
	}{
		{name: "ok - index 0 is the MSB of byte 0", index: 0, want: true},
		{name: "ok - index 1 clear", index: 1, want: false},
		{name: "ok - index 7 is the LSB of byte 0", index: 7, want: true},
		{name: "ok - index 8 is the MSB of byte 1", index: 8, want: true},
		{name: "ok - index 15 clear", index: 15, want: false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := BitAt(bits, tc.index)
			if err != nil || got != tc.want {
				t.Fatalf("BitAt(%d) = %v, %v; want %v", tc.index, got, err, tc.want)
			}
		})
	}
	for _, tc := range []struct {
		name  string
		index int
	}{
		{name: "error - negative index", index: -1},
		{name: "error - index past the end", index: 16},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := BitAt(bits, tc.index)
			requireReason(t, err, ReasonRange)
			requireReason(t, SetBit(bits, tc.index, true), ReasonRange)
		})
	}
	t.Run("ok - SetBit clears", func(t *testing.T) {
		b := []byte{0xff}
		if err := SetBit(b, 0, false); err != nil || b[0] != 0x7f {
			t.Fatalf("byte = %08b, %v; want 01111111", b[0], err)
		}
	})
}

func TestDecodeBitstringErrors(t *testing.T) {
	enc := func(b []byte) string { return "u" + base64.RawURLEncoding.EncodeToString(b) }
	valid := gzipped(t, make([]byte, MinBitstringBytes))
	zlibbed := func() []byte {
		var buf bytes.Buffer
		w := zlib.NewWriter(&buf)
		_, _ = w.Write(make([]byte, MinBitstringBytes))
		_ = w.Close()
		return buf.Bytes()
	}()
	for _, tc := range []struct {
		name     string
		in       string
		maxBytes int
		want     Reason
	}{
		{name: "error - no multibase prefix", in: base64.RawURLEncoding.EncodeToString(valid), want: ReasonMalformed},
		{name: "error - multibase base58 prefix", in: "z" + base64.RawURLEncoding.EncodeToString(valid), want: ReasonMalformed},
		{name: "error - base64 with padding", in: "u" + base64.URLEncoding.EncodeToString(needsPadding(t)), want: ReasonMalformed},
		{name: "error - standard base64 alphabet", in: "u+/" + base64.RawURLEncoding.EncodeToString(valid), want: ReasonMalformed},
		{name: "error - not GZIP", in: enc([]byte("not gzip at all")), want: ReasonMalformed},
		{name: "error - ZLIB, not GZIP", in: enc(zlibbed), want: ReasonMalformed},
		{name: "error - truncated GZIP", in: enc(valid[:len(valid)-6]), want: ReasonMalformed},
		{name: "error - trailing bytes", in: enc(append(append([]byte{}, valid...), 0, 0)), want: ReasonMalformed},
		{name: "error - two GZIP members", in: enc(append(append([]byte{}, valid...), valid...)), want: ReasonMalformed},
		{name: "error - shorter than 16KB", in: enc(gzipped(t, make([]byte, MinBitstringBytes-1))), want: ReasonLength},
		{name: "error - empty bitstring", in: enc(gzipped(t, nil)), want: ReasonLength},
		{name: "error - larger than the caller's cap", in: enc(gzipped(t, make([]byte, 2*MinBitstringBytes))), maxBytes: MinBitstringBytes, want: ReasonTooLarge},
		{name: "error - zip bomb: 64 MiB of zeros", in: enc(zipBomb(t, 64<<20)), want: ReasonTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeBitstring(tc.in, tc.maxBytes)
			requireReason(t, err, tc.want)
		})
	}
	t.Run("error - EncodeBitstring refuses less than 16KB", func(t *testing.T) {
		_, err := EncodeBitstring(make([]byte, MinBitstringBytes-1))
		requireReason(t, err, ReasonLength)
	})
}

// needsPadding is a valid GZIP list whose base64 has padding (its length is no multiple of 3).
func needsPadding(t testing.TB) []byte {
	t.Helper()
	for n := MinBitstringBytes; ; n++ {
		if g := gzipped(t, make([]byte, n)); len(g)%3 != 0 {
			return g
		}
	}
}

func gzipped(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// zipBomb is one GZIP member that inflates to n zero bytes (a few dozen KB for 64 MiB).
func zipBomb(t testing.TB, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 1<<20)
	for written := 0; written < n; written += len(chunk) {
		if _, err := w.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// A status list credential issued, verified, and looked up, as a verifier of an
// OrganisatieRol does after the Ketenbureau revoked index 94567.
func TestStatusListCredential(t *testing.T) {
	w := newWorld(t)
	bits := listWith(t, MinBitstringBytes, 94567)
	list, err := StatusListCredential(statusListURL, ketenbureauDID, PurposeRevocation, bits, testNow.Add(-time.Minute), testNow.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	jwt, err := SignJWT(list, w.ketenbureau.signer)
	if err != nil {
		t.Fatalf("SignJWT: %v", err)
	}
	parsed, err := ParseJWT(t.Context(), jwt, w.options(testNow))
	if err != nil {
		t.Fatalf("ParseJWT: %v", err)
	}
	t.Run("ok - the list credential's shape", func(t *testing.T) {
		claims := decodePart(t, jwt, 1)
		vc := claims["vc"].(map[string]any)
		subject := vc["credentialSubject"].(map[string]any)
		if subject["type"] != TypeStatusList || subject["statusPurpose"] != PurposeRevocation || subject["id"] != statusListURL+"#list" {
			t.Fatalf("credentialSubject = %v", subject)
		}
		if vc["id"] != statusListURL || claims["sub"] != statusListURL+"#list" {
			t.Fatalf("id = %v, sub = %v", vc["id"], claims["sub"])
		}
	})
	for _, tc := range []struct {
		name    string
		index   int
		revoked bool
	}{
		{name: "ok - revoked entry", index: 94567, revoked: true},
		{name: "ok - its neighbour is not", index: 94566},
		{name: "ok - first entry is not", index: 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			revoked, err := StatusBit(parsed, PurposeRevocation, tc.index, 0)
			if err != nil || revoked != tc.revoked {
				t.Fatalf("StatusBit(%d) = %v, %v; want %v", tc.index, revoked, err, tc.revoked)
			}
		})
	}
	for _, tc := range []struct {
		name    string
		list    Credential
		purpose string
		want    Reason
	}{
		{name: "error - another purpose", list: parsed, purpose: PurposeSuspension, want: ReasonMalformed},
		{name: "error - not a status list credential", list: organisatieRol(), purpose: PurposeRevocation, want: ReasonMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := StatusListBits(tc.list, tc.purpose, 0)
			requireReason(t, err, tc.want)
		})
	}
	t.Run("error - StatusListCredential refuses a short list", func(t *testing.T) {
		_, err := StatusListCredential(statusListURL, ketenbureauDID, PurposeRevocation, make([]byte, 100), testNow, time.Time{})
		requireReason(t, err, ReasonLength)
	})
	t.Run("error - StatusListCredential without purpose", func(t *testing.T) {
		_, err := StatusListCredential(statusListURL, ketenbureauDID, "", bits, testNow, time.Time{})
		requireReason(t, err, ReasonMalformed)
	})
}
