package main

import (
	"errors"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/sociaaldomein/bewijs/did/resolver"
	"github.com/sociaaldomein/bewijs/did/web"
	"github.com/sociaaldomein/bewijs/wallet"
)

// walletFlags are the reference wallet's settings; it needs no database.
type walletFlags struct {
	Dir               string
	InsecureLocalhost bool
}

func newWalletCmd() *cobra.Command {
	var f walletFlags
	cmd := &cobra.Command{Use: "wallet", Short: "The reference wallet for pilot teams (OpenID4VCI holder)"}
	def := os.Getenv("BEWIJS_WALLET_DIR")
	if def == "" {
		def = "./bewijs-wallet"
	}
	cmd.PersistentFlags().StringVar(&f.Dir, "dir", def, "wallet folder (BEWIJS_WALLET_DIR)")
	cmd.PersistentFlags().BoolVar(&f.InsecureLocalhost, "insecure-localhost", os.Getenv("BEWIJS_INSECURE_LOCALHOST") == "true", "allow http and loopback for localhost/127.0.0.1 issuers (pilots)")
	cmd.AddCommand(walletInitCmd(&f), walletReceiveCmd(&f), walletListCmd(&f), walletShowCmd(&f), walletPresentCmd(&f))
	return cmd
}

func (f *walletFlags) open() (*wallet.Wallet, error) {
	store, err := wallet.Open(f.Dir)
	if errors.Is(err, wallet.ErrNoWallet) {
		return nil, usageError{fmt.Errorf("%s: %w", f.Dir, err)}
	}
	if err != nil {
		return nil, err
	}
	webCfg := web.DefaultConfig()
	webCfg.InsecureLocalhost = f.InsecureLocalhost
	webResolver, err := web.NewResolver(webCfg)
	if err != nil {
		return nil, err
	}
	dids, err := resolver.New(resolver.DefaultConfig(), resolver.StandardMethods(webResolver))
	if err != nil {
		return nil, err
	}
	return &wallet.Wallet{Client: &wallet.Client{Resolver: dids}, Store: store}, nil
}

func walletInitCmd(f *walletFlags) *cobra.Command {
	return &cobra.Command{
		Use: "init", Short: "Create an empty encrypted wallet", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if _, err := wallet.Init(f.Dir); err != nil {
				return usageError{err}
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wallet created in %s (keep wallet.key secret)\n", f.Dir)
			return nil
		},
	}
}

func walletReceiveCmd(f *walletFlags) *cobra.Command {
	var (
		opts                     wallet.ReceiveOptions
		issuerURL, login, config string
		loginMethod              string
		asJSON, yes              bool
	)
	cmd := &cobra.Command{
		Use:   "receive OFFER [--tx-code CODE] | receive --issuer URL (--login-code CODE | --login pid [--yes]) [--config ID]",
		Short: "Receive the credentials of an offer (link, URL or JSON), or start at an issuer and log in with a login code or by presenting your PID",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if (len(args) == 1) == (issuerURL != "") {
				return usageError{errors.New("give an offer, or --issuer with --login-code, not both")}
			}
			w, err := f.open()
			if err != nil {
				return err
			}
			var creds []wallet.Credential
			if issuerURL != "" {
				ao := wallet.AuthorizeOptions{ConfigurationID: config, Batch: opts.Batch}
				switch {
				case loginMethod == "pid":
					// Login by disclosure: the issuer asks for the PID; the consent screen shows what goes.
					ao.Login = w.PIDLogin(wallet.PresentOptions{InsecureLocalhost: f.InsecureLocalhost}, consentPrompt(cmd, yes))
				case login != "":
					ao.Login = w.Client.FormLogin(map[string]string{"login_code": login})
				default:
					return usageError{errors.New("with --issuer give --login-code CODE or --login pid")}
				}
				creds, err = w.ReceiveWithAuthorization(cmd.Context(), issuerURL, ao)
			} else {
				creds, err = w.Receive(cmd.Context(), args[0], opts)
			}
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(cmd.OutOrStdout(), creds)
			}
			for _, c := range creds {
				fmt.Fprintf(cmd.OutOrStdout(), "received %s %s from %s\n", c.ID, c.VCT, c.Issuer)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&opts.TxCode, "tx-code", "", "the transaction code the issuer gave you")
	cmd.Flags().IntVar(&opts.Batch, "batch", 1, "credentials (holder keys) per product")
	cmd.Flags().StringVar(&issuerURL, "issuer", "", "credential issuer URL to start at (authorization code flow)")
	cmd.Flags().StringVar(&login, "login-code", "", "the login code the gemeente gave you (with --issuer)")
	cmd.Flags().StringVar(&loginMethod, "login", "", "pid: log in by presenting the PID in this wallet (with --issuer)")
	cmd.Flags().BoolVar(&yes, "yes", false, "with --login pid: share the PID claims the issuer asks for without asking")
	cmd.Flags().StringVar(&config, "config", "wmo_beschikking_dc_sd_jwt", "credential configuration to ask for (with --issuer)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func walletListCmd(f *walletFlags) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use: "list", Short: "List the credentials in the wallet", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			w, err := f.open()
			if err != nil {
				return err
			}
			creds, err := w.List()
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(cmd.OutOrStdout(), creds)
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 2, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tTYPE\tISSUER\tEXPIRES")
			for _, c := range creds {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.ID, c.VCT, c.Issuer, c.ExpiresAt.Format("2006-01-02"))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func walletShowCmd(f *walletFlags) *cobra.Command {
	var withStatus bool
	cmd := &cobra.Command{
		Use: "show ID [--status]", Short: "Show a credential's claims (and its status)", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			w, err := f.open()
			if err != nil {
				return err
			}
			c, err := w.Show(args[0])
			if err != nil {
				return usageError{err}
			}
			out := map[string]any{"id": c.ID, "vct": c.VCT, "issuer": c.Issuer, "expires_at": c.ExpiresAt, "claims": c.Claims}
			if withStatus {
				st, err := w.Client.Status(cmd.Context(), c)
				if err != nil {
					return err
				}
				out["status"] = statusName(int(st))
			}
			return printJSON(cmd.OutOrStdout(), out)
		},
	}
	cmd.Flags().BoolVar(&withStatus, "status", false, "fetch the status list and show the credential's status")
	return cmd
}

func statusName(s int) string {
	switch s {
	case 0:
		return "valid"
	case 1:
		return "invalid"
	case 2:
		return "suspended"
	}
	return fmt.Sprintf("status %d", s)
}
