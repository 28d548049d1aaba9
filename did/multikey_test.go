package did

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"testing"
)

func TestBase58(t *testing.T) {
	tests := []struct {
		name    string
		hex     string
		encoded string
	}{
		{"ok - empty", "", ""},
		{"ok - zero byte", "00", "1"},
		{"ok - hello world", hex.EncodeToString([]byte("Hello World!")), "2NEpo7TZRRrLZSi2U"},
		{"ok - bitcoin address", "00eb15231dfceb60925886b67d065299925915aeb172c06647", "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L"},
		{"ok - leading zeros", "0000287fb4cd", "11233QC4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw, _ := hex.DecodeString(tt.hex)
			if got := base58Encode(raw); got != tt.encoded {
				t.Fatalf("encode = %q, want %q", got, tt.encoded)
			}
			back, err := base58Decode(tt.encoded)
			if err != nil || !bytes.Equal(back, raw) {
				t.Fatalf("decode = %x, %v; want %s", back, err, tt.hex)
			}
		})
	}
	t.Run("error - invalid characters", func(t *testing.T) {
		for _, s := range []string{"0", "O", "I", "l", "abc+"} {
			if _, err := base58Decode(s); err == nil {
				t.Fatalf("decode(%q) succeeded", s)
			}
		}
	})
}

func TestDecodeMultikey(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantErr error
		check   func(t *testing.T, pub crypto.PublicKey)
	}{
		// did:key specification test vectors.
		{"ok - Ed25519 vector", "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", nil, func(t *testing.T, pub crypto.PublicKey) {
			// The JWK "x" of the same key in the JsonWebKey2020 form of the example.
			const wantX = "Lm_M42cB3HkUiODQsXRcweM6TByfzEHGO9ND274JcOY"
			if got := base64.RawURLEncoding.EncodeToString(pub.(ed25519.PublicKey)); got != wantX {
				t.Fatalf("x = %s, want %s", got, wantX)
			}
		}},
		{"ok - P-256 vector", "zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169", nil, func(t *testing.T, pub crypto.PublicKey) {
			wantPoint(t, pub, "fyNYMN0976ci7xqiSdag3buk-ZCwgXU4kz9XNkBlNUI", "hW2ojTNfH7Jbi8--CJUo3OCbH3y5n91g-IMA9MLMbTU")
		}},
		{"ok - P-384 vector", "z82Lm1MpAkeJcix9K8TMiLd5NMAhnwkjjCBeWHXyu3U4oT2MVJJKXkcVBgjGhnLBn2Kaau9", nil, wantCurve2(elliptic.P384())},
		{"error - secp256k1", "zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme", ErrUnsupportedKeyType, nil},
		{"error - not base58btc", "u7QGV", errAny, nil},
		{"error - empty", "", errAny, nil},
		{"error - only prefix", "z", errAny, nil},
		{"error - short Ed25519", "z" + base58Encode([]byte{0xed, 0x01, 1, 2, 3}), errAny, nil},
		{"error - overlong varint", "z" + base58Encode(append([]byte{0xed, 0x81, 0x00}, make([]byte, 32)...)), errAny, nil},
		{"error - uncompressed P-256", "z" + base58Encode(append([]byte{0x80, 0x24, 0x04}, make([]byte, 64)...)), errAny, nil},
		{"error - P-256 not on curve", "z" + base58Encode(append([]byte{0x80, 0x24, 0x02}, bytes.Repeat([]byte{0xff}, 32)...)), errAny, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pub, err := DecodeMultikey(tt.in)
			if tt.wantErr != nil {
				if err == nil || (tt.wantErr != errAny && !errors.Is(err, tt.wantErr)) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("DecodeMultikey: %v", err)
			}
			tt.check(t, pub)
			again, err := EncodeMultikey(pub)
			if err != nil || again != tt.in {
				t.Fatalf("EncodeMultikey = %q, %v; want %q", again, err, tt.in)
			}
		})
	}
}

func TestEncodeMultikey_RoundTrip(t *testing.T) {
	edPub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		pub        crypto.PublicKey
		wantPrefix string
	}{
		{"ok - Ed25519", edPub, "z6Mk"},
		{"ok - P-256", mustECDSA(t, elliptic.P256()).Public(), "zDn"},
		{"ok - P-384", mustECDSA(t, elliptic.P384()).Public(), "z82"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := EncodeMultikey(tt.pub)
			if err != nil {
				t.Fatalf("EncodeMultikey: %v", err)
			}
			if s[:len(tt.wantPrefix)] != tt.wantPrefix {
				t.Fatalf("%q does not start with %q", s, tt.wantPrefix)
			}
			back, err := DecodeMultikey(s)
			if err != nil || !back.(interface{ Equal(crypto.PublicKey) bool }).Equal(tt.pub) {
				t.Fatalf("round trip failed: %v", err)
			}
		})
	}
	t.Run("error - P-521", func(t *testing.T) {
		if _, err := EncodeMultikey(mustECDSA(t, elliptic.P521()).Public()); !errors.Is(err, ErrUnsupportedKeyType) {
			t.Fatalf("err = %v", err)
		}
	})
}

func wantPoint(t *testing.T, pub crypto.PublicKey, x, y string) {
	t.Helper()
	k, ok := pub.(*ecdsa.PublicKey)
	if !ok {
		t.Fatalf("got %T", pub)
	}
	b, _ := k.Bytes()
	size := (len(b) - 1) / 2
	gotX := base64.RawURLEncoding.EncodeToString(b[1 : 1+size])
	gotY := base64.RawURLEncoding.EncodeToString(b[1+size:])
	if gotX != x || gotY != y {
		t.Fatalf("point = (%s, %s), want (%s, %s)", gotX, gotY, x, y)
	}
}

func wantCurve2(c elliptic.Curve) func(t *testing.T, pub crypto.PublicKey) {
	check := wantCurve(c)
	return func(t *testing.T, pub crypto.PublicKey) { check(t, pub) }
}
