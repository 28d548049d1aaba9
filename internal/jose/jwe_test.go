package jose_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"testing"

	"github.com/sociaaldomein/bewijs/internal/jose"
)

func TestJWERoundTrip(t *testing.T) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	for _, enc := range []string{jose.EncA128GCM, jose.EncA256GCM} {
		t.Run("ok - "+enc, func(t *testing.T) {
			c, err := jose.EncryptECDHES([]byte(`{"a":1}`), &key.PublicKey, "k1", enc)
			if err != nil {
				t.Fatal(err)
			}
			got, h, err := jose.DecryptECDHES(c, key, []string{jose.EncA128GCM, jose.EncA256GCM})
			if err != nil || string(got) != `{"a":1}` || h.Kid != "k1" || h.Enc != enc || h.Alg != "ECDH-ES" {
				t.Fatalf("got %q %+v %v", got, h, err)
			}
		})
	}
	c, err := jose.EncryptECDHES([]byte("x"), &key.PublicKey, "k1", jose.EncA256GCM)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		jwe  string
		key  *ecdsa.PrivateKey
		encs []string
	}{
		{"error - other key", c, other, []string{jose.EncA256GCM}},
		{"error - enc not allowed", c, key, []string{jose.EncA128GCM}},
		{"error - not a JWE", "a.b.c", key, []string{jose.EncA256GCM}},
		{"error - tampered", c[:len(c)-3] + "AAA", key, []string{jose.EncA256GCM}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, err := jose.DecryptECDHES(tc.jwe, tc.key, tc.encs); !errors.Is(err, jose.ErrDecrypt) {
				t.Fatalf("err = %v, want ErrDecrypt", err)
			}
		})
	}
	if _, err := jose.EncryptECDHES([]byte("x"), &p384.PublicKey, "", jose.EncA128GCM); !errors.Is(err, jose.ErrAlgorithm) {
		t.Errorf("P-384: %v", err)
	}
	if _, err := jose.EncryptECDHES([]byte("x"), &key.PublicKey, "", "A128CBC-HS256"); !errors.Is(err, jose.ErrAlgorithm) {
		t.Errorf("CBC: %v", err)
	}
}
