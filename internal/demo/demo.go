// Package demo seeds the demo organisations of `bewijs serve --demo`: one trust anchor and
// the four gemeenten and four aanbieders of the embedded fixtures. Seeding is idempotent.
package demo

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/sociaaldomein/bewijs/internal/fixtures"
	"github.com/sociaaldomein/bewijs/internal/tenant"
)

// TrustAnchorSlug is the slug of the demo trust anchor.
const TrustAnchorSlug = "ketenbureau"

// Result says which demo organisations were created now and which already existed.
type Result struct {
	Created  []string
	Existing []string
}

// Organisations returns the demo organisations, trust anchor first.
func Organisations() ([]tenant.NewTenant, error) {
	gemeenten, err := fixtures.Gemeenten()
	if err != nil {
		return nil, err
	}
	aanbieders, err := fixtures.Aanbieders()
	if err != nil {
		return nil, err
	}
	out := []tenant.NewTenant{{Slug: TrustAnchorSlug, Name: "Ketenbureau i-Sociaal Domein (demo)", Kind: tenant.TrustAnchor}}
	for _, g := range gemeenten {
		out = append(out, tenant.NewTenant{
			Slug: "gemeente-" + strings.ToLower(g.Naam), Name: "Gemeente " + g.Naam, Kind: tenant.Gemeente,
			Ids: tenant.Identifiers{Gemeentecode: g.Gemeentecode, OIN: g.OIN},
		})
	}
	for _, a := range aanbieders {
		out = append(out, tenant.NewTenant{
			Slug: a.ID, Name: a.Naam, Kind: tenant.Aanbieder,
			Ids: tenant.Identifiers{AGB: a.AGBCode, KvK: a.KvKNummer},
		})
	}
	return out, nil
}

// Seed creates every demo organisation that does not exist yet. The API keys made on the
// way are not returned: an operator issues keys with `bewijs tenant api-key`.
func Seed(ctx context.Context, svc *tenant.Service) (Result, error) {
	orgs, err := Organisations()
	if err != nil {
		return Result{}, err
	}
	var res Result
	for _, n := range orgs {
		_, err := svc.Get(ctx, tenant.CLI, n.Slug)
		switch {
		case err == nil:
			res.Existing = append(res.Existing, n.Slug)
			continue
		case !errors.Is(err, tenant.ErrNotFound):
			return res, err
		}
		if _, err := svc.Create(ctx, tenant.CLI, n); err != nil && !errors.Is(err, tenant.ErrConflict) {
			return res, fmt.Errorf("demo: create %s: %w", n.Slug, err)
		}
		res.Created = append(res.Created, n.Slug)
	}
	return res, nil
}
