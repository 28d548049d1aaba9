package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/sociaaldomein/bewijs/migrations"
)

func newMigrateCmd() *cobra.Command {
	var s settings
	cmd := &cobra.Command{Use: "migrate", Short: "Apply, roll back or show database migrations"}
	s.register(cmd.PersistentFlags())
	open := func(cmd *cobra.Command) (*migrations.DB, error) {
		if err := applyEnv(cmd.Flags()); err != nil {
			return nil, err
		}
		if _, err := s.finish(); err != nil {
			return nil, err
		}
		log, err := newLogger(s.LogLevel)
		if err != nil {
			return nil, err
		}
		return migrations.Open(cmd.Context(), s.DB, log)
	}
	cmd.AddCommand(&cobra.Command{
		Use: "up", Short: "Apply every pending migration", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := open(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			return db.Up(cmd.Context())
		},
	}, &cobra.Command{
		Use: "down", Short: "Roll back the most recent migration", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := open(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			return db.Down(cmd.Context())
		},
	}, &cobra.Command{
		Use: "status", Short: "List migrations and whether they are applied", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := open(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			list, err := db.Status(cmd.Context())
			if err != nil {
				return err
			}
			for _, m := range list {
				state := "pending"
				if m.Applied {
					state = "applied " + m.AppliedAt.UTC().Format("2006-01-02T15:04:05Z")
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%05d  %-28s %s\n", m.Version, m.Name, state)
			}
			return nil
		},
	})
	return cmd
}
