package pki_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"slices"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/internal/audit"
	"github.com/sociaaldomein/bewijs/internal/pki"
	"github.com/sociaaldomein/bewijs/internal/pki/pkitest"
)

type auditSpy struct{ events []audit.Event }

func (a *auditSpy) Record(_ context.Context, e audit.Event) error {
	a.events = append(a.events, e)
	return nil
}

func newAuthority(t *testing.T, now func() time.Time) (*pki.Authority, *auditSpy) {
	t.Helper()
	spy := &auditSpy{}
	return pki.NewAuthority(pki.AuthorityOptions{Store: &pkitest.MemStore{}, Keys: pkitest.Keys(t), Audit: spy, Now: now}), spy
}

func TestInit(t *testing.T) {
	ctx := context.Background()
	start := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	ca, spy := newAuthority(t, func() time.Time { return start })

	cert, err := ca.Init(ctx, pki.InitRequest{Actor: "cli", CommonName: pki.PilotCAName("bewijs.example")})
	if err != nil {
		t.Fatal(err)
	}
	pub, ok := cert.PublicKey.(*ecdsa.PublicKey)
	switch {
	case !ok || pub.Curve != elliptic.P256():
		t.Errorf("CA key = %T, want ECDSA P-256", cert.PublicKey)
	case cert.Subject.CommonName != "bewijs pilot CA (bewijs.example)":
		t.Errorf("CN = %q", cert.Subject.CommonName)
	case !cert.IsCA || !cert.BasicConstraintsValid || cert.MaxPathLen != 0 || !cert.MaxPathLenZero:
		t.Errorf("basicConstraints: CA %v valid %v pathlen %d", cert.IsCA, cert.BasicConstraintsValid, cert.MaxPathLen)
	case cert.KeyUsage != x509.KeyUsageCertSign|x509.KeyUsageCRLSign:
		t.Errorf("keyUsage = %v", cert.KeyUsage)
	case cert.CheckSignatureFrom(cert) != nil:
		t.Error("the CA is not self-signed")
	case !cert.NotAfter.Equal(start.Add(pki.DefaultCAValidity)):
		t.Errorf("notAfter = %v", cert.NotAfter)
	}
	got, err := ca.Certificate(ctx)
	if err != nil || !got.Equal(cert) {
		t.Fatalf("Certificate = %v, %v", got, err)
	}

	_, err = ca.Init(ctx, pki.InitRequest{Actor: "cli", CommonName: "again"})
	if !pki.IsReason(err, pki.ReasonCAExists) {
		t.Fatalf("second Init: err = %v, want ca_exists", err)
	}
	outcomes := []string{}
	for _, e := range spy.events {
		if e.Action == "pki.init" {
			outcomes = append(outcomes, e.Outcome)
		}
	}
	if !slices.Equal(outcomes, []string{audit.Success, audit.Denied}) {
		t.Fatalf("audit outcomes = %v", outcomes)
	}
}

func TestIssue(t *testing.T) {
	ctx := context.Background()
	start := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	now := start
	ca, _ := newAuthority(t, func() time.Time { return now })
	key := pkitest.NewKey(t)
	req := pki.LeafRequest{
		PublicKey: key.Public(),
		Subject:   pki.Subject{CommonName: "Zorg BV", Organization: "Zorg BV", Country: "NL", OrganizationIdentifier: pki.OrganizationIdentifierKvK("12345678")},
		Hosts:     []string{"bewijs.example", "127.0.0.1"},
		URIs:      []string{"did:web:bewijs.example:o:zorg", "https://bewijs.example/o/zorg"},
	}
	if _, err := ca.Issue(ctx, req); !pki.IsReason(err, pki.ReasonNoCA) {
		t.Fatalf("Issue without CA: err = %v, want no_ca", err)
	}
	caCert, err := ca.Init(ctx, pki.InitRequest{Actor: "cli", CommonName: "test CA", Validity: 400 * 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name         string
		at           time.Time
		req          pki.LeafRequest
		wantNotAfter time.Time
		want         pki.Reason
	}{
		{"ok - a year", start, req, start.Add(pki.DefaultLeafValidity), ""},
		{"ok - capped at the CA's notAfter", start.Add(100 * 24 * time.Hour), req, caCert.NotAfter, ""},
		{"error - CA expired", caCert.NotAfter.Add(time.Second), req, time.Time{}, pki.ReasonNoCA},
		{"error - no key", start, pki.LeafRequest{Subject: req.Subject}, time.Time{}, pki.ReasonInvalidInput},
		{"error - no common name", start, pki.LeafRequest{PublicKey: key.Public()}, time.Time{}, pki.ReasonInvalidInput},
		{"error - relative URI", start, pki.LeafRequest{PublicKey: key.Public(), Subject: req.Subject, URIs: []string{"o/zorg"}}, time.Time{}, pki.ReasonInvalidInput},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now = tt.at
			chain, err := ca.Issue(ctx, tt.req)
			if tt.want != "" {
				if !pki.IsReason(err, tt.want) {
					t.Fatalf("err = %v, want %s", err, tt.want)
				}
				return
			}
			if err != nil || len(chain) != 1 {
				t.Fatalf("Issue = %d certificates, %v; want the leaf alone", len(chain), err)
			}
			leaf, err := pki.VerifyChain(chain, pool(caCert), tt.at)
			if err != nil {
				t.Fatal(err)
			}
			checkLeaf(t, leaf, key.Public(), tt.wantNotAfter)
		})
	}
}

func checkLeaf(t *testing.T, leaf *x509.Certificate, want any, notAfter time.Time) {
	t.Helper()
	if !leaf.PublicKey.(*ecdsa.PublicKey).Equal(want) {
		t.Error("the leaf certifies another key")
	}
	if got := pki.DistinguishedName(leaf.Subject); got != "organizationIdentifier=NTRNL-12345678,CN=Zorg BV,O=Zorg BV,C=NL" {
		t.Errorf("subject = %s", got)
	}
	if !slices.Equal(leaf.DNSNames, []string{"bewijs.example"}) || len(leaf.IPAddresses) != 1 || len(leaf.URIs) != 2 ||
		leaf.URIs[0].String() != "did:web:bewijs.example:o:zorg" || leaf.URIs[1].String() != "https://bewijs.example/o/zorg" {
		t.Errorf("SANs: DNS %v IP %v URI %v", leaf.DNSNames, leaf.IPAddresses, leaf.URIs)
	}
	if leaf.KeyUsage != x509.KeyUsageDigitalSignature || leaf.IsCA || len(leaf.SubjectKeyId) != 20 {
		t.Errorf("keyUsage %v, CA %v, SKI %x", leaf.KeyUsage, leaf.IsCA, leaf.SubjectKeyId)
	}
	if !leaf.NotAfter.Equal(notAfter) {
		t.Errorf("notAfter = %v, want %v", leaf.NotAfter, notAfter)
	}
}

func pool(c *x509.Certificate) *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(c)
	return p
}
