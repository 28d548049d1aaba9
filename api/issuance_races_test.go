package api_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/issuer/oid4vci"
	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
)

// Single-use values under concurrency: eight requests at once, spread over four replicas,
// present the same pre-authorized code, credential, c_nonce, DPoP proof or wrong tx_codes;
// exactly one may win (or none, for the tx_codes), the others get the spec's error.

const raceRequests = 8

// race runs send raceRequests times at once and counts the answers by "status error".
func race(send func(k int) (response, error)) (map[string]int, error) {
	var (
		mu       sync.Mutex
		wg       sync.WaitGroup
		outcomes = map[string]int{}
		firstErr error
	)
	start := make(chan struct{})
	for k := range raceRequests {
		wg.Go(func() {
			<-start
			res, err := send(k)
			mu.Lock()
			defer mu.Unlock()
			if err != nil && firstErr == nil {
				firstErr = err
			}
			outcomes[fmt.Sprintf("%d %s", res.Status, res.vciError().Error)]++
		})
	}
	close(start)
	wg.Wait()
	return outcomes, firstErr
}

func expectOneWinner(t *testing.T, outcomes map[string]int, err error, loser string) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"200 ": 1, loser: raceRequests - 1}
	if fmt.Sprint(outcomes) != fmt.Sprint(want) {
		t.Fatalf("outcomes = %v, want %v", outcomes, want)
	}
}

func TestIssuanceSingleUseUnderConcurrency(t *testing.T) {
	for _, e := range migrationstest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			s, key, _ := startReplicas(t, e, 4, replicaOptions{})
			// offer creates a beschikking of n products and redeems it with a DPoP client.
			offer := func(t *testing.T, n int, name string) (createdBeschikking, *vciClient) {
				res := s.postBeschikking(t, key, withProducts(toewijzingDoc(t, vciFixtureWmo), n, 36600000, name), "")
				var c createdBeschikking
				res.json(t, &c)
				cl := newVCIClient(s, vciAmsterdam, true)
				if err := cl.Redeem(t.Context(), c.preAuthorizedCode(t), ""); err != nil {
					t.Fatal(err)
				}
				return c, cl
			}
			t.Run("ok - one token for a pre-authorized code", func(t *testing.T) {
				code := s.createBeschikking(t, key, vciFixtureWmo, "").preAuthorizedCode(t)
				outcomes, err := race(func(int) (response, error) {
					return newVCIClient(s, vciAmsterdam, true).TokenRequest(context.Background(), preAuthorizedForm(code, ""))
				})
				expectOneWinner(t, outcomes, err, "400 "+oid4vci.ErrInvalidGrant)
			})
			t.Run("ok - one issuance of a credential", func(t *testing.T) {
				c, cl := offer(t, 1, "RACE-CREDENTIAL")
				outcomes, err := race(func(int) (response, error) {
					return requestWithFreshNonce(context.Background(), cl, cl.CredentialIDs()[0])
				})
				expectOneWinner(t, outcomes, err, "400 "+oid4vci.ErrCredentialRequestDenied)
				if issued, entries := s.issuedRows(t, c.ID); issued != 1 || entries != 1 {
					t.Fatalf("%d issued rows, %d status entries, want 1 and 1", issued, entries)
				}
			})
			t.Run("ok - one use of a c_nonce", func(t *testing.T) {
				c, cl := offer(t, raceRequests, "RACE-NONCE")
				nonce := mustCNonce(t, cl)
				outcomes, err := race(func(k int) (response, error) {
					req, err := cl.ProofRequest(cl.CredentialIDs()[k], nonce, mustKey())
					if err != nil {
						return response{}, err
					}
					return cl.Credential(context.Background(), req)
				})
				expectOneWinner(t, outcomes, err, "400 "+oid4vci.ErrInvalidNonce)
				if issued, _ := s.issuedRows(t, c.ID); issued != 1 {
					t.Fatalf("%d issued rows, want 1", issued)
				}
			})
			t.Run("ok - one use of a DPoP proof", func(t *testing.T) {
				_, cl := offer(t, raceRequests, "RACE-DPOP")
				proof, err := cl.DPoPProof()
				if err != nil {
					t.Fatal(err)
				}
				outcomes, err := race(func(k int) (response, error) {
					n, err := cl.CNonce(context.Background())
					if err != nil {
						return response{}, err
					}
					req, err := cl.ProofRequest(cl.CredentialIDs()[k], n, mustKey())
					if err != nil {
						return response{}, err
					}
					return cl.RawCredential(context.Background(), "DPoP "+cl.Token.AccessToken, []string{proof}, req)
				})
				expectOneWinner(t, outcomes, err, "401 "+oid4vci.ErrInvalidDPoPProof)
			})
			t.Run("error - wrong tx_codes at once kill the code", func(t *testing.T) {
				c := s.createBeschikking(t, key, vciFixtureWmo, "?tx_code=true")
				code := c.preAuthorizedCode(t)
				outcomes, err := race(func(k int) (response, error) {
					return newVCIClient(s, vciAmsterdam, false).TokenRequest(context.Background(), preAuthorizedForm(code, otherTxCode(c.TxCode, k)))
				})
				if err != nil || outcomes["400 "+oid4vci.ErrInvalidGrant] != raceRequests {
					t.Fatalf("outcomes = %v, %v", outcomes, err)
				}
				res, err := newVCIClient(s, vciAmsterdam, false).TokenRequest(t.Context(), preAuthorizedForm(code, c.TxCode))
				expectVCIError(t, res, err, http.StatusBadRequest, oid4vci.ErrInvalidGrant)
			})
		})
	}
}

