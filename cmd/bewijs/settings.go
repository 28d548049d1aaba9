package main

import (
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"github.com/sociaaldomein/bewijs/migrations"
)

// settings are the values every command that opens the database shares. Flags win over
// environment variables, which win over defaults.
type settings struct {
	PublicURL         string
	DatabaseURL       string // secret: may carry a password
	MasterKeyFile     string
	InsecureLocalhost bool
	// PoliciesDir replaces the embedded Rego policies with the *.rego files of a folder.
	PoliciesDir string
	LogLevel    string
	DB          migrations.Config
}

// envNames maps each flag to its environment twin.
var envNames = map[string]string{
	"addr":                 "BEWIJS_ADDR",
	"public-url":           "BEWIJS_PUBLIC_URL",
	"database-url":         "BEWIJS_DATABASE_URL",
	"master-key-file":      "BEWIJS_MASTER_KEY_FILE",
	"insecure-localhost":   "BEWIJS_INSECURE_LOCALHOST",
	"log-level":            "BEWIJS_LOG_LEVEL",
	"policies":             "BEWIJS_POLICIES",
	"demo":                 "BEWIJS_DEMO",
	"db-max-open-conns":    "BEWIJS_DB_MAX_OPEN_CONNS",
	"db-max-idle-conns":    "BEWIJS_DB_MAX_IDLE_CONNS",
	"db-conn-max-lifetime": "BEWIJS_DB_CONN_MAX_LIFETIME",
	"db-busy-timeout":      "BEWIJS_DB_BUSY_TIMEOUT",
	"body-limit":           "BEWIJS_BODY_LIMIT",
	"debug-addr":           "BEWIJS_DEBUG_ADDR",
	"gc-percent":           "BEWIJS_GC_PERCENT",
}

func (s *settings) register(fs *pflag.FlagSet) {
	def := migrations.DefaultConfig()
	fs.StringVar(&s.PublicURL, "public-url", "http://localhost:8080", "URL at which clients reach this server; all identifiers and URLs derive from it")
	fs.StringVar(&s.DatabaseURL, "database-url", def.URL, "sqlite://PATH (embedded default) or postgres://…")
	fs.StringVar(&s.MasterKeyFile, "master-key-file", "", "file with the master key that seals private keys (generated in the data folder on SQLite; required on PostgreSQL)")
	fs.BoolVar(&s.InsecureLocalhost, "insecure-localhost", false, "let the DID resolver use http and loopback for localhost/127.0.0.1 (pilots and tests only)")
	fs.StringVar(&s.PoliciesDir, "policies", "", "folder of *.rego files replacing the embedded policies (reloaded when they change)")
	fs.StringVar(&s.LogLevel, "log-level", "info", "debug, info, warn or error")
	fs.IntVar(&s.DB.MaxOpenConns, "db-max-open-conns", def.MaxOpenConns, "database pool: maximum open connections")
	// Idle connections default to the open ones: a pool that closes connections under load
	// makes PostgreSQL start a backend per request (measured: issuance fell from 1,400 to
	// 750 credentials/s with 40 open and 5 idle).
	fs.IntVar(&s.DB.MaxIdleConns, "db-max-idle-conns", -1, "database pool: maximum idle connections (-1: as many as --db-max-open-conns)")
	fs.DurationVar(&s.DB.ConnMaxLifetime, "db-conn-max-lifetime", def.ConnMaxLifetime, "database pool: maximum connection lifetime")
	fs.DurationVar(&s.DB.BusyTimeout, "db-busy-timeout", def.BusyTimeout, "SQLite: how long to wait for a lock")
	s.DB.ConnMaxIdleTime = def.ConnMaxIdleTime
}

// applyEnv sets every flag the user did not pass from its environment variable.
func applyEnv(fs *pflag.FlagSet) error {
	var err error
	fs.VisitAll(func(f *pflag.Flag) {
		name, ok := envNames[f.Name]
		if !ok || f.Changed || err != nil {
			return
		}
		if v, set := os.LookupEnv(name); set {
			if e := fs.Set(f.Name, v); e != nil {
				err = usageError{fmt.Errorf("%s: %w", name, e)}
			}
		}
	})
	return err
}

// finish validates the settings and derives the database configuration.
func (s *settings) finish() (*url.URL, error) {
	s.DB.URL = s.DatabaseURL
	if s.DB.MaxIdleConns < 0 {
		s.DB.MaxIdleConns = s.DB.MaxOpenConns
	}
	if err := s.DB.Validate(); err != nil {
		return nil, usageError{err}
	}
	u, err := url.Parse(strings.TrimSuffix(s.PublicURL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, usageError{fmt.Errorf("--public-url %q must be an absolute http(s) URL", s.PublicURL)}
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, usageError{fmt.Errorf("--public-url %q must not carry a query, fragment or user info", s.PublicURL)}
	}
	return u, nil
}
