// Package tenanttest wires a tenant.Service on a fresh, migrated database for tests.
package tenanttest

import (
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/internal/audit"
	auditstore "github.com/sociaaldomein/bewijs/internal/audit/store"
	"github.com/sociaaldomein/bewijs/internal/keys"
	"github.com/sociaaldomein/bewijs/internal/tenant"
	tenantstore "github.com/sociaaldomein/bewijs/internal/tenant/store"
	"github.com/sociaaldomein/bewijs/migrations"
)

// Env is a tenant service with the database and audit store behind it.
type Env struct {
	DB       *migrations.DB
	Service  *tenant.Service
	Audit    *auditstore.Store
	AuditLog *audit.Log
	Master   *keys.MasterKeys
}

// New wires a service on db with a fresh master key, for the given public URL.
func New(t testing.TB, db *migrations.DB, publicURL string) Env {
	t.Helper()
	path := filepath.Join(t.TempDir(), "master.key")
	if err := keys.GenerateMasterKeyFile(path, time.Now()); err != nil {
		t.Fatal(err)
	}
	master, err := keys.LoadMasterKeys(path)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(publicURL)
	if err != nil {
		t.Fatal(err)
	}
	as := auditstore.New(db.Gorm)
	log := audit.New(as, nil, nil)
	svc := tenant.NewService(tenant.Options{
		Store: tenantstore.New(db.Gorm), Keys: keys.NewLocal(master), Audit: log, PublicURL: u,
	})
	return Env{DB: db, Service: svc, Audit: as, AuditLog: log, Master: master}
}
