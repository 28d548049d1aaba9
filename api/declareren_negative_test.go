package api_test

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/internal/w3cvc"
	"github.com/sociaaldomein/bewijs/issuer/orgcred"
	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
)

// Token requests that must be refused, each with its reason in the error description.
func TestDeclarerenTokenNegative(t *testing.T) {
	e := newDeclarerenEnv(t, migrationstest.Engines()[0])
	creds := e.walletJWTs(t)
	role, zorg := split(t, creds)
	cases := []struct {
		name  string
		vp    func(t *testing.T) string
		noKey bool
		want  string // in error_description
	}{
		{name: "error - another aanbieder's toewijzing", want: "not about the presenter", vp: func(t *testing.T) string {
			other := e.roleFor(t, "de-werkplaats")
			return e.presentation(t, []string{other, zorg}, vpOpts{Signer: "de-werkplaats", Holder: e.Env.Service.DID("de-werkplaats")})
		}},
		{name: "error - expired role", want: "expired", vp: func(t *testing.T) string {
			old := e.craftRole(t, "ketenbureau", time.Now().AddDate(-2, 0, 0), time.Now().AddDate(0, 0, -1))
			return e.presentation(t, []string{old, zorg}, vpOpts{})
		}},
		{name: "error - role from an untrusted anchor", want: "anchor", vp: func(t *testing.T) string {
			fake := e.craftRole(t, "gemeente-utrecht", time.Now().Add(-time.Hour), time.Now().AddDate(1, 0, 0))
			return e.presentation(t, []string{fake, zorg}, vpOpts{})
		}},
		{name: "error - VP signed by a key not in the holder's DID", want: "does not verify", vp: func(t *testing.T) string {
			return e.presentation(t, creds, vpOpts{KeyOf: "de-werkplaats"})
		}},
		{name: "error - wrong audience", want: "wrong_audience", vp: func(t *testing.T) string {
			return e.presentation(t, creds, vpOpts{Audience: e.URL + "/o/gemeente-utrecht/token"})
		}},
		{name: "error - wrong nonce", want: "wrong_nonce", vp: func(t *testing.T) string {
			return e.presentation(t, creds, vpOpts{Nonce: "bmllbWFuZC1oZWVmdC1kaXQtZ2VnZXZlbg"})
		}},
		{name: "error - no DPoP proof", noKey: true, want: "DPoP", vp: func(t *testing.T) string {
			return e.presentation(t, creds, vpOpts{})
		}},
	}
	_ = role
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			key := mustKey()
			if tc.noKey {
				key = nil
			}
			res := e.tokenRequest(t, tc.vp(t), key)
			if res.Status != http.StatusBadRequest || !strings.Contains(res.vciError().Description+res.vciError().Error, tc.want) {
				t.Fatalf("token: %d %s; want 400 naming %q", res.Status, res.Body, tc.want)
			}
		})
	}
	t.Run("error - VP replayed", func(t *testing.T) {
		vp := e.presentation(t, creds, vpOpts{})
		if res := e.tokenRequest(t, vp, mustKey()); res.Status != http.StatusOK {
			t.Fatalf("first use: %d %s", res.Status, res.Body)
		}
		if res := e.tokenRequest(t, vp, mustKey()); res.Status != http.StatusBadRequest || !strings.Contains(res.vciError().Description, "replayed") {
			t.Fatalf("replay: %d %s", res.Status, res.Body)
		}
	})
	t.Run("error - revoked role", func(t *testing.T) {
		akey, err := e.Env.Service.NewAPIKey(t.Context(), tenant.CLI, "ketenbureau", false)
		if err != nil {
			t.Fatal(err)
		}
		rc, err := w3cvc.ParseJWT(t.Context(), role, w3cvc.VerifyOptions{Key: didKey(e.testServer)})
		if err != nil {
			t.Fatal(err)
		}
		if res := e.postJSON(t, "/api/v1/organisation-credentials/"+rc.ID+"/revoke", akey, map[string]string{"reason": "niet meer gecontracteerd"}); res.Status != http.StatusNoContent {
			t.Fatalf("revoke role: %d %s", res.Status, res.Body)
		}
		if res := e.tokenRequest(t, e.presentation(t, creds, vpOpts{}), mustKey()); res.Status != http.StatusBadRequest || !strings.Contains(res.vciError().Description, "revoked") {
			t.Fatalf("token with a revoked role: %d %s", res.Status, res.Body)
		}
	})
}