// Wallets that hang up at any moment of a credential request never leave an issued
// credential without its audit record, or a record without a credential: the store writes
// the credential.issue record in the issuance transaction (acceptance: "no lost ... audit
// record"; audit.Log.Record: "a caller that cannot audit a decision must not carry it out
// silently").
func TestIssuanceConcurrentHangUpKeepsAudit(t *testing.T) {
	for _, e := range migrationstest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			s, key, _ := startReplicas(t, e, 1, replicaOptions{})
			hungUp := 0
			for k := range 24 {
				c := s.createBeschikking(t, key, vciFixtureWmo, "")
				cl := newVCIClient(s, vciAmsterdam, true)
				if err := cl.Redeem(t.Context(), c.preAuthorizedCode(t), ""); err != nil {
					t.Fatal(err)
				}
				ctx, hangUp := context.WithCancel(t.Context())
				// Hang up after 0 to about 12 ms: before, during and after the transaction.
				timer := time.AfterFunc(time.Duration(k%12)*time.Millisecond, hangUp)
				if _, err := requestWithFreshNonce(ctx, cl, cl.CredentialIDs()[0]); err != nil {
					hungUp++
				}
				timer.Stop()
				hangUp()
				// Let the server finish whatever the cancellation did not stop.
				deadline := time.Now().Add(5 * time.Second)
				for {
					issued, _ := s.issuedRows(t, c.ID)
					var records int64
					if err := s.Env.DB.Gorm.Raw(`SELECT count(*) FROM audit_events WHERE action = 'credential.issue' AND subject IN
						(SELECT id FROM beschikking_credentials WHERE beschikking_id = ?)`, c.ID).Scan(&records).Error; err != nil {
						t.Fatal(err)
					}
					if int64(issued) == records {
						break
					}
					if time.Now().After(deadline) {
						t.Fatalf("attempt %d: %d credentials issued, %d credential.issue records", k, issued, records)
					}
					time.Sleep(20 * time.Millisecond)
				}
			}
			t.Logf("%d of 24 wallets hung up before their answer", hungUp)
		})
	}
}

func requestWithFreshNonce(ctx context.Context, cl *vciClient, id string) (response, error) {
	n, err := cl.CNonce(ctx)
	if err != nil {
		return response{}, err
	}
	req, err := cl.ProofRequest(id, n, mustKey())
	if err != nil {
		return response{}, err
	}
	return cl.Credential(ctx, req)
}
