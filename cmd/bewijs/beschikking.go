package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/skip2/go-qrcode"
	"github.com/spf13/cobra"

	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/issuer"
)

func newBeschikkingCmd() *cobra.Command {
	var s settings
	cmd := &cobra.Command{Use: "beschikking", Short: "Offer beschikkingen to citizens' wallets and revoke them"}
	registerAdmin(&s, cmd.PersistentFlags())
	cmd.AddCommand(beschikkingCreateCmd(&s), beschikkingShowCmd(&s), beschikkingRedeliverCmd(&s))
	for _, change := range []issuer.StatusChange{issuer.Revoke, issuer.Suspend, issuer.Reinstate} {
		cmd.AddCommand(beschikkingChangeCmd(&s, change))
	}
	return cmd
}

func beschikkingCreateCmd(s *settings) *cobra.Command {
	var (
		slug, file     string
		txCode, asJSON bool
	)
	cmd := &cobra.Command{
		Use: "create --tenant SLUG --file F.json [--tx-code] [--json]", Short: "Offer the credentials of a toewijzing document", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if slug == "" || file == "" {
				return usageError{errors.New("--tenant and --file are required")}
			}
			doc, err := os.ReadFile(file)
			if err != nil {
				return usageError{err}
			}
			return withApp(cmd, s, func(a *app) error {
				created, err := a.issuer.CreateBeschikking(cmd.Context(), tenant.CLI, slug, doc, issuer.CreateOptions{TxCode: txCode})
				if err != nil {
					return err
				}
				if asJSON {
					return printJSON(cmd.OutOrStdout(), created)
				}
				return printOffer(cmd, created)
			})
		},
	}
	cmd.Flags().StringVar(&slug, "tenant", "", "slug of the issuing gemeente")
	cmd.Flags().StringVar(&file, "file", "", "toewijzing document (JSON, the shape of the domain fixtures)")
	cmd.Flags().BoolVar(&txCode, "tx-code", false, "protect the offer with a transaction code")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON with the API's fields")
	return cmd
}

func printOffer(cmd *cobra.Command, c issuer.Created) error {
	out := cmd.OutOrStdout()
	qr, err := qrcode.New(c.OfferLink, qrcode.Medium)
	if err != nil {
		return err
	}
	fmt.Fprint(out, qr.ToSmallString(false))
	fmt.Fprintf(out, "beschikking %s (%s), %d credential(s), offer valid until %s\n", c.ID, c.Beschikkingnummer, len(c.Credentials), c.ExpiresAt.Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(out, "offer page:  %s\nwallet link: %s\n", c.OfferPageURL, c.OfferLink)
	if c.TxCode != "" {
		fmt.Fprintf(out, "tx code (give it to the citizen separately): %s\n", c.TxCode)
	}
	if d := c.ZorgtoewijzingDelivery; d != nil {
		fmt.Fprintln(out, deliveryLine(*d))
	}
	return nil
}

// deliveryLine says how the zorgtoewijzing offer to an aanbieder on another instance stands.
func deliveryLine(d issuer.DeliveryView) string {
	const at = "2006-01-02 15:04:05 MST"
	line := "zorgtoewijzing offer to " + d.Aanbieder + ": " + d.State
	switch {
	case d.DeliveredAt != nil:
		line += " " + d.DeliveredAt.Local().Format(at)
	case d.NextAttempt != nil:
		line += fmt.Sprintf(", attempt %d failed (%s), next attempt %s", d.Attempts, d.LastError, d.NextAttempt.Local().Format(at))
	default:
		line += fmt.Sprintf(" after %d attempts (%s): the offer expires first", d.Attempts, d.LastError)
	}
	return line
}

func beschikkingShowCmd(s *settings) *cobra.Command {
	return beschikkingViewCmd(s, "show ID [--json]", "Show a beschikking's state", func(ctx context.Context, a *app, id string) (issuer.View, error) {
		return a.issuer.Beschikking(ctx, tenant.CLI, "", id)
	})
}

func beschikkingRedeliverCmd(s *settings) *cobra.Command {
	return beschikkingViewCmd(s, "redeliver ID [--json]", "Send a beschikking's zorgtoewijzing offer to its aanbieder on another instance again, now",
		func(ctx context.Context, a *app, id string) (issuer.View, error) {
			return a.issuer.RedeliverZorgtoewijzing(ctx, tenant.CLI, "", id)
		})
}

// beschikkingViewCmd is a command on one beschikking that prints it as act leaves it: its
// state and, for an aanbieder on another instance, the zorgtoewijzing offer's delivery.
func beschikkingViewCmd(s *settings, use, short string, act func(ctx context.Context, a *app, id string) (issuer.View, error)) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use: use, Short: short, Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withApp(cmd, s, func(a *app) error {
				v, err := act(cmd.Context(), a, args[0])
				if err != nil {
					return err
				}
				if asJSON {
					return printJSON(cmd.OutOrStdout(), v)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s %s %s\n", v.ID, v.Beschikkingnummer, v.State)
				if d := v.ZorgtoewijzingDelivery; d != nil {
					fmt.Fprintln(cmd.OutOrStdout(), deliveryLine(*d))
				}
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func beschikkingChangeCmd(s *settings, change issuer.StatusChange) *cobra.Command {
	var (
		reason string
		asJSON bool
	)
	cmd := &cobra.Command{
		Use: string(change) + " ID --reason TEXT", Short: string(change) + " a beschikking and its credentials", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withApp(cmd, s, func(a *app) error {
				v, err := a.issuer.ChangeStatus(cmd.Context(), tenant.CLI, "", args[0], change, reason)
				if err != nil {
					return err
				}
				if asJSON {
					return printJSON(cmd.OutOrStdout(), v)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s is now %s\n", v.ID, v.State)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why (required, audited)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