// Declaraties that must be refused: outside the period, over the omvang, without the token's
// DPoP key.
func TestDeclaratieNegative(t *testing.T) {
	e := newDeclarerenEnv(t, migrationstest.Engines()[0])
	key := mustKey()
	tok := e.validToken(t, key)
	outside := weekLine(10)
	outside["begindatum"], outside["einddatum"] = "2025-06-02", "2025-06-08"
	cases := []struct {
		name   string
		line   map[string]any
		key    *keyChoice
		status int
		want   string
	}{
		{name: "error - outside the period", line: outside, status: http.StatusUnprocessableEntity, want: "ingangsdatum"},
		{name: "error - over the omvang", line: weekLine(181), status: http.StatusUnprocessableEntity, want: "180"},
		{name: "error - another product", line: func() map[string]any { l := weekLine(10); l["productcode"] = "01A02"; return l }(), status: http.StatusUnprocessableEntity, want: "01A02"},
		{name: "error - no DPoP proof", line: weekLine(10), key: &keyChoice{none: true}, status: http.StatusUnauthorized, want: "DPoP"},
		{name: "error - proof of another key", line: weekLine(10), key: &keyChoice{other: true}, status: http.StatusUnauthorized, want: "invalid_dpop_proof"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			k := key
			if tc.key != nil {
				k = nil
				if tc.key.other {
					k = mustKey()
				}
			}
			res := e.declare(t, tok.AccessToken, k, tc.line)
			if res.Status != tc.status || !strings.Contains(string(res.Body), tc.want) {
				t.Fatalf("declaratie: %d %s; want %d naming %q", res.Status, res.Body, tc.status, tc.want)
			}
			if tc.status == http.StatusUnauthorized && !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "DPoP") {
				t.Fatalf("WWW-Authenticate = %q", res.Header.Get("WWW-Authenticate"))
			}
		})
	}
}

type keyChoice struct{ none, other bool }

// split returns the role and the zorgtoewijzing of the wallet.
func split(t *testing.T, creds []string) (role, zorg string) {
	t.Helper()
	for _, c := range creds {
		h := payloadOf(t, c)
		switch {
		case strings.Contains(h, "OrganisatieRol"):
			role = c
		case strings.Contains(h, "Zorgtoewijzing"):
			zorg = c
		}
	}
	if role == "" || zorg == "" {
		t.Fatalf("wallet lacks a role or a zorgtoewijzing: %d credentials", len(creds))
	}
	return role, zorg
}

func payloadOf(t *testing.T, jwt string) string {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatal("not a JWT")
	}
	b, _ := base64.RawURLEncoding.DecodeString(parts[1])
	return string(b)
}

// roleFor has the trust anchor issue a role to slug and returns the credential.
func (e *declarerenEnv) roleFor(t *testing.T, slug string) string {
	t.Helper()
	issued, err := e.OrgCreds.IssueRole(t.Context(), tenant.CLI, "ketenbureau", orgcred.RoleInput{Subject: slug})
	if err != nil {
		t.Fatal(err)
	}
	return issued.Credential
}

// craftRole signs a zorgaanbieder role for the aanbieder with another tenant's key and
// validity, outside the issuing service.
func (e *declarerenEnv) craftRole(t *testing.T, signerSlug string, from, until time.Time) string {
	t.Helper()
	signer, err := e.Env.Service.Signer(t.Context(), signerSlug)
	if err != nil {
		t.Fatal(err)
	}
	jwt, err := w3cvc.SignJWT(w3cvc.Credential{ID: "urn:uuid:6c1f2f5e-8f0e-4d55-9a51-000000000001", Types: []string{"OrganisatieRol"},
		Issuer: e.Env.Service.DID(signerSlug), Subject: e.Env.Service.DID(verifierSlug),
		Claims:    map[string]any{"role": "zorgaanbieder", "agb": "98000101", "wetten": []any{"Wmo2015"}},
		ValidFrom: from, IssuedAt: from, ValidUntil: until}, signer)
	if err != nil {
		t.Fatal(err)
	}
	return jwt
}
