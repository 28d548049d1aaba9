package orgcred_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/sociaaldomein/bewijs/did"
	auditstore "github.com/sociaaldomein/bewijs/internal/audit/store"
	"github.com/sociaaldomein/bewijs/internal/demo"
	"github.com/sociaaldomein/bewijs/internal/jose"
	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/internal/tenant/tenanttest"
	"github.com/sociaaldomein/bewijs/internal/w3cvc"
	"github.com/sociaaldomein/bewijs/issuer/orgcred"
	"github.com/sociaaldomein/bewijs/issuer/orgcred/store"
	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
)

const linde = "thuiszorg-de-linde"

// envResolver resolves the did:web DIDs of the test instance from its own tenants, as a
// did:web resolver would from their did.json.
type envResolver struct{ env tenanttest.Env }

func (r envResolver) Resolve(ctx context.Context, id string) (did.Document, error) {
	return r.env.Service.DIDDocument(ctx, id[strings.LastIndex(id, ":")+1:])
}

// issuerStub stands in for the OpenID4VCI exchange (wallet.Client.ReceiveAs, tested in
// package wallet): it records the holder key and hands over the credentials of the offer.
type issuerStub struct {
	creds  []string
	err    error // the exchange fails after the credentials
	holder jose.Signer
}

func (s *issuerStub) ReceiveAs(ctx context.Context, _ string, holder jose.Signer, accept func(context.Context, string) error) error {
	s.holder = holder
	for _, c := range s.creds {
		if err := accept(ctx, c); err != nil {
			return err
		}
	}
	return s.err
}

// zorgtoewijzing signs a Zorgtoewijzing of gemeente-amsterdam for subject's DID.
func zorgtoewijzing(t *testing.T, env tenanttest.Env, subject string) string {
	t.Helper()
	signer, err := env.Service.Signer(t.Context(), "gemeente-amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	c := w3cvc.Credential{ID: "urn:uuid:" + uuid.NewString(), Types: []string{orgcred.TypeZorgtoewijzing}, Issuer: env.Service.DID("gemeente-amsterdam"),
		Subject: env.Service.DID(subject), ValidFrom: time.Now(), Claims: map[string]any{"toewijzingnummer": 1}}
	jwt, err := w3cvc.SignJWT(c, signer)
	if err != nil {
		t.Fatal(err)
	}
	return jwt
}

func TestReceive(t *testing.T) {
	for _, e := range migrationstest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			env := tenanttest.New(t, e.Open(t), "https://bewijs.example")
			if _, err := demo.Seed(t.Context(), env.Service); err != nil {
				t.Fatal(err)
			}
			svc := newReceiver(t, env, envResolver{env})
			ok := zorgtoewijzing(t, env, linde)
			parts := strings.Split(zorgtoewijzing(t, env, linde), ".")
			tampered := parts[0] + "." + strings.Split(ok, ".")[1] + "." + parts[2]
			amsterdam, _ := env.Service.Lookup(t.Context(), "gemeente-amsterdam")
			tests := []struct {
				name    string
				svc     *orgcred.Service
				actor   tenant.Principal
				slug    string
				creds   []string
				fail    error
				want    int // new wallet entries
				wantErr string
			}{
				{"ok", svc, tenant.Principal{}, linde, []string{ok}, nil, 1, ""},
				{"ok - already received", svc, tenant.CLI, linde, []string{ok}, nil, 0, ""},
				{"error - issuer fails", svc, tenant.Principal{}, linde, nil, errors.New("issuer answered 400"), 0, "redeem credential offer"},
				{"error - subject is another organisation", svc, tenant.Principal{}, linde, []string{zorgtoewijzing(t, env, "gemeente-utrecht")}, nil, 0, "subject"},
				{"error - signature does not verify", svc, tenant.Principal{}, linde, []string{tampered}, nil, 0, "signature"},
				{"error - not a JWT VC", svc, tenant.Principal{}, linde, []string{"eyJ.x~"}, nil, 0, "credential"},
				{"error - trust anchor has no wallet for this", svc, tenant.Principal{}, demo.TrustAnchorSlug, nil, nil, 0, "aanbieder"},
				{"error - API key of another organisation", svc, tenant.Principal{TenantID: amsterdam.ID, Slug: amsterdam.Slug, KeyID: "k"}, linde, nil, nil, 0, tenant.ErrForbidden.Error()},
				{"error - no resolver", newReceiver(t, env, nil), tenant.Principal{}, linde, []string{ok}, nil, 0, orgcred.ErrReceiveDisabled.Error()},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					client := &issuerStub{creds: tt.creds, err: tt.fail}
					got, err := tt.svc.Receive(t.Context(), tt.actor, tt.slug, "openid-credential-offer://?credential_offer_uri=x", client)
					if tt.wantErr != "" {
						if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
							t.Fatalf("err = %v, want one about %q", err, tt.wantErr)
						}
					} else if err != nil {
						t.Fatal(err)
					}
					var oe *orgcred.OfferError
					if tt.fail != nil && !errors.As(err, &oe) {
						t.Fatalf("err = %T, want *orgcred.OfferError", err)
					}
					if len(got) != tt.want {
						t.Fatalf("new entries = %+v, want %d", got, tt.want)
					}
					if tt.creds != nil && tt.wantErr == "" && !strings.HasPrefix(client.holder.KeyID, env.Service.DID(linde)+"#") {
						t.Fatalf("proofs signed with %q, not a key of the aanbieder's DID", client.holder.KeyID)
					}
				})
			}

			wallet, err := svc.Wallet(t.Context(), tenant.CLI, linde)
			if err != nil || len(wallet) != 1 || wallet[0].Credential != ok || wallet[0].Type != orgcred.TypeZorgtoewijzing ||
				wallet[0].Issuer != env.Service.DID("gemeente-amsterdam") {
				t.Fatalf("wallet = %+v, %v; want the one zorgtoewijzing", wallet, err)
			}
			events, _ := env.Audit.List(t.Context(), auditstore.Filter{Action: "orgcred.receive"})
			if len(events) < 2 {
				t.Fatalf("audit events = %+v", events)
			}
		})
	}
}

func newReceiver(t *testing.T, env tenanttest.Env, r did.Resolver) *orgcred.Service {
	t.Helper()
	svc, err := orgcred.New(orgcred.Options{Store: store.New(env.DB.Gorm), Tenants: env.Service, Audit: env.AuditLog,
		PseudonymKey: env.Master.Derive("orgcred/pseudonym"), Resolver: r})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}
