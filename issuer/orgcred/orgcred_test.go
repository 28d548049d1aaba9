package orgcred_test

import (
	"context"
	"crypto"
	"strings"
	"testing"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/internal/demo"
	"github.com/sociaaldomein/bewijs/internal/fixtures"
	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/internal/tenant/tenanttest"
	"github.com/sociaaldomein/bewijs/internal/w3cvc"
	"github.com/sociaaldomein/bewijs/issuer/orgcred"
	"github.com/sociaaldomein/bewijs/issuer/orgcred/store"
	"github.com/sociaaldomein/bewijs/issuer/toewijzing"
	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
)

// On both engines: the trust anchor issues a zorgaanbieder role, a gemeente issues the
// zorgtoewijzing of a beschikking naming the aanbieder; both land in the aanbieder's wallet
// and verify against the issuers' DID documents; revoking the beschikking revokes the
// zorgtoewijzing in the gemeente's Bitstring Status List.
func TestRoleAndZorgtoewijzing(t *testing.T) {
	for _, e := range migrationstest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			env := tenanttest.New(t, e.Open(t), "https://bewijs.example")
			if _, err := demo.Seed(t.Context(), env.Service); err != nil {
				t.Fatal(err)
			}
			svc, err := orgcred.New(orgcred.Options{Store: store.New(env.DB.Gorm), Tenants: env.Service, Audit: env.AuditLog,
				PseudonymKey: env.Master.Derive("orgcred/pseudonym")})
			if err != nil {
				t.Fatal(err)
			}
			ctx := t.Context()
			role, err := svc.IssueRole(ctx, tenant.CLI, demo.TrustAnchorSlug, orgcred.RoleInput{Subject: "thuiszorg-de-linde", Wetten: []string{"Wmo2015"}})
			if err != nil || !role.Delivered {
				t.Fatalf("role: %+v %v", role, err)
			}
			if _, err := svc.IssueRole(ctx, tenant.CLI, "gemeente-amsterdam", orgcred.RoleInput{Subject: "thuiszorg-de-linde"}); err == nil {
				t.Fatal("a gemeente issued a role")
			}
			vc := parse(t, env, role.Credential)
			if vc.Issuer != env.Service.DID(demo.TrustAnchorSlug) || vc.Subject != env.Service.DID("thuiszorg-de-linde") ||
				vc.Claims["role"] != "zorgaanbieder" || vc.Claims["agb"] != "98000101" || vc.Status == nil {
				t.Fatalf("role credential = %+v", vc)
			}

			raw, _ := fixtures.Toewijzing("01-wmo-hbh-minuten-per-week.json")
			doc, err := toewijzing.Parse(raw)
			if err != nil {
				t.Fatal(err)
			}
			issued, err := svc.IssueForBeschikking(ctx, "gemeente-amsterdam", "", "2026-0001", doc, nil)
			if err != nil || len(issued) != 1 {
				t.Fatalf("zorgtoewijzing: %+v %v", issued, err)
			}
			z := parse(t, env, issued[0].Credential)
			if strings.Contains(issued[0].Credential, "999991772") || z.Claims["client"] == "" || z.Claims["toewijzingnummer"] != float64(36300101) {
				t.Fatalf("zorgtoewijzing claims = %v", z.Claims)
			}
			wallet, err := svc.Wallet(ctx, tenant.CLI, "thuiszorg-de-linde")
			if err != nil || len(wallet) != 2 {
				t.Fatalf("wallet: %d %v", len(wallet), err)
			}

			if revoked(t, env, svc, z) {
				t.Fatal("revoked before revocation")
			}
			if err := svc.Revoke(ctx, tenant.CLI, "gemeente-amsterdam", z.ID, "beschikking ingetrokken"); err != nil {
				t.Fatal(err)
			}
			if !revoked(t, env, svc, z) {
				t.Fatal("not revoked in the status list")
			}
		})
	}
}

// parse verifies a JWT VC with the keys of the issuer's DID document.
func parse(t *testing.T, env tenanttest.Env, jwt string) w3cvc.Credential {
	t.Helper()
	c, err := w3cvc.ParseJWT(t.Context(), jwt, w3cvc.VerifyOptions{Key: keyOf(env)})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func keyOf(env tenanttest.Env) func(context.Context, string) (crypto.PublicKey, error) {
	return func(ctx context.Context, kid string) (crypto.PublicKey, error) {
		id, _, _ := strings.Cut(kid, "#")
		slug := id[strings.LastIndex(id, ":")+1:]
		doc, err := env.Service.DIDDocument(ctx, slug)
		if err != nil {
			return nil, err
		}
		return doc.Key(kid, did.AssertionMethod)
	}
}

// revoked reads c's entry in its issuer's status list credential.
func revoked(t *testing.T, env tenanttest.Env, svc *orgcred.Service, c w3cvc.Credential) bool {
	t.Helper()
	slug := c.Issuer[strings.LastIndex(c.Issuer, ":")+1:]
	jwt, err := svc.StatusList(t.Context(), slug, "1")
	if err != nil {
		t.Fatal(err)
	}
	list := parse(t, env, jwt)
	set, err := w3cvc.StatusBit(list, w3cvc.PurposeRevocation, c.Status.Index, orgcred.ListSize/8)
	if err != nil {
		t.Fatal(err)
	}
	return set
}
