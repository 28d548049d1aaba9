package migrations_test

import (
	"context"
	"strings"
	"testing"

	"github.com/sociaaldomein/bewijs/migrations"
	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
)

func TestUpDownStatus(t *testing.T) {
	for _, e := range migrationstest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			db := e.Open(t)

			current, err := db.Current(ctx)
			if err != nil || !current {
				t.Fatalf("after Up: current = %v, %v; want true", current, err)
			}
			status, err := db.Status(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(status) == 0 || !status[len(status)-1].Applied {
				t.Fatalf("status = %+v; want every migration applied", status)
			}
			if err := db.Gorm.Exec("SELECT count(*) FROM tenants").Error; err != nil {
				t.Fatalf("tenants table missing: %v", err)
			}

			for range status {
				if err := db.Down(ctx); err != nil {
					t.Fatalf("down: %v", err)
				}
			}
			if current, _ := db.Current(ctx); current {
				t.Fatal("after rolling everything back the schema still reads as current")
			}
			if err := db.Gorm.Exec("SELECT count(*) FROM tenants").Error; err == nil {
				t.Fatal("tenants table still exists after rolling back")
			}
			if err := db.Up(ctx); err != nil {
				t.Fatalf("up again: %v", err)
			}
			if err := db.Up(ctx); err != nil {
				t.Fatalf("up is not idempotent: %v", err)
			}
		})
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name    string
		url     string
		engine  migrations.Engine
		wantErr bool
	}{
		{"ok - sqlite relative", "sqlite://./bewijs-data/bewijs.db", migrations.SQLite, false},
		{"ok - sqlite absolute", "sqlite:///var/lib/bewijs/bewijs.db", migrations.SQLite, false},
		{"ok - postgres", "postgres://bewijs:secret@db:5432/bewijs?sslmode=disable", migrations.Postgres, false},
		{"ok - postgresql scheme", "postgresql://db/bewijs", migrations.Postgres, false},
		{"error - mysql", "mysql://db/bewijs", "", true},
		{"error - sqlite without path", "sqlite://", "", true},
		{"error - empty", "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := migrations.DefaultConfig()
			cfg.URL = tt.url
			err := cfg.Validate()
			if (err != nil) != tt.wantErr {
				t.Fatalf("Validate() = %v, wantErr %v", err, tt.wantErr)
			}
			if engine, _ := cfg.Engine(); engine != tt.engine {
				t.Fatalf("Engine() = %q, want %q", engine, tt.engine)
			}
		})
	}
}

func TestRedactHidesPassword(t *testing.T) {
	got := migrations.Redact("postgres://bewijs:s3cret@db:5432/bewijs")
	if got == "" || strings.Contains(got, "s3cret") {
		t.Fatalf("Redact leaked the password: %q", got)
	}
}
