package api_test

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/issuer/oid4vci"
	slstore "github.com/sociaaldomein/bewijs/issuer/statuslist/store"
	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
)

// Acceptance: "8 parallel issuers for 2,000 credentials on PostgreSQL: every status index
// unique, no lost or duplicated audit record". Eight issuer replicas (each with its own
// connection pool, tenant service, status list store and issuer, as separate processes would
// have) share one database behind one round-robin listener; eight wallets run at once, each
// request landing on the next replica. It runs with the default status lists and with small
// ones (1,024 entries) that fill and roll over while the wallets race, so that allocation
// meets collisions and concurrent list openings, not just an empty 2^17-entry list.
const (
	concReplicas      = 8
	concWallets       = 8
	concBeschikkingen = 40 // × concProducts credentials × concBatch holder keys = 2,000
	concProducts      = 5
	concBatch         = 10 // the issuer's batch_size
	concCredentials   = concBeschikkingen * concProducts * concBatch
)

func TestIssuanceConcurrency(t *testing.T) {
	for _, e := range migrationstest.Engines() {
		for _, shape := range []struct {
			name  string
			lists slstore.Config
		}{
			{"small lists", slstore.Config{ListSize: 1024, Bits: 2, FillThreshold: 0.75}},
			{"default lists", slstore.DefaultConfig()},
		} {
			t.Run(e.Name+"/"+shape.name, func(t *testing.T) {
				s, key, registries := startReplicas(t, e, concReplicas, replicaOptions{Lists: shape.lists})
				created := createConcurrencyBeschikkingen(t, s, key)
				start := time.Now()
				run := runWallets(t.Context(), s, created)
				t.Logf("%d credentials in %d requests by %d wallets over %d replicas in %s",
					run.credentials.Load(), run.requests.Load(), concWallets, concReplicas, time.Since(start).Round(time.Millisecond))
				if len(run.errs) > 0 {
					t.Fatalf("%d wallet errors, first: %v", len(run.errs), run.errs[0])
				}
				if run.credentials.Load() != concCredentials || run.requests.Load() != concCredentials/concBatch {
					t.Fatalf("wallets got %d credentials in %d requests, want %d in %d", run.credentials.Load(), run.requests.Load(), concCredentials, concCredentials/concBatch)
				}
				assertStatusEntries(t, s, run.statuses)
				assertAudit(t, s, int(run.requests.Load()), int(run.serverErrors.Load()))
				assertMetrics(t, registries, concCredentials)
				if n := run.serverErrors.Load(); n > 0 {
					// Concurrent batches can deadlock on each other's uncommitted status indexes;
					// Store.Issue retries those, so no wallet may see a 500.
					t.Errorf("%d credential requests failed with 500 (see the server log above)", n)
				}
			})
		}
	}
}

// createConcurrencyBeschikkingen offers concBeschikkingen beschikkingen of concProducts
// products each (fixture 01 with unique toewijzingNummers and beschikkingNummers).
func createConcurrencyBeschikkingen(t *testing.T, s *testServer, key string) []createdBeschikking {
	t.Helper()
	created := make([]createdBeschikking, concBeschikkingen)
	for b := range created {
		doc := withProducts(toewijzingDoc(t, vciFixtureWmo), concProducts, int64(36400000+b*concProducts), fmt.Sprintf("CONC-%03d", b))
		res := s.postBeschikking(t, key, doc, "")
		if res.Status != http.StatusCreated {
			t.Fatalf("create beschikking %d: %s", b, res.vciString())
		}
		res.json(t, &created[b])
	}
	return created
}

// walletRun is what the wallets saw.
type walletRun struct {
	mu           sync.Mutex
	errs         []error
	statuses     []statusEntry // status list entry of every credential received
	requests     atomic.Int64  // successful credential requests
	credentials  atomic.Int64
	serverErrors atomic.Int64 // credential requests answered 500 (and retried)
}

func (r *walletRun) fail(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, err)
}

// runWallets has concWallets wallets take beschikkingen from a queue and receive every
// credential of each, a batch of concBatch per credential request.
func runWallets(ctx context.Context, s *testServer, created []createdBeschikking) *walletRun {
	queue := make(chan createdBeschikking, len(created))
	for _, c := range created {
		queue <- c
	}
	close(queue)
	run := &walletRun{}
	httpClient := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: concWallets * 2}, Timeout: 30 * time.Second}
	var wg sync.WaitGroup
	for range concWallets {
		wg.Go(func() {
			for c := range queue {
				if err := receiveAll(ctx, s, httpClient, c, run); err != nil {
					run.fail(fmt.Errorf("beschikking %s: %w", c.ID, err))
				}
			}
		})
	}
	wg.Wait()
	return run
}

func receiveAll(ctx context.Context, s *testServer, hc *http.Client, c createdBeschikking, run *walletRun) error {
	cl := newVCIClient(s, vciAmsterdam, true)
	cl.HTTP = hc
	var offer oid4vci.CredentialOffer
	if err := json.Unmarshal(c.CredentialOffer, &offer); err != nil {
		return err
	}
	if err := cl.Redeem(ctx, offer.Grants.PreAuthorizedCode.PreAuthorizedCode, ""); err != nil {
		return err
	}
	for _, id := range cl.CredentialIDs() {
		cr, err := fetchBatch(ctx, cl, id, run)
		if err != nil {
			return err
		}
		for _, ic := range cr.Credentials {
			st, err := credentialStatus(ic.Credential)
			if err != nil {
				return err
			}
			run.mu.Lock()
			run.statuses = append(run.statuses, st)
			run.mu.Unlock()
		}
		run.requests.Add(1)
		run.credentials.Add(int64(len(cr.Credentials)))
	}
	return nil
}

