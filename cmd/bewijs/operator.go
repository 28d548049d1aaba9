package main

import (
	"github.com/spf13/cobra"

	"github.com/sociaaldomein/bewijs/internal/tenant"
)

func newOperatorCmd() *cobra.Command {
	var s settings
	cmd := &cobra.Command{Use: "operator", Short: "Manage operator access to the admin API"}
	registerAdmin(&s, cmd.PersistentFlags())
	var revokeOthers, asJSON bool
	key := &cobra.Command{
		Use: "api-key [--revoke-others]", Short: "Issue an operator API key (shown once); it may manage every organisation", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withApp(cmd, &s, func(a *app) error {
				k, err := a.tenants.NewOperatorAPIKey(cmd.Context(), tenant.CLI, revokeOthers)
				if err != nil {
					return err
				}
				if asJSON {
					return printJSON(cmd.OutOrStdout(), map[string]string{"api_key": k})
				}
				printAPIKey(cmd.OutOrStdout(), k)
				return nil
			})
		},
	}
	key.Flags().BoolVar(&revokeOthers, "revoke-others", false, "revoke every other operator API key")
	key.Flags().BoolVar(&asJSON, "json", false, "print JSON (field api_key)")
	cmd.AddCommand(key)
	return cmd
}
