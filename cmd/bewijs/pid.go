package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sociaaldomein/bewijs/internal/demo"
	"github.com/sociaaldomein/bewijs/internal/fixtures"
	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/issuer"
)

func newPIDCmd() *cobra.Command {
	var s settings
	cmd := &cobra.Command{Use: "pid", Short: "Test PIDs for pilots (login by disclosure)"}
	registerAdmin(&s, cmd.PersistentFlags())
	cmd.AddCommand(pidIssueCmd(&s))
	return cmd
}

// pidIssueCmd offers a test PID from the trust-anchor tenant to any wallet. Names and birth
// date default to the synthetic person of that BSN in the domain fixtures.
func pidIssueCmd(s *settings) *cobra.Command {
	var (
		in     issuer.PIDInput
		slug   string
		opts   issuer.CreateOptions
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "issue --bsn BSN [--given-name N --family-name N --birthdate YYYY-MM-DD] [--tenant SLUG] [--tx-code] [--json]",
		Short: "Offer a test PID from the trust anchor; the wallet receives it with `bewijs wallet receive`",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if in.BSN == "" {
				return usageError{errors.New("--bsn is required")}
			}
			if err := fillFromFixtures(&in); err != nil {
				return usageError{err}
			}
			return withApp(cmd, s, func(a *app) error {
				c, err := a.issuer.CreatePID(cmd.Context(), tenant.CLI, slug, in, opts)
				if err != nil {
					return err
				}
				if asJSON {
					return printJSON(cmd.OutOrStdout(), c)
				}
				return printOffer(cmd, c)
			})
		},
	}
	cmd.Flags().StringVar(&in.BSN, "bsn", "", "BSN of the (synthetic) person")
	cmd.Flags().StringVar(&in.GivenName, "given-name", "", "given name (default: from the fixtures)")
	cmd.Flags().StringVar(&in.FamilyName, "family-name", "", "family name (default: from the fixtures)")
	cmd.Flags().StringVar(&in.BirthDate, "birthdate", "", "birth date YYYY-MM-DD (default: from the fixtures)")
	cmd.Flags().StringVar(&slug, "tenant", demo.TrustAnchorSlug, "trust-anchor tenant that issues the PID")
	cmd.Flags().BoolVar(&opts.TxCode, "tx-code", false, "protect the offer with a transaction code")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the offer as JSON")
	return cmd
}

// fillFromFixtures completes a PID input from the synthetic person with that BSN.
func fillFromFixtures(in *issuer.PIDInput) error {
	if in.GivenName != "" && in.FamilyName != "" && in.BirthDate != "" {
		return nil
	}
	people, _, err := fixtures.Burgers()
	if err != nil {
		return err
	}
	for _, p := range people {
		if p.BSN != in.BSN {
			continue
		}
		family := strings.TrimSpace(p.Geslachtsnaam.Voorvoegsel + " " + p.Geslachtsnaam.Achternaam)
		in.GivenName, in.FamilyName, in.BirthDate = or(in.GivenName, p.Voornamen), or(in.FamilyName, family), or(in.BirthDate, p.Geboortedatum)
		return nil
	}
	return fmt.Errorf("BSN %s is not a synthetic person of the fixtures; give --given-name, --family-name and --birthdate", in.BSN)
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
