package main

import (
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/sociaaldomein/bewijs/internal/pki"
	"github.com/sociaaldomein/bewijs/internal/tenant"
)

func newPKICmd() *cobra.Command {
	var s settings
	cmd := &cobra.Command{Use: "pki", Short: "Manage the pilot CA that anchors organisation keys in X.509"}
	registerAdmin(&s, cmd.PersistentFlags())
	cmd.AddCommand(pkiInitCmd(&s), pkiCACmd(&s))
	return cmd
}

// caOutput is the CA as `pki init --json` and `pki ca --json` print it.
type caOutput struct {
	pki.Summary
	CertificatePEM string `json:"certificate_pem"`
	Path           string `json:"path,omitempty"`
}

func pkiInitCmd(s *settings) *cobra.Command {
	var (
		out    string
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "init [--out FILE]",
		Short: "Create the pilot CA (once); its certificate goes into wallet and verifier trust stores",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withApp(cmd, s, func(a *app) error {
				cert, err := a.ca.Init(cmd.Context(), pki.InitRequest{Actor: tenant.CLI.Actor(), CommonName: pki.PilotCAName(a.publicURL.Host)})
				if err != nil {
					return pkiUsage(err)
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "created %q, valid until %s\n", cert.Subject.CommonName, cert.NotAfter.UTC().Format("2006-01-02"))
				return printCA(cmd.OutOrStdout(), cert, out, asJSON)
			})
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "write the CA certificate (PEM) to FILE instead of stdout")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON: subject, not_after, sha256, certificate_pem")
	return cmd
}

func pkiCACmd(s *settings) *cobra.Command {
	var (
		out    string
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "ca [--out FILE]",
		Short: "Print the pilot CA certificate (PEM)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withApp(cmd, s, func(a *app) error {
				cert, err := a.ca.Certificate(cmd.Context())
				if err != nil {
					return pkiUsage(err)
				}
				return printCA(cmd.OutOrStdout(), cert, out, asJSON)
			})
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "write the CA certificate (PEM) to FILE instead of stdout")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON: subject, not_after, sha256, certificate_pem")
	return cmd
}

// printCA writes the PEM to out (when given) and shows it, its path or the JSON on w.
func printCA(w io.Writer, cert *x509.Certificate, out string, asJSON bool) error {
	pemText := pki.EncodePEM([][]byte{cert.Raw})
	if out != "" {
		if err := os.WriteFile(out, pemText, 0o644); err != nil {
			return fmt.Errorf("write the CA certificate: %w; `bewijs pki ca --out FILE` writes it again", err)
		}
	}
	switch {
	case asJSON:
		return printJSON(w, caOutput{Summary: pki.Summarize(cert), CertificatePEM: string(pemText), Path: out})
	case out != "":
		fmt.Fprintf(w, "wrote %s (sha256 %s); add it to the trust store of wallets and verifiers in the pilot\n", out, pki.Fingerprint(cert.Raw))
		return nil
	}
	_, err := w.Write(pemText)
	return err
}

// pkiUsage marks refusals of the pki package (no CA, CA exists, bad chain) as input the
// operator can fix: exit code 2.
func pkiUsage(err error) error {
	var pe *pki.Error
	if errors.As(err, &pe) {
		return usageError{err}
	}
	return err
}
