package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/sociaaldomein/bewijs/policies"
)

func newPolicyCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "policy", Short: "Work with the Rego policy files (trust, requests, pid)"}
	var dir, policy, input string
	eval := &cobra.Command{
		Use:   "eval --input F.json [--policy trust] [--dir DIR]",
		Short: "Print the decision a policy makes for an input (for policy authors)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if input == "" {
				return usageError{errors.New("--input FILE is required (- for standard input)")}
			}
			data, err := readInput(cmd, input)
			if err != nil {
				return usageError{err}
			}
			d, err := policies.EvalFile(cmd.Context(), dir, policy, data)
			if err != nil {
				return usageError{err}
			}
			return printJSON(cmd.OutOrStdout(), d)
		},
	}
	eval.Flags().StringVar(&input, "input", "", "JSON input file, or - for standard input")
	eval.Flags().StringVar(&policy, "policy", "trust", "policy name (a Rego package bewijs.<name> with a decision rule)")
	eval.Flags().StringVar(&dir, "dir", os.Getenv("BEWIJS_POLICIES"), "policy folder (default: the embedded policies)")
	cmd.AddCommand(eval)
	return cmd
}

func readInput(cmd *cobra.Command, name string) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(io.LimitReader(cmd.InOrStdin(), 1<<20))
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("input: %w", err)
	}
	return data, nil
}
