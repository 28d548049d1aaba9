// Package migrations owns the SQL schema (embedded goose migrations) and the code that opens a
// database on either engine and brings its schema up to date. It holds no queries: the stores
// of each domain package do.
package migrations

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Engine names the database engine a URL selects.
type Engine string

const (
	// SQLite is the embedded, zero-setup default (pure Go, WAL mode).
	SQLite Engine = "sqlite"
	// Postgres is the production store.
	Postgres Engine = "postgres"
)

// Config says which database to open and how to pool connections.
type Config struct {
	// URL is sqlite://PATH (relative or absolute) or postgres://… (postgresql:// also works).
	// Secret: a Postgres URL may carry a password.
	URL             string
	MaxOpenConns    int
	MaxIdleConns    int
	ConnMaxLifetime time.Duration
	ConnMaxIdleTime time.Duration
	// BusyTimeout is how long SQLite waits for a lock before it answers "database is locked".
	BusyTimeout time.Duration
}

// DefaultConfig is the embedded default: a SQLite file in ./bewijs-data.
func DefaultConfig() Config {
	return Config{
		URL:             "sqlite://./bewijs-data/bewijs.db",
		MaxOpenConns:    10,
		MaxIdleConns:    10,
		ConnMaxLifetime: 30 * time.Minute,
		ConnMaxIdleTime: 5 * time.Minute,
		BusyTimeout:     5 * time.Second,
	}
}

// Validate checks the configuration without touching the database.
func (c Config) Validate() error {
	if _, err := c.Engine(); err != nil {
		return err
	}
	if c.MaxOpenConns < 1 {
		return errors.New("database: max open connections must be at least 1")
	}
	if c.MaxIdleConns < 0 || c.MaxIdleConns > c.MaxOpenConns {
		return errors.New("database: max idle connections must be between 0 and max open connections")
	}
	if c.ConnMaxLifetime < 0 || c.ConnMaxIdleTime < 0 || c.BusyTimeout < 0 {
		return errors.New("database: durations must not be negative")
	}
	return nil
}

// Engine tells which engine the URL selects.
func (c Config) Engine() (Engine, error) {
	switch {
	case strings.HasPrefix(c.URL, "sqlite://"):
		if SQLitePath(c.URL) == "" {
			return "", errors.New("database: sqlite URL has no path (want sqlite://./bewijs-data/bewijs.db)")
		}
		return SQLite, nil
	case strings.HasPrefix(c.URL, "postgres://"), strings.HasPrefix(c.URL, "postgresql://"):
		if _, err := url.Parse(c.URL); err != nil {
			return "", errors.New("database: postgres URL does not parse")
		}
		return Postgres, nil
	default:
		return "", fmt.Errorf("database: URL must start with sqlite:// or postgres:// (got %q)", Redact(c.URL))
	}
}

// SQLitePath returns the file path of a sqlite:// URL, without query.
func SQLitePath(u string) string {
	p := strings.TrimPrefix(u, "sqlite://")
	if i := strings.IndexByte(p, '?'); i >= 0 {
		p = p[:i]
	}
	return p
}

// Redact returns the URL without a password, for logs and error messages.
func Redact(u string) string {
	parsed, err := url.Parse(u)
	if err != nil || parsed.User == nil {
		if strings.Contains(u, "@") {
			return "(unparseable URL)"
		}
		return u
	}
	return parsed.Redacted()
}
