package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// registerAdmin adds the shared settings to an admin command group. Admin commands work
// directly on the database serve uses, so they are quiet by default (log level warn).
func registerAdmin(s *settings, fs *pflag.FlagSet) {
	s.register(fs)
	if f := fs.Lookup("log-level"); f != nil {
		_ = f.Value.Set("warn")
		f.DefValue = "warn"
	}
}

// withApp loads the settings (flags over env), builds the app, runs fn and closes the app.
func withApp(cmd *cobra.Command, s *settings, fn func(a *app) error) error {
	if err := applyEnv(cmd.Flags()); err != nil {
		return err
	}
	log, err := newLogger(s.LogLevel)
	if err != nil {
		return err
	}
	a, err := buildApp(cmd.Context(), s, log, openOptions{})
	if err != nil {
		return err
	}
	defer a.Close()
	return fn(a)
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// printAPIKey shows a new API key once, with the warning that it is not shown again.
func printAPIKey(w io.Writer, key string) {
	fmt.Fprintf(w, "api key (shown once, store it now): %s\n", key)
}
