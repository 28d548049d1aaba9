package main

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/issuer/orgcred"
)

// newRoleCmd: a trust anchor gives organisations their OrganisatieRol credential.
func newRoleCmd() *cobra.Command {
	var s settings
	cmd := &cobra.Command{Use: "role", Short: "Issue OrganisatieRol credentials (W3C JWT VCs) from a trust anchor to organisations"}
	registerAdmin(&s, cmd.PersistentFlags())
	cmd.AddCommand(roleIssueCmd(&s))
	return cmd
}

// newOrgWalletCmd: the credentials in an organisation's wallet, and the token an aanbieder
// gets with them.
func newOrgWalletCmd() *cobra.Command {
	var s settings
	cmd := &cobra.Command{Use: "org-wallet", Short: "An organisation's wallet: its organisation credentials, and declareren tokens obtained with them"}
	registerAdmin(&s, cmd.PersistentFlags())
	cmd.AddCommand(orgWalletListCmd(&s), orgWalletTokenCmd(&s), orgWalletReceiveCmd(&s))
	return cmd
}

// roleFlags are the choices of `bewijs role issue`.
type roleFlags struct {
	Anchor, Subject, ValidUntil string
	Wetten                      []string
	JSON                        bool
}

// input turns the flags into the role to issue; --valid-until is a date (end of that day,
// UTC) or an RFC 3339 time.
func (f roleFlags) input() (orgcred.RoleInput, error) {
	if f.Anchor == "" || f.Subject == "" {
		return orgcred.RoleInput{}, errors.New("--tenant and --subject are required")
	}
	in := orgcred.RoleInput{Subject: f.Subject, Wetten: f.Wetten}
	if f.ValidUntil == "" {
		return in, nil
	}
	if d, err := time.Parse(time.DateOnly, f.ValidUntil); err == nil {
		in.ValidUntil = d.Add(24*time.Hour - time.Second)
		return in, nil
	}
	t, err := time.Parse(time.RFC3339, f.ValidUntil)
	if err != nil {
		return in, fmt.Errorf("--valid-until %q: use YYYY-MM-DD or an RFC 3339 time", f.ValidUntil)
	}
	in.ValidUntil = t
	return in, nil
}

func roleIssueCmd(s *settings) *cobra.Command {
	var f roleFlags
	cmd := &cobra.Command{
		Use:   "issue --tenant ANCHOR --subject SLUG [--wetten Wmo2015,Jeugdwet] [--valid-until DATE] [--json]",
		Short: "Issue an OrganisatieRol (gemeente or zorgaanbieder) to an organisation of this instance; it lands in its organisation wallet",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			in, err := f.input()
			if err != nil {
				return usageError{err}
			}
			return withApp(cmd, s, func(a *app) error {
				issued, err := a.orgcreds.IssueRole(cmd.Context(), tenant.CLI, f.Anchor, in)
				if err != nil {
					return orgcredError(err)
				}
				if f.JSON {
					return printJSON(cmd.OutOrStdout(), issued)
				}
				printIssued(cmd.OutOrStdout(), issued)
				return nil
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.Anchor, "tenant", "", "slug of the issuing trust anchor")
	fl.StringVar(&f.Subject, "subject", "", "slug of the organisation (gemeente or aanbieder) that gets the role")
	fl.StringSliceVar(&f.Wetten, "wetten", nil, "for a zorgaanbieder: the laws it serves, Wmo2015 and/or Jeugdwet (default both)")
	fl.StringVar(&f.ValidUntil, "valid-until", "", "end of validity, YYYY-MM-DD or RFC 3339 (default a year and a day)")
	fl.BoolVar(&f.JSON, "json", false, "print JSON with the API's fields")
	return cmd
}

func printIssued(w io.Writer, c orgcred.Issued) {
	fmt.Fprintf(w, "%s %s\n  issuer:  %s\n  subject: %s\n  valid:   %s", c.Type, c.ID, c.Issuer, c.Subject, c.ValidFrom.Format(timeLayout))
	if c.ValidUntil != nil {
		fmt.Fprintf(w, " until %s", c.ValidUntil.Format(timeLayout))
	}
	fmt.Fprintln(w)
	if c.Delivered {
		fmt.Fprintln(w, "  delivered to the subject's organisation wallet")
	}
}

func orgWalletListCmd(s *settings) *cobra.Command {
	var (
		slug   string
		asJSON bool
	)
	cmd := &cobra.Command{
		Use: "list --tenant SLUG [--json]", Short: "List the credentials in an organisation's wallet", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if slug == "" {
				return usageError{errors.New("--tenant is required")}
			}
			return withApp(cmd, s, func(a *app) error {
				list, err := a.orgcreds.Wallet(cmd.Context(), tenant.CLI, slug)
				if err != nil {
					return orgcredError(err)
				}
				if asJSON {
					if list == nil {
						list = []orgcred.WalletEntry{}
					}
					return printJSON(cmd.OutOrStdout(), list)
				}
				printWallet(cmd.OutOrStdout(), slug, list)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&slug, "tenant", "", "slug of the organisation whose wallet to list")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON with the API's fields")
	return cmd
}

func printWallet(w io.Writer, slug string, list []orgcred.WalletEntry) {
	if len(list) == 0 {
		fmt.Fprintf(w, "the organisation wallet of %s is empty\n", slug)
		return
	}
	for _, e := range list {
		fmt.Fprintf(w, "%s %s\n  issuer:   %s\n  received: %s\n", e.Type, e.CredentialID, e.Issuer, e.ReceivedAt.Format(timeLayout))
		if n, ok := subjectClaim(e.Credential, "toewijzingnummer"); ok {
			fmt.Fprintf(w, "  toewijzingnummer: %s\n", n)
		}
		if r, ok := subjectClaim(e.Credential, "role"); ok {
			fmt.Fprintf(w, "  role: %s\n", r)
		}
	}
}

// subjectClaim reads a credentialSubject claim of a JWT VC for display. The payload is
// decoded, NOT verified: never decide anything on it.
func subjectClaim(jwt, name string) (string, bool) {
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return "", false
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return "", false
	}
	var payload struct {
		VC struct {
			Subject map[string]json.RawMessage `json:"credentialSubject"`
		} `json:"vc"`
	}
	if json.Unmarshal(raw, &payload) != nil {
		return "", false
	}
	v, ok := payload.VC.Subject[name]
	if !ok {
		return "", false
	}
	var str string
	if json.Unmarshal(v, &str) == nil {
		return str, true
	}
	return string(v), true
}

// orgcredError marks what the caller can fix (an invalid field, an unknown credential) as
// such, for exit code 2; unknown and forbidden organisations already are.
func orgcredError(err error) error {
	var invalid *orgcred.InvalidInputError
	if errors.As(err, &invalid) || errors.Is(err, orgcred.ErrNotFound) {
		return usageError{err}
	}
	return err
}
