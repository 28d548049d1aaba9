// Package migrationstest opens fresh, migrated databases for tests: a SQLite file in a temporary
// folder, and a PostgreSQL schema of its own in the server BEWIJS_TEST_DATABASE_URL names.
// Every call gets a database no other test sees, so packages and tests may run in parallel.
package migrationstest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/sociaaldomein/bewijs/migrations"
)

// EnvDatabaseURL names the PostgreSQL server the storage tests use.
const EnvDatabaseURL = "BEWIJS_TEST_DATABASE_URL"

// SQLite returns a migrated SQLite database in t.TempDir().
func SQLite(t testing.TB) *migrations.DB {
	t.Helper()
	return open(t, "sqlite://"+filepath.Join(t.TempDir(), "bewijs.db"))
}

// SQLiteURL returns the URL of a fresh (not yet migrated) SQLite database in t.TempDir().
func SQLiteURL(t testing.TB) string {
	t.Helper()
	return "sqlite://" + filepath.Join(t.TempDir(), "bewijs.db")
}

// Postgres returns a migrated database in a fresh schema, dropped when the test ends. Without
// BEWIJS_TEST_DATABASE_URL the test is skipped, except under CI, where that is a failure.
func Postgres(t testing.TB) *migrations.DB {
	t.Helper()
	return open(t, PostgresURL(t))
}

// PostgresURL creates a fresh schema and returns a URL whose connections use it.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvDatabaseURL)
	if base == "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not set: CI must run the storage tests on PostgreSQL", EnvDatabaseURL)
		}
		t.Skipf("%s is not set; skipping PostgreSQL (make test sets it)", EnvDatabaseURL)
	}
	ctx := context.Background()
	admin, err := migrations.Open(ctx, pgConfig(base), nil)
	if err != nil {
		t.Fatalf("PostgreSQL at %s: %v", migrations.Redact(base), err)
	}
	schema := "bt_" + randomHex(t, 8)
	if err := admin.Gorm.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		_ = admin.Gorm.Exec("DROP SCHEMA " + schema + " CASCADE").Error
		_ = admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", EnvDatabaseURL, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Engine names a database engine under test and opens a fresh database on it.
type Engine struct {
	Name string
	Open func(t testing.TB) *migrations.DB
	// URL gives a fresh, unmigrated database URL (for tests that start a whole server).
	URL func(t testing.TB) string
}

// Engines lists both engines; run a storage test once on each with t.Run(e.Name, …).
func Engines() []Engine {
	return []Engine{
		{Name: "sqlite", Open: SQLite, URL: SQLiteURL},
		{Name: "postgres", Open: Postgres, URL: PostgresURL},
	}
}

func open(t testing.TB, dbURL string) *migrations.DB {
	t.Helper()
	cfg := pgConfig(dbURL)
	ctx := context.Background()
	db, err := migrations.Open(ctx, cfg, nil)
	if err != nil {
		t.Fatalf("open %s: %v", migrations.Redact(dbURL), err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if err := db.Up(ctx); err != nil {
		t.Fatalf("migrate %s: %v", migrations.Redact(dbURL), err)
	}
	return db
}

func pgConfig(dbURL string) migrations.Config {
	cfg := migrations.DefaultConfig()
	cfg.URL = dbURL
	cfg.MaxOpenConns = 4
	cfg.MaxIdleConns = 2
	return cfg
}

func randomHex(t testing.TB, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}
