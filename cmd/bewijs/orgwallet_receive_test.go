package main_test

import (
	"strings"
	"testing"

	"github.com/sociaaldomein/bewijs/migrations/migrationstest"
)

// `org-wallet receive` refuses what the caller can fix with exit code 2, and an offer that
// cannot be redeemed with 1; the redemption itself is tested in api and issuer/orgcred.
func TestCLIOrgWalletReceiveBadInput(t *testing.T) {
	env := engineEnv(t, migrationstest.Engines()[0])
	if r := cli(t, env, "tenant", "create", "--slug", "de-linde", "--name", "De Linde", "--kind", "aanbieder", "--agb", "98000101"); r.code != 0 {
		t.Fatalf("seed: %s", r.stderr)
	}
	offer := "openid-credential-offer://?credential_offer_uri=http%3A%2F%2Fbewijs.example%2Foffer"
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"error - missing tenant", []string{"org-wallet", "receive", offer}, 2, "--tenant"},
		{"error - missing offer", []string{"org-wallet", "receive", "--tenant", "de-linde"}, 2, "OFFER"},
		{"error - unknown tenant", []string{"org-wallet", "receive", "--tenant", "bestaat-niet", offer}, 2, "not found"},
		{"error - offer not over https", []string{"org-wallet", "receive", "--tenant", "de-linde", offer}, 1, "https"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := cli(t, env, tt.args...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.want) {
				t.Fatalf("exit code %d, stderr %q; want %d mentioning %q", r.code, r.stderr, tt.code, tt.want)
			}
		})
	}
}
