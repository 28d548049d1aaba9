package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/internal/audit"
	"github.com/sociaaldomein/bewijs/internal/audit/store"
	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
)

func TestAppendList(t *testing.T) {
	for _, e := range migrationstest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := audit.WithRequestID(context.Background(), "req-1")
			s := store.New(e.Open(t).Gorm)
			clock := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
			log := audit.New(s, nil, func() time.Time { clock = clock.Add(time.Second); return clock })

			if err := log.Record(ctx, audit.Event{Action: "tenant.create", Outcome: audit.Success, Actor: "cli", TenantID: "t1", Subject: "gemeente-utrecht"}); err != nil {
				t.Fatal(err)
			}
			if err := log.Record(ctx, audit.Event{Action: "api-key.authenticate", Outcome: audit.Denied, Actor: "anonymous", Reason: "unknown key", Details: map[string]string{"route": "/api/v1/tenants"}}); err != nil {
				t.Fatal(err)
			}

			all, err := s.List(ctx, store.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			if len(all) != 2 || all[0].Action != "api-key.authenticate" || all[0].Details["route"] != "/api/v1/tenants" {
				t.Fatalf("list = %+v", all)
			}
			if all[1].RequestID != "req-1" || !all[1].Time.Equal(clock.Add(-time.Second)) {
				t.Fatalf("first event = %+v", all[1])
			}
			mine, err := s.List(ctx, store.Filter{TenantID: "t1"})
			if err != nil || len(mine) != 1 || mine[0].Subject != "gemeente-utrecht" {
				t.Fatalf("filter by tenant = %+v, %v", mine, err)
			}
		})
	}
}
