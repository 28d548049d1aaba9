package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/sociaaldomein/bewijs/internal/keys"
)

func newMasterKeyCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "master-key", Short: "Manage the master key that seals private keys"}
	var out string
	gen := &cobra.Command{
		Use:   "generate",
		Short: "Write a new master key file (mode 0600); never overwrites",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return usageError{errors.New("--out FILE is required")}
			}
			if err := keys.GenerateMasterKeyFile(out, time.Now()); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s (mode 0600); set BEWIJS_MASTER_KEY_FILE=%s on every replica\n", out, out)
			return nil
		},
	}
	gen.Flags().StringVar(&out, "out", "", "path of the new master key file")
	cmd.AddCommand(gen)
	return cmd
}
