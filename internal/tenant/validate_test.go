package tenant_test

import (
	"errors"
	"testing"

	"github.com/sociaaldomein/bewijs/internal/tenant"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		in     tenant.NewTenant
		fields []string
	}{
		{"ok - gemeente", utrecht, nil},
		{"ok - aanbieder", tenant.NewTenant{Slug: "de-werkplaats", Name: "De Werkplaats", Kind: tenant.Aanbieder, Ids: tenant.Identifiers{AGB: "98000202", KvK: "69599068"}}, nil},
		{"ok - trust anchor", tenant.NewTenant{Slug: "ketenbureau", Name: "Ketenbureau", Kind: tenant.TrustAnchor}, nil},
		{"error - unknown kind", tenant.NewTenant{Slug: "x", Name: "X", Kind: "zorgkantoor"}, []string{"kind"}},
		{"error - invalid AGB", tenant.NewTenant{Slug: "x", Name: "X", Kind: tenant.Aanbieder, Ids: tenant.Identifiers{AGB: "1234"}}, []string{"agb"}},
		{"error - aanbieder without AGB", tenant.NewTenant{Slug: "x", Name: "X", Kind: tenant.Aanbieder}, []string{"agb"}},
		{"error - invalid gemeentecode", tenant.NewTenant{Slug: "x", Name: "X", Kind: tenant.Gemeente, Ids: tenant.Identifiers{Gemeentecode: "344"}}, []string{"gemeentecode"}},
		{"error - invalid KvK and OIN", tenant.NewTenant{Slug: "x", Name: "X", Kind: tenant.TrustAnchor, Ids: tenant.Identifiers{KvK: "123", OIN: "1"}}, []string{"kvk", "oin"}},
		{"error - AGB on a gemeente", tenant.NewTenant{Slug: "x", Name: "X", Kind: tenant.Gemeente, Ids: tenant.Identifiers{Gemeentecode: "0344", AGB: "98000101"}}, []string{"agb"}},
		{"error - bad slug and empty name", tenant.NewTenant{Slug: "Gemeente_Utrecht", Name: " ", Kind: tenant.TrustAnchor}, []string{"slug", "name"}},
		{"error - slug ends with hyphen", tenant.NewTenant{Slug: "utrecht-", Name: "U", Kind: tenant.TrustAnchor}, []string{"slug"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.in.Validate()
			if tt.fields == nil {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			var v *tenant.ValidationError
			if !errors.As(err, &v) {
				t.Fatalf("err = %v, want *ValidationError", err)
			}
			var got []string
			for _, f := range v.Fields {
				got = append(got, f.Field)
			}
			if len(got) != len(tt.fields) {
				t.Fatalf("invalid fields = %v, want %v", got, tt.fields)
			}
			for i := range got {
				if got[i] != tt.fields[i] {
					t.Fatalf("invalid fields = %v, want %v", got, tt.fields)
				}
			}
		})
	}
}
