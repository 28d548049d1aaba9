package api_test

import (
	"net/http"
	"testing"

	"github.com/sociaaldomein/bewijs/issuer/oid4vci"
	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
)

// Wallets still on OpenID4VCI drafts 13-15 send the singular proof object and name the
// credential by format and vct; they are served too. Sending proof and proofs together is
// refused.
func TestDraftWalletsSingularProof(t *testing.T) {
	s, key := issuanceServer(t, migrationstest.Engines()[0])
	c := s.createBeschikking(t, key, "01-wmo-hbh-minuten-per-week.json", "")
	cl := newVCIClient(s, "gemeente-amsterdam", false)
	if err := cl.Redeem(t.Context(), c.preAuthorizedCode(t), ""); err != nil {
		t.Fatal(err)
	}
	nonce, err := cl.CNonce(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	withProofs, err := cl.ProofRequest("", nonce, mustKey())
	if err != nil {
		t.Fatal(err)
	}
	both := oid4vci.CredentialRequest{CredentialConfigurationID: "wmo_beschikking_dc_sd_jwt", Proofs: withProofs.Proofs,
		Proof: &oid4vci.Proof{ProofType: "jwt", JWT: withProofs.Proofs.JWT[0]}}
	res, err := cl.Credential(t.Context(), both)
	if err != nil || res.Status != http.StatusBadRequest || res.vciError().Error != oid4vci.ErrInvalidCredentialRequest {
		t.Fatalf("proof and proofs together: %s (%v)", res.vciString(), err)
	}

	draft := oid4vci.CredentialRequest{Format: "dc+sd-jwt", VCT: "urn:nl:sociaaldomein:wmo:toewijzing:1",
		Proof: &oid4vci.Proof{ProofType: "jwt", JWT: withProofs.Proofs.JWT[0]}}
	res, err = cl.Credential(t.Context(), draft)
	if err != nil || res.Status != http.StatusOK {
		t.Fatalf("draft-style request: %s (%v)", res.vciString(), err)
	}
	var body oid4vci.CredentialResponse
	res.json(t, &body)
	if len(body.Credentials) != 1 || body.Credentials[0].Credential == "" || body.NotificationID == "" {
		t.Fatalf("response %s", res.Body)
	}
}
