package main

import (
	"testing"

	"github.com/spf13/pflag"
)

// The pool keeps as many idle connections as it may open, unless told otherwise: closing
// them under load makes PostgreSQL start a backend per request.
func TestIdleConnectionsFollowOpenConnections(t *testing.T) {
	for _, tc := range []struct {
		name     string
		args     []string
		env      string
		wantOpen int
		wantIdle int
	}{
		{"defaults", nil, "", 10, 10},
		{"open only", []string{"--db-max-open-conns", "25"}, "", 25, 25},
		{"both flags", []string{"--db-max-open-conns", "25", "--db-max-idle-conns", "3"}, "", 25, 3},
		{"idle from environment", []string{"--db-max-open-conns", "25"}, "7", 25, 7},
		{"no idle connections", []string{"--db-max-idle-conns", "0"}, "", 10, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.env != "" {
				t.Setenv("BEWIJS_DB_MAX_IDLE_CONNS", tc.env)
			}
			var s settings
			fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
			s.register(fs)
			if err := fs.Parse(tc.args); err != nil {
				t.Fatal(err)
			}
			if err := applyEnv(fs); err != nil {
				t.Fatal(err)
			}
			if _, err := s.finish(); err != nil {
				t.Fatal(err)
			}
			if s.DB.MaxOpenConns != tc.wantOpen || s.DB.MaxIdleConns != tc.wantIdle {
				t.Fatalf("open %d idle %d, want %d and %d", s.DB.MaxOpenConns, s.DB.MaxIdleConns, tc.wantOpen, tc.wantIdle)
			}
		})
	}
}
