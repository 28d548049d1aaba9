// Command bewijs issues and verifies verifiable credentials for the Dutch social domain.
// This package holds flags, configuration loading, the wiring of the object graph (app.go) and
// the process lifecycle; logic lives in the packages it wires.
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/issuer"
	"github.com/sociaaldomein/bewijs/issuer/toewijzing"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	root := newRootCmd()
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return 0
	}
	fmt.Fprintln(os.Stderr, "bewijs: "+oneLine(err.Error()))
	return exitCode(err)
}

// exitCode is 2 for input the user can fix (bad flags, invalid values, duplicates, unknown
// names) and 1 for everything else.
func exitCode(err error) int {
	var (
		v     *tenant.ValidationError
		usage usageError
	)
	switch {
	case errors.As(err, &v), errors.As(err, &usage), errors.Is(err, tenant.ErrConflict),
		errors.Is(err, tenant.ErrNotFound), errors.Is(err, tenant.ErrForbidden),
		errors.Is(err, toewijzing.ErrInvalid), errors.Is(err, issuer.ErrNotFound), errors.Is(err, issuer.ErrConflict),
		errors.Is(err, issuer.ErrReasonRequired):
		return 2
	}
	return 1
}

// usageError marks an error in how the command was called.
type usageError struct{ error }

func (u usageError) Unwrap() error { return u.error }

func oneLine(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if r == '\n' || r == '\r' {
			r = ' '
		}
		out = append(out, r)
	}
	return string(out)
}

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "bewijs",
		Short:         "Verifiable credentials for the Wmo 2015 and the Jeugdwet",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(newServeCmd(), newMigrateCmd(), newMasterKeyCmd(), newTenantCmd(), newOperatorCmd(), newHealthcheckCmd(), newBeschikkingCmd(), newPIDCmd(), newPresentationCmd(), newWalletCmd(), newPKICmd(), newPolicyCmd(), newRoleCmd(), newOrgWalletCmd(), newDeclaratieCmd())
	return root
}
