package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/issuer/orgcred"
)

// orgWalletReceiveCmd: an organisation of this instance redeems a credential offer from an
// issuer elsewhere into its organisation wallet, as its credential offer endpoint would.
func orgWalletReceiveCmd(s *settings) *cobra.Command {
	var (
		slug   string
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "receive --tenant SLUG [--json] OFFER",
		Short: "Redeem an OpenID4VCI credential offer (pre-authorized code) into an organisation's wallet",
		Long: `OFFER is an openid-credential-offer:// link (credential_offer or credential_offer_uri), the
https URL of an offer, or the offer JSON. The proofs are signed with the organisation's DID key
(kid: its DID URL); every credential must be a jwt_vc_json credential whose issuer signature
verifies against the issuer's DID document and whose subject is the organisation's DID.`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError{errors.New("give one OFFER: an offer link, its URL or the offer JSON")}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if slug == "" {
				return usageError{errors.New("--tenant is required")}
			}
			return withApp(cmd, s, func(a *app) error {
				got, err := a.orgcreds.Receive(cmd.Context(), tenant.CLI, slug, args[0], a.offerClient)
				if err != nil && len(got) == 0 {
					return orgcredError(err)
				}
				if asJSON {
					if got == nil {
						got = []orgcred.WalletEntry{}
					}
					if perr := printJSON(cmd.OutOrStdout(), got); perr != nil {
						return perr
					}
					return orgcredError(err)
				}
				if len(got) == 0 {
					fmt.Fprintf(cmd.OutOrStdout(), "nothing new: the credentials of the offer are in the wallet of %s already\n", slug)
					return nil
				}
				printWallet(cmd.OutOrStdout(), slug, got)
				return orgcredError(err)
			})
		},
	}
	cmd.Flags().StringVar(&slug, "tenant", "", "slug of the organisation (aanbieder or gemeente) whose wallet receives")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the new wallet entries as JSON")
	return cmd
}
