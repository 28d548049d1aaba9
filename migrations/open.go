package migrations

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// DB is an open database: the gorm handle the stores use, and the engine it runs on.
type DB struct {
	Gorm   *gorm.DB
	Engine Engine
	sql    *sql.DB
	log    *slog.Logger
}

// Open connects to the database the configuration names. It does not migrate; call Up.
// For SQLite it creates the parent folder (mode 0700) when it is missing.
func Open(ctx context.Context, cfg Config, log *slog.Logger) (*DB, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	engine, _ := cfg.Engine()
	dialector, err := dialectorFor(engine, cfg)
	if err != nil {
		return nil, err
	}
	g, err := gorm.Open(dialector, &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
		TranslateError:         true,
	})
	if err != nil {
		return nil, fmt.Errorf("database: open %s: %w", Redact(cfg.URL), err)
	}
	sqlDB, err := g.DB()
	if err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	sqlDB.SetMaxOpenConns(cfg.MaxOpenConns)
	sqlDB.SetMaxIdleConns(cfg.MaxIdleConns)
	sqlDB.SetConnMaxLifetime(cfg.ConnMaxLifetime)
	sqlDB.SetConnMaxIdleTime(cfg.ConnMaxIdleTime)
	if err := sqlDB.PingContext(ctx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("database: %s is not reachable: %w", Redact(cfg.URL), err)
	}
	return &DB{Gorm: g, Engine: engine, sql: sqlDB, log: log}, nil
}

func dialectorFor(engine Engine, cfg Config) (gorm.Dialector, error) {
	if engine == Postgres {
		return postgres.New(postgres.Config{DSN: cfg.URL}), nil
	}
	path := SQLitePath(cfg.URL)
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("database: create folder for %s: %w", path, err)
		}
	}
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", cfg.BusyTimeout.Milliseconds()))
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	// Writers take the lock when the transaction begins, so two writers wait for each other
	// (busy timeout) instead of failing on a lock upgrade.
	q.Set("_txlock", "immediate")
	return sqlite.Open("file:" + path + "?" + q.Encode()), nil
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.sql.PingContext(ctx) }

// Close closes the pool.
func (db *DB) Close() error { return db.sql.Close() }
