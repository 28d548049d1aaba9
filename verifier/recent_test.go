package verifier

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"
)

func TestRetrievedCacheHandsOutOnce(t *testing.T) {
	now := time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)
	c := newRetrievedCache(2)
	c.put(Request{ID: "r1", TenantID: "t1", State: Retrieved, ExpiresAt: now.Add(time.Minute)}, now)
	if _, ok := c.take("t2", "r1"); ok {
		t.Fatal("another tenant took the request")
	}
	if r, ok := c.take("t1", "r1"); !ok || r.ID != "r1" {
		t.Fatalf("take = %+v, %v", r, ok)
	}
	if _, ok := c.take("t1", "r1"); ok {
		t.Fatal("the request was handed out twice")
	}
}

func TestRetrievedCacheFullDropsExpiredOnly(t *testing.T) {
	now := time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)
	c := newRetrievedCache(2)
	c.put(Request{ID: "old", TenantID: "t1", ExpiresAt: now.Add(time.Second)}, now)
	c.put(Request{ID: "live", TenantID: "t1", ExpiresAt: now.Add(time.Hour)}, now)
	later := now.Add(time.Minute)
	c.put(Request{ID: "new", TenantID: "t1", ExpiresAt: later.Add(time.Hour)}, later)
	if _, ok := c.take("t1", "old"); ok {
		t.Fatal("an expired request stayed in a full cache")
	}
	if _, ok := c.take("t1", "new"); !ok {
		t.Fatal("the new request did not take the expired one's place")
	}
	// Full of live requests: a new one is not kept, and nothing live is evicted.
	c.put(Request{ID: "new2", TenantID: "t1", ExpiresAt: later.Add(time.Hour)}, later)
	c.put(Request{ID: "new3", TenantID: "t1", ExpiresAt: later.Add(time.Hour)}, later)
	if _, ok := c.take("t1", "new3"); ok {
		t.Fatal("a full cache of live requests took another")
	}
	if _, ok := c.take("t1", "live"); !ok {
		t.Fatal("a live request was evicted")
	}
}

func TestSettingsCache(t *testing.T) {
	now := time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)
	loads := 0
	stored := Settings{EvidenceRetention: time.Hour}
	load := func(context.Context, string) (Settings, error) { loads++; return stored, nil }
	var c settingsCache
	for range 3 {
		if got, err := c.get(t.Context(), "t1", now, load); err != nil || got != stored {
			t.Fatalf("get = %+v, %v", got, err)
		}
	}
	if loads != 1 {
		t.Fatalf("%d loads within the TTL, want 1", loads)
	}
	stored = Settings{}
	if got, _ := c.get(t.Context(), "t1", now.Add(settingsTTL), load); got != stored || loads != 2 {
		t.Fatalf("after the TTL: %+v after %d loads", got, loads)
	}
	stored = Settings{EvidenceRetention: 2 * time.Hour}
	c.forget("t1")
	if got, _ := c.get(t.Context(), "t1", now.Add(settingsTTL), load); got != stored || loads != 3 {
		t.Fatalf("after forget: %+v after %d loads", got, loads)
	}
	failing := func(context.Context, string) (Settings, error) { return Settings{}, errors.New("database down") }
	if _, err := c.get(t.Context(), "t2", now, failing); err == nil {
		t.Fatal("a failed load was not reported")
	}
}

func TestQueryCache(t *testing.T) {
	raw := []byte(`{"credentials":[{"id":"b","format":"dc+sd-jwt","meta":{"vct_values":["urn:x"]},"claims":[{"path":["product"]}]}]}`)
	var c queryCache
	first, err := c.parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.parse(raw)
	if err != nil || !reflect.DeepEqual(first, again) || first.Credentials[0].ID != "b" {
		t.Fatalf("parse again = %+v, %v; first %+v", again, err, first)
	}
	if len(c.m) != 1 {
		t.Fatalf("%d queries cached, want 1", len(c.m))
	}
	if _, err := c.parse([]byte(`{"credentials":[]}`)); err == nil {
		t.Fatal("an invalid query parsed")
	}
	if len(c.m) != 1 {
		t.Fatal("an invalid query was cached")
	}
	// A full cache starts over instead of growing.
	for i := range maxQueriesCached + 1 {
		q := fmt.Appendf(nil, `{"credentials":[{"id":"q%d","format":"dc+sd-jwt","meta":{"vct_values":["urn:x"]}}]}`, i)
		if _, err := c.parse(q); err != nil {
			t.Fatal(err)
		}
	}
	if len(c.m) > maxQueriesCached {
		t.Fatalf("%d queries cached, bound %d", len(c.m), maxQueriesCached)
	}
}
