package api_test

import (
	"crypto/x509"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/internal/jose"
	"github.com/sociaaldomein/bewijs/internal/pki"
	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
	"github.com/sociaaldomein/bewijs/wallet"
)

// A gemeente with an X.509 certificate from the pilot CA signs its credentials and status
// list tokens with x5c as well as kid: the same key, anchored by DID and by X.509 (HAIP, NL
// public wallet).
func TestCredentialCarriesX5c(t *testing.T) {
	s, key := issuanceServer(t, migrationstest.Engines()[0])
	ctx := t.Context()
	caCert, err := s.CA.Init(ctx, pki.InitRequest{Actor: "test", CommonName: "bewijs pilot CA (test)", Validity: 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Certs.Issue(ctx, tenant.CLI, "gemeente-amsterdam"); err != nil {
		t.Fatal(err)
	}
	c := s.createBeschikking(t, key, "01-wmo-hbh-minuten-per-week.json", "")
	creds, _, err := s.wallet().Receive(ctx, c.OfferLink, wallet.ReceiveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	issuerJWT := strings.SplitN(creds[0].Raw, "~", 2)[0]
	hdr, err := jose.ParseHeader(issuerJWT)
	if err != nil {
		t.Fatal(err)
	}
	leaf := verifyX5c(t, hdr.X5c, caCert)
	// The certified key is the key the DID document names for kid.
	id, _, _ := did.ParseDIDURL(hdr.Kid)
	doc, err := s.Resolver.Resolve(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	didKey, err := doc.Key(hdr.Kid, did.AssertionMethod)
	if err != nil {
		t.Fatal(err)
	}
	if tp1, _ := jose.Thumbprint(didKey); tp1 != mustThumbprint(t, leaf.PublicKey) {
		t.Fatal("x5c leaf certifies another key than the DID kid")
	}
	if _, _, err := jose.Verify(issuerJWT, leaf.PublicKey); err != nil {
		t.Fatalf("credential does not verify with the x5c leaf key: %v", err)
	}

	res := s.do(t, http.MethodGet, strings.TrimPrefix(creds[0].StatusURI, s.URL), "", "", nil)
	shdr, err := jose.ParseHeader(string(res.Body))
	if err != nil {
		t.Fatal(err)
	}
	verifyX5c(t, shdr.X5c, caCert)
}

func verifyX5c(t *testing.T, x5c []string, ca *x509.Certificate) *x509.Certificate {
	t.Helper()
	if len(x5c) == 0 {
		t.Fatal("no x5c header")
	}
	var chain [][]byte
	for _, c := range x5c {
		der, err := base64.StdEncoding.DecodeString(c)
		if err != nil {
			t.Fatalf("x5c entry is not base64 DER: %v", err)
		}
		chain = append(chain, der)
	}
	roots := x509.NewCertPool()
	roots.AddCert(ca)
	leaf, err := pki.VerifyChain(chain, roots, time.Now())
	if err != nil {
		t.Fatalf("x5c does not chain to the pilot CA: %v", err)
	}
	return leaf
}

func mustThumbprint(t *testing.T, pub any) string {
	t.Helper()
	tp, err := jose.Thumbprint(pub)
	if err != nil {
		t.Fatal(err)
	}
	return tp
}
