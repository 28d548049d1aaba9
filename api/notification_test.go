package api_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/sociaaldomein/bewijs/issuer/oid4vci"
	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
)

// The notification endpoint (OpenID4VCI 1.0 §11) records the wallet's event on every
// credential of the batch it names, and refuses ids it did not hand out (§11.3).
func TestNotification(t *testing.T) {
	for _, e := range migrationstest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			s, key := issuanceServer(t, e)
			c := s.createBeschikking(t, key, vciFixtureWmo, "")
			cl := newVCIClient(s, vciAmsterdam, false)
			if err := cl.Redeem(t.Context(), c.preAuthorizedCode(t), ""); err != nil {
				t.Fatal(err)
			}
			nonce, err := cl.CNonce(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			req, err := cl.ProofRequest(cl.CredentialIDs()[0], nonce, mustKey(), mustKey())
			if err != nil {
				t.Fatal(err)
			}
			res, err := cl.Credential(t.Context(), req)
			if err != nil || res.Status != http.StatusOK {
				t.Fatalf("credential request: %v %s", err, res.vciString())
			}
			var issued oid4vci.CredentialResponse
			if err := json.Unmarshal(res.Body, &issued); err != nil || len(issued.Credentials) != 2 || issued.NotificationID == "" {
				t.Fatalf("credential response %s (%v)", res.Body, err)
			}
			notify := func(id, event string) (response, error) {
				body, _ := json.Marshal(oid4vci.NotificationRequest{NotificationID: id, Event: event})
				h := http.Header{"Content-Type": {"application/json"}, "Authorization": {"Bearer " + cl.Token.AccessToken}}
				return cl.send(t.Context(), cl.endpoint("notification"), h, body)
			}

			t.Run("error - unknown notification_id", func(t *testing.T) {
				res, err := notify("not-a-notification", oid4vci.EventCredentialAccepted)
				expectVCIError(t, res, err, http.StatusBadRequest, oid4vci.ErrInvalidNotificationID)
			})
			t.Run("ok - event recorded on the whole batch", func(t *testing.T) {
				res, err := notify(issued.NotificationID, oid4vci.EventCredentialAccepted)
				if err != nil || res.Status != http.StatusNoContent {
					t.Fatalf("notification: %v %s", err, res.vciString())
				}
				var events []string
				if err := s.Env.DB.Gorm.Table("issued_credentials").Where("notification_id = ?", issued.NotificationID).
					Pluck("notified_event", &events).Error; err != nil {
					t.Fatal(err)
				}
				if len(events) != 2 || events[0] != oid4vci.EventCredentialAccepted || events[1] != oid4vci.EventCredentialAccepted {
					t.Fatalf("stored events %v, want credential_accepted twice", events)
				}
			})
		})
	}
}
