package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
)

// Evidence is off by default; a verifier tenant that sets a retention period keeps the raw
// presentation of a verified result, sealed, and the sweeper deletes it once the period ends.
func TestEvidenceRetention(t *testing.T) {
	env := newPresentationEnv(t, migrationstest.Engines()[0])
	verify := func() string {
		t.Helper()
		c := env.createPresentation(t, map[string]any{"query": "zorgstart"})
		ar, _, err := fetchRequest(t.Context(), env.Resolver, c.AuthorizationRequest)
		if err != nil {
			t.Fatal(err)
		}
		vp := present(t, env.Cred, env.HolderKey, ar, presentOpts{Keep: keepAll})
		if res, err := respond(t.Context(), ar, map[string][]string{"toewijzing": {vp}}, ar.State); err != nil || res.Status != http.StatusOK {
			t.Fatalf("response: %v %d %s", err, res.Status, res.Body)
		}
		return c.ID
	}
	evidence := func(id string) *string {
		var row struct{ Evidence *string }
		if err := env.Env.DB.Gorm.Raw("SELECT evidence FROM presentation_requests WHERE id = ?", id).Scan(&row).Error; err != nil {
			t.Fatal(err)
		}
		return row.Evidence
	}

	off := verify()
	if v := env.showPresentation(t, off); v.Result.EvidenceKept || evidence(off) != nil {
		t.Fatal("evidence kept although the tenant did not choose it")
	}

	path := "/api/v1/tenants/" + verifierSlug + "/verifier-settings"
	if res := env.do(t, http.MethodPut, path, env.VerifierKey, "application/json", []byte(`{"evidence_retention_days":30}`)); res.Status != http.StatusOK {
		t.Fatalf("settings: %d %s", res.Status, res.Body)
	}
	if res := env.do(t, http.MethodPut, path, env.VerifierKey, "application/json", []byte(`{"evidence_retention_days":-1}`)); res.Status != http.StatusBadRequest {
		t.Fatalf("negative retention: %d %s", res.Status, res.Body)
	}
	on := verify()
	kept := evidence(on)
	if v := env.showPresentation(t, on); !v.Result.EvidenceKept || kept == nil {
		t.Fatal("evidence not kept")
	}
	// Sealed: neither the BSN nor the presentation is readable in the database.
	if strings.Contains(*kept, "999991772") || strings.Contains(*kept, "~") {
		t.Fatal("evidence is stored in the clear")
	}

	// The retention ends: the sweeper clears the evidence and keeps the result.
	if err := env.Env.DB.Gorm.Exec("UPDATE presentation_requests SET evidence_expires_at = ? WHERE id = ?", time.Now().Add(-time.Minute).UTC(), on).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := env.Verifier.Sweep(t.Context()); err != nil {
		t.Fatal(err)
	}
	if evidence(on) != nil {
		t.Fatal("evidence still there after its retention")
	}
	if v := env.showPresentation(t, on); v.State != "verified" {
		t.Fatalf("result gone with the evidence: %s", v.State)
	}
}
