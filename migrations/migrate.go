package migrations

import (
	"context"
	"embed"
	"fmt"
	"hash/fnv"
	"io/fs"
	"time"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed sql/*.sql
var embedded embed.FS

// Status is one migration and whether it has been applied.
type Status struct {
	Version   int64
	Name      string
	Applied   bool
	AppliedAt time.Time
}

func (db *DB) provider(ctx context.Context) (*goose.Provider, error) {
	sub, err := fs.Sub(embedded, "sql")
	if err != nil {
		return nil, err
	}
	dialect := goose.DialectSQLite3
	var opts []goose.ProviderOption
	opts = append(opts, goose.WithDisableGlobalRegistry(true))
	if db.Engine == Postgres {
		dialect = goose.DialectPostgres
		// Replicas that start together take turns: one migrates, the others wait. The lock is
		// per schema, so databases that share a server but not a schema do not wait on each other.
		lockID, err := db.schemaLockID(ctx)
		if err != nil {
			return nil, err
		}
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(lockID), lock.WithLockTimeout(1, 300))
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	return goose.NewProvider(dialect, db.sql, sub, opts...)
}

// Up applies every pending migration.
func (db *DB) Up(ctx context.Context) error {
	p, err := db.provider(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	results, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("migrate up: %w", err)
	}
	for _, r := range results {
		db.log.Info("migration applied", "version", r.Source.Version, "duration", r.Duration)
	}
	return nil
}

// Down rolls back the most recent migration.
func (db *DB) Down(ctx context.Context) error {
	p, err := db.provider(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	r, err := p.Down(ctx)
	if err != nil {
		return fmt.Errorf("migrate down: %w", err)
	}
	db.log.Info("migration rolled back", "version", r.Source.Version)
	return nil
}

// Status lists every embedded migration and whether it is applied.
func (db *DB) Status(ctx context.Context) ([]Status, error) {
	p, err := db.provider(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	list, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate status: %w", err)
	}
	out := make([]Status, 0, len(list))
	for _, s := range list {
		out = append(out, Status{
			Version:   s.Source.Version,
			Name:      s.Source.Path,
			Applied:   s.State == goose.StateApplied,
			AppliedAt: s.AppliedAt,
		})
	}
	return out, nil
}

// Current reports whether every embedded migration has been applied (for /readyz).
func (db *DB) Current(ctx context.Context) (bool, error) {
	p, err := db.provider(ctx)
	if err != nil {
		return false, err
	}
	pending, err := p.HasPending(ctx)
	if err != nil {
		return false, err
	}
	return !pending, nil
}

// schemaLockID derives the advisory lock id from the current schema's name.
func (db *DB) schemaLockID(ctx context.Context) (int64, error) {
	var schema string
	if err := db.sql.QueryRowContext(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
		return 0, fmt.Errorf("migrate: read current schema: %w", err)
	}
	h := fnv.New64a()
	_, _ = h.Write([]byte("bewijs-migrations:" + schema))
	return int64(h.Sum64() & 0x7fffffffffffffff), nil
}