// fetchBatch requests concBatch credentials of one credential_identifier. A server_error is
// counted in run.serverErrors and retried (with a fresh c_nonce, as a wallet would) up to
// three times: the run then still checks that nothing was lost or issued twice.
func fetchBatch(ctx context.Context, cl *vciClient, id string, run *walletRun) (oid4vci.CredentialResponse, error) {
	keys := make([]*ecdsa.PrivateKey, concBatch)
	for k := range keys {
		keys[k] = mustKey()
	}
	for range 3 {
		nonce, err := cl.CNonce(ctx)
		if err != nil {
			return oid4vci.CredentialResponse{}, err
		}
		req, err := cl.ProofRequest(id, nonce, keys...)
		if err != nil {
			return oid4vci.CredentialResponse{}, err
		}
		res, err := cl.Credential(ctx, req)
		if err != nil {
			return oid4vci.CredentialResponse{}, err
		}
		if res.Status == http.StatusInternalServerError {
			run.serverErrors.Add(1)
			continue
		}
		var cr oid4vci.CredentialResponse
		if res.Status != http.StatusOK || json.Unmarshal(res.Body, &cr) != nil || len(cr.Credentials) != concBatch {
			return cr, fmt.Errorf("credential request: %s", res.vciString())
		}
		return cr, nil
	}
	return oid4vci.CredentialResponse{}, fmt.Errorf("credential request for %s: three server errors", id)
}

// assertStatusEntries: the wallets saw 2,000 distinct entries, and the database holds exactly
// those, once each, in issued_credentials and status_list_entries.
func assertStatusEntries(t *testing.T, s *testServer, seen []statusEntry) {
	t.Helper()
	wallets := map[string]bool{}
	for _, st := range seen {
		list := st.URI[strings.LastIndex(st.URI, "/")+1:]
		wallets[list+":"+strconv.Itoa(st.Idx)] = true
	}
	if len(wallets) != concCredentials {
		t.Fatalf("wallets saw %d distinct status entries among %d credentials", len(wallets), len(seen))
	}
	db := s.Env.DB.Gorm
	count := func(q string) int64 {
		var n int64
		if err := db.Raw(q).Scan(&n).Error; err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	for q, want := range map[string]int64{
		`SELECT count(*) FROM issued_credentials`:                                                     concCredentials,
		`SELECT count(*) FROM (SELECT DISTINCT status_list_id, status_idx FROM issued_credentials) d`: concCredentials,
		`SELECT count(*) FROM status_list_entries`:                                                    concCredentials,
		`SELECT count(*) FROM issued_credentials ic JOIN status_list_entries e ON e.list_id = ic.status_list_id AND e.idx = ic.status_idx AND e.credential_id = ic.credential_id`: concCredentials,
		`SELECT count(*) FROM beschikking_credentials WHERE claims IS NOT NULL`:                                                                                                   0,
		`SELECT count(*) FROM beschikkingen WHERE state <> 'issued'`:                                                                                                              0,
		`SELECT count(*) FROM status_lists l WHERE l.size < (SELECT count(*) FROM status_list_entries e WHERE e.list_id = l.id)`:                                                  0,
	} {
		if got := count(q); got != want {
			t.Errorf("%s = %d, want %d", q, got, want)
		}
	}
	var rows []struct {
		StatusListID string
		StatusIdx    int
	}
	if err := db.Raw(`SELECT status_list_id, status_idx FROM issued_credentials`).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if !wallets[r.StatusListID+":"+strconv.Itoa(r.StatusIdx)] {
			t.Fatalf("issued_credentials has %s:%d, which no wallet received", r.StatusListID, r.StatusIdx)
		}
	}
	t.Logf("%d status lists used", count(`SELECT count(*) FROM status_lists`))
}

// assertAudit: one credential.issue record per successful credential request, none lost and
// none twice, and their counts add up to the credentials issued; one denied record per
// credential request the server failed.
func assertAudit(t *testing.T, s *testServer, requests, failed int) {
	t.Helper()
	var rows []struct {
		Subject string
		Details string
	}
	if err := s.Env.DB.Gorm.Raw(`SELECT subject, details FROM audit_events WHERE action = 'credential.issue'`).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	subjects, sum := map[string]int{}, 0
	for _, r := range rows {
		var d struct {
			Count string `json:"count"`
		}
		if err := json.Unmarshal([]byte(r.Details), &d); err != nil {
			t.Fatalf("details %q: %v", r.Details, err)
		}
		n, err := strconv.Atoi(d.Count)
		if err != nil {
			t.Fatalf("details %q: %v", r.Details, err)
		}
		sum += n
		subjects[r.Subject]++
	}
	if len(rows) != requests || len(subjects) != requests || sum != concCredentials {
		t.Fatalf("audit: %d credential.issue records for %d credentials (%d distinct), want %d for %d",
			len(rows), sum, len(subjects), requests, concCredentials)
	}
	var denied int64
	if err := s.Env.DB.Gorm.Raw(`SELECT count(*) FROM audit_events WHERE action LIKE 'oid4vci.%' AND outcome = 'denied'`).Scan(&denied).Error; err != nil {
		t.Fatal(err)
	}
	if denied != int64(failed) {
		t.Fatalf("%d denied protocol requests in the audit log, want %d (the failed credential requests)", denied, failed)
	}
}
