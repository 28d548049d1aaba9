package main

import (
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/sociaaldomein/bewijs/internal/tenant"
)

func newTenantCmd() *cobra.Command {
	var s settings
	cmd := &cobra.Command{Use: "tenant", Short: "Manage organisations (gemeenten, aanbieders, trust anchors)"}
	registerAdmin(&s, cmd.PersistentFlags())
	cmd.AddCommand(tenantCertCmd(&s), tenantCreateCmd(&s), tenantListCmd(&s), tenantRotateKeyCmd(&s), tenantAPIKeyCmd(&s),
		tenantKeysCmd(&s), tenantRemoveKeyCmd(&s))
	return cmd
}

func tenantCreateCmd(s *settings) *cobra.Command {
	var (
		n      tenant.NewTenant
		kind   string
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "create --slug SLUG --name NAME --kind KIND [--gemeentecode|--agb|--kvk|--oin]",
		Short: "Create an organisation with a did:web, a signing key and an API key",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			n.Kind = tenant.Kind(kind)
			return withApp(cmd, s, func(a *app) error {
				created, err := a.tenants.Create(cmd.Context(), tenant.CLI, n)
				if err != nil {
					return err
				}
				if asJSON {
					return printJSON(cmd.OutOrStdout(), created)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "created %s (%s)\ndid: %s\ndid document: %s\n", created.Slug, created.Kind, created.DID, created.DIDDocumentURL)
				printAPIKey(cmd.OutOrStdout(), created.APIKey)
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&n.Slug, "slug", "", "short name used in the DID and URLs, e.g. gemeente-utrecht")
	f.StringVar(&n.Name, "name", "", "display name")
	f.StringVar(&kind, "kind", "", "gemeente, aanbieder or trust-anchor")
	f.StringVar(&n.Ids.Gemeentecode, "gemeentecode", "", "CBS gemeentecode, 4 digits (gemeente)")
	f.StringVar(&n.Ids.AGB, "agb", "", "AGB-code, 8 digits (aanbieder)")
	f.StringVar(&n.Ids.KvK, "kvk", "", "KvK-nummer, 8 digits")
	f.StringVar(&n.Ids.OIN, "oin", "", "OIN, 20 digits")
	f.BoolVar(&asJSON, "json", false, "print JSON (with the API's field names)")
	return cmd
}

func tenantListCmd(s *settings) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use: "list", Short: "List organisations", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withApp(cmd, s, func(a *app) error {
				list, err := a.tenants.List(cmd.Context(), tenant.CLI)
				if err != nil {
					return err
				}
				if asJSON {
					return printJSON(cmd.OutOrStdout(), list)
				}
				w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 2, 2, ' ', 0)
				fmt.Fprintln(w, "SLUG\tKIND\tNAME\tIDENTIFIERS\tDID")
				for _, t := range list {
					fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", t.Slug, t.Kind, t.Name, identifiers(t), t.DID)
				}
				return w.Flush()
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON: slug, name, kind, did, did_document_url and identifiers")
	return cmd
}

func identifiers(t tenant.View) string {
	var parts []string
	for _, kv := range [][2]string{{"gemeentecode", t.Gemeentecode}, {"agb", t.AGB}, {"kvk", t.KvK}, {"oin", t.OIN}} {
		if kv[1] != "" {
			parts = append(parts, kv[0]+"="+kv[1])
		}
	}
	return strings.Join(parts, " ")
}

func requireSlug(slug string) error {
	if slug == "" {
		return usageError{errors.New("--slug is required")}
	}
	return nil
}

func tenantRotateKeyCmd(s *settings) *cobra.Command {
	var (
		slug   string
		asJSON bool
	)
	cmd := &cobra.Command{
		Use: "rotate-key --slug SLUG", Short: "Add a new signing key; old keys keep verifying until removed", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := requireSlug(slug); err != nil {
				return err
			}
			return withApp(cmd, s, func(a *app) error {
				k, err := a.tenants.RotateKey(cmd.Context(), tenant.CLI, slug)
				if err != nil {
					return err
				}
				if asJSON {
					return printJSON(cmd.OutOrStdout(), k)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "new active key %s\n", k.KeyID)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&slug, "slug", "", "organisation slug")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func tenantKeysCmd(s *settings) *cobra.Command {
	var (
		slug   string
		asJSON bool
	)
	cmd := &cobra.Command{
		Use: "keys --slug SLUG", Short: "List an organisation's signing keys", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := requireSlug(slug); err != nil {
				return err
			}
			return withApp(cmd, s, func(a *app) error {
				list, err := a.tenants.Keys(cmd.Context(), tenant.CLI, slug)
				if err != nil {
					return err
				}
				if asJSON {
					return printJSON(cmd.OutOrStdout(), list)
				}
				for _, k := range list {
					state := ""
					if k.Active {
						state = " (active)"
					}
					fmt.Fprintf(cmd.OutOrStdout(), "%s %s %s%s\n", k.KID, k.Alg, k.CreatedAt.Format("2006-01-02T15:04:05Z"), state)
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&slug, "slug", "", "organisation slug")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func tenantRemoveKeyCmd(s *settings) *cobra.Command {
	var slug, kid string
	cmd := &cobra.Command{
		Use: "remove-key --slug SLUG --kid KID", Short: "Remove a non-active key from the DID document", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := requireSlug(slug); err != nil {
				return err
			}
			if kid == "" {
				return usageError{errors.New("--kid is required")}
			}
			return withApp(cmd, s, func(a *app) error {
				if err := a.tenants.RemoveKey(cmd.Context(), tenant.CLI, slug, kid); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "removed key %s of %s\n", kid, slug)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&slug, "slug", "", "organisation slug")
	cmd.Flags().StringVar(&kid, "kid", "", "key id (JWK thumbprint) from `bewijs tenant keys`")
	return cmd
}

func tenantAPIKeyCmd(s *settings) *cobra.Command {
	var (
		slug         string
		revokeOthers bool
		asJSON       bool
	)
	cmd := &cobra.Command{
		Use: "api-key --slug SLUG [--revoke-others]", Short: "Issue an API key for an organisation (shown once)", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := requireSlug(slug); err != nil {
				return err
			}
			return withApp(cmd, s, func(a *app) error {
				key, err := a.tenants.NewAPIKey(cmd.Context(), tenant.CLI, slug, revokeOthers)
				if err != nil {
					return err
				}
				if asJSON {
					return printJSON(cmd.OutOrStdout(), map[string]string{"slug": slug, "api_key": key})
				}
				printAPIKey(cmd.OutOrStdout(), key)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&slug, "slug", "", "organisation slug")
	cmd.Flags().BoolVar(&revokeOthers, "revoke-others", false, "revoke every other API key of this organisation")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON (field api_key)")
	return cmd
}
