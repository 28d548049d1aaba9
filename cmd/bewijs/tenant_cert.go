package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/sociaaldomein/bewijs/internal/pki"
	"github.com/sociaaldomein/bewijs/internal/tenant"
)

func tenantCertCmd(s *settings) *cobra.Command {
	var (
		slug, importPath string
		asJSON           bool
	)
	cmd := &cobra.Command{
		Use:   "cert --slug SLUG [--import chain.pem]",
		Short: "Certify the active signing key: by the pilot CA, or import a chain (leaf first) from a real CA",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := requireSlug(slug); err != nil {
				return err
			}
			var chainPEM []byte
			if importPath != "" {
				var err error
				if chainPEM, err = readChainFile(cmd.InOrStdin(), importPath); err != nil {
					return err
				}
			}
			return withApp(cmd, s, func(a *app) error {
				info, err := certify(cmd, a, slug, chainPEM)
				if err != nil {
					return pkiUsage(err)
				}
				if asJSON {
					return printJSON(cmd.OutOrStdout(), info)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "certificate for %s (key %s, %s): %s\nissuer: %s\nvalid until %s, sha256 %s\n%s",
					info.Slug, info.KID, info.Source, info.Subject, info.Issuer, info.NotAfter.Format("2006-01-02T15:04:05Z"), info.SHA256, info.ChainPEM)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&slug, "slug", "", "organisation slug")
	cmd.Flags().StringVar(&importPath, "import", "", "PEM file with the chain a CA issued for the active key, leaf first (- reads stdin)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON: slug, kid, source, subject, issuer, serial, not_before, not_after, sha256, chain_pem")
	return cmd
}

func certify(cmd *cobra.Command, a *app, slug string, chainPEM []byte) (tenant.CertInfo, error) {
	if chainPEM != nil {
		return a.certs.Import(cmd.Context(), tenant.CLI, slug, chainPEM)
	}
	return a.certs.Issue(cmd.Context(), tenant.CLI, slug)
}

// readChainFile reads at most pki.MaxChainBytes (+1, so ParseChain sees it is too large).
func readChainFile(stdin io.Reader, path string) ([]byte, error) {
	r := stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, usageError{fmt.Errorf("--import: %w", err)}
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, pki.MaxChainBytes+1))
	if err != nil {
		return nil, usageError{fmt.Errorf("--import: %w", err)}
	}
	if len(data) == 0 {
		return nil, usageError{errors.New("--import: the file is empty")}
	}
	return data, nil
}
