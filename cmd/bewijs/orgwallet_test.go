package main_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// weekLineFile writes a declaratie line of volume minutes of hulp bij het huishouden
// (toewijzing 36300101 of fixture 01) in the current ISO week, Monday to Sunday.
func weekLineFile(t *testing.T, volume int, extra map[string]any) string {
	t.Helper()
	now := time.Now()
	monday := now.AddDate(0, 0, -((int(now.Weekday()) + 6) % 7))
	line := map[string]any{"toewijzingnummer": 36300101, "productcategorie": "01", "productcode": "01A01",
		"begindatum": monday.Format(time.DateOnly), "einddatum": monday.AddDate(0, 0, 6).Format(time.DateOnly),
		"geleverdVolume": volume, "eenheid": "01", "bedrag": volume * 50}
	for k, v := range extra {
		line[k] = v
	}
	b, err := json.Marshal(line)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "line.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// tokenJSON is the part of `org-wallet token --json` the tests look at.
type tokenJSON struct {
	AccessToken          string          `json:"access_token"`
	TokenType            string          `json:"token_type"`
	DPoPKey              json.RawMessage `json:"dpop_key"`
	DPoPJKT              string          `json:"dpop_jkt"`
	AuthorizationDetails []struct {
		Toewijzingen []map[string]any `json:"toewijzingen"`
	} `json:"authorization_details"`
}

// The declareren flow with the real binary: serve --demo gives thuiszorg-de-linde its
// OrganisatieRol, a beschikking of gemeente-amsterdam naming it puts a Zorgtoewijzing in its
// organisation wallet, `org-wallet token` gets a DPoP-bound token from the running server, and
// `declaratie submit` declares 150 minutes this week (accepted) and then 60 more (rejected:
// the toewijzing allows 180 per week).
func TestCLIDeclareren(t *testing.T) {
	dir := t.TempDir()
	s := startServe(t, dir, freePort(t), "BEWIJS_INSECURE_LOCALHOST=true")
	admin := adminEnv(dir, s.base)
	createBeschikking(t, admin)

	r := cli(t, admin, "org-wallet", "list", "--tenant", "thuiszorg-de-linde", "--json")
	var wallet []struct {
		Type       string `json:"type"`
		Issuer     string `json:"issuer"`
		Credential string `json:"credential"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &wallet); err != nil {
		t.Fatalf("org-wallet list --json: %v %s %s", err, r.stdout, r.stderr)
	}
	types := map[string]string{}
	for _, c := range wallet {
		types[c.Type] = c.Issuer
	}
	if !strings.HasSuffix(types["Zorgtoewijzing"], ":o:gemeente-amsterdam") || !strings.HasSuffix(types["OrganisatieRol"], ":o:ketenbureau") {
		t.Fatalf("wallet holds %v, want a Zorgtoewijzing of gemeente-amsterdam and an OrganisatieRol of ketenbureau", types)
	}
	r = cli(t, admin, "org-wallet", "list", "--tenant", "thuiszorg-de-linde")
	for _, want := range []string{"Zorgtoewijzing", "OrganisatieRol", "toewijzingnummer: 36300101", "role: zorgaanbieder", "received:"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("org-wallet list lacks %q:\n%s", want, r.stdout)
		}
	}

	r = cli(t, admin, "org-wallet", "token", "--tenant", "thuiszorg-de-linde", "--gemeente", "gemeente-amsterdam", "--scope", "declareren", "--json")
	var tok tokenJSON
	if err := json.Unmarshal([]byte(r.stdout), &tok); err != nil || r.code != 0 {
		t.Fatalf("org-wallet token --json: %d %v %s %s", r.code, err, r.stdout, r.stderr)
	}
	if tok.AccessToken == "" || tok.TokenType != "DPoP" || tok.DPoPJKT == "" || !strings.Contains(string(tok.DPoPKey), `"d":`) ||
		len(tok.AuthorizationDetails) != 1 || len(tok.AuthorizationDetails[0].Toewijzingen) != 1 || tok.AuthorizationDetails[0].Toewijzingen[0]["toewijzingnummer"] != float64(36300101) {
		t.Fatalf("org-wallet token --json = %s", r.stdout)
	}
	keyFile := filepath.Join(t.TempDir(), "dpop.jwk")
	if err := os.WriteFile(keyFile, tok.DPoPKey, 0o600); err != nil {
		t.Fatal(err)
	}
	r = cli(t, admin, "declaratie", "submit", "--tenant", "thuiszorg-de-linde", "--token", tok.AccessToken, "--dpop-key", keyFile, "--file", weekLineFile(t, 150, nil))
	if r.code != 0 || !strings.HasPrefix(r.stdout, "accepted: declaratie ") {
		t.Fatalf("declaratie of 150 minutes: %d %s %s", r.code, r.stdout, r.stderr)
	}

	// A second token, its key in a file; 150 + 60 is over the 180 minutes per week.
	keyOut := filepath.Join(t.TempDir(), "dpop2.jwk")
	r = cli(t, admin, "org-wallet", "token", "--tenant", "thuiszorg-de-linde", "--gemeente", "gemeente-amsterdam", "--dpop-key-out", keyOut)
	token, _, _ := strings.Cut(strings.TrimPrefix(r.stdout, "access token (DPoP, scope declareren, valid 300s): "), "\n")
	if r.code != 0 || !strings.Contains(r.stdout, "covers toewijzingen: 36300101") || strings.Count(token, ".") != 2 {
		t.Fatalf("org-wallet token: %d %s %s", r.code, r.stdout, r.stderr)
	}
	if info, err := os.Stat(keyOut); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("DPoP key file: %v %v", info, err)
	}
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte(token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r = cli(t, admin, "declaratie", "submit", "--tenant", "thuiszorg-de-linde", "--token", "@"+tokenFile, "--dpop-key", keyOut, "--file", weekLineFile(t, 60, nil), "--json")
	var out struct {
		Accepted bool     `json:"accepted"`
		Reasons  []string `json:"reasons"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || r.code != 1 || out.Accepted || !strings.Contains(strings.Join(out.Reasons, " "), "180") {
		t.Fatalf("declaratie over the omvang: %d %v %s %s", r.code, err, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, "rejected") || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
		t.Fatalf("a rejection says so on one line of stderr: %q", r.stderr)
	}
	// The token is bound to its key: the first key does not go with the second token.
	r = cli(t, admin, "declaratie", "submit", "--tenant", "thuiszorg-de-linde", "--token", token, "--dpop-key", keyFile, "--file", weekLineFile(t, 10, nil))
	if r.code != 1 || !strings.Contains(r.stderr, "401") {
		t.Fatalf("declaratie with another DPoP key: %d %s %s", r.code, r.stdout, r.stderr)
	}
	s.stop(t)
}

func TestCLIDeclarerenBadInput(t *testing.T) {
	dir := t.TempDir()
	admin := seededOffline(t, dir, "http://127.0.0.1:1")
	key := filepath.Join(t.TempDir(), "key.jwk")
	if err := os.WriteFile(key, []byte(`{"kty":"EC","crv":"P-256","x":"x","y":"y"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	line := weekLineFile(t, 10, nil)
	submit := []string{"declaratie", "submit", "--tenant", "thuiszorg-de-linde", "--token", "a.b.c"}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"error - role issued by a gemeente", []string{"role", "issue", "--tenant", "gemeente-amsterdam", "--subject", "thuiszorg-de-linde"}, "trust-anchor"},
		{"error - role for an unknown organisation", []string{"role", "issue", "--tenant", "ketenbureau", "--subject", "bestaat-niet"}, "subject"},
		{"error - role with an unknown law", []string{"role", "issue", "--tenant", "ketenbureau", "--subject", "thuiszorg-de-linde", "--wetten", "Wlz"}, "wetten"},
		{"error - role valid until a bad date", []string{"role", "issue", "--tenant", "ketenbureau", "--subject", "thuiszorg-de-linde", "--valid-until", "morgen"}, "--valid-until"},
		{"error - role without subject", []string{"role", "issue", "--tenant", "ketenbureau"}, "--subject"},
		{"error - wallet of an unknown organisation", []string{"org-wallet", "list", "--tenant", "bestaat-niet"}, "not found"},
		{"error - token without a place for the key", []string{"org-wallet", "token", "--tenant", "thuiszorg-de-linde", "--gemeente", "gemeente-amsterdam"}, "--dpop-key-out"},
		{"error - token at an aanbieder", []string{"org-wallet", "token", "--tenant", "thuiszorg-de-linde", "--gemeente", "thuiszorg-de-linde", "--json"}, "not a gemeente"},
		{"error - submit without file", append(submit, "--dpop-key", key), "--file"},
		{"error - submit with a public key only", append(submit, "--dpop-key", key, "--file", line), "private member d"},
		{"error - submit a line with an unknown field", append(submit, "--dpop-key", key, "--file", weekLineFile(t, 10, map[string]any{"btw": 9})), "btw"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := cli(t, admin, tt.args...)
			if r.code != 2 {
				t.Fatalf("exit code = %d, want 2 (stdout %q, stderr %q)", r.code, r.stdout, r.stderr)
			}
			if r.stdout != "" || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 || !strings.Contains(r.stderr, tt.want) {
				t.Fatalf("stdout %q, stderr %q; want nothing on stdout and one line mentioning %q", r.stdout, r.stderr, tt.want)
			}
		})
	}

	// A role from the trust anchor, for a date.
	r := cli(t, admin, "role", "issue", "--tenant", "ketenbureau", "--subject", "jeugdhulp-rivierenland", "--wetten", "Jeugdwet", "--valid-until", time.Now().AddDate(0, 6, 0).Format(time.DateOnly), "--json")
	var issued struct {
		Type       string `json:"type"`
		Subject    string `json:"subject"`
		ValidUntil string `json:"valid_until"`
		Delivered  bool   `json:"delivered"`
		Credential string `json:"credential"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &issued); err != nil || r.code != 0 {
		t.Fatalf("role issue --json: %d %v %s %s", r.code, err, r.stdout, r.stderr)
	}
	if issued.Type != "OrganisatieRol" || !issued.Delivered || !strings.HasSuffix(issued.ValidUntil, "T23:59:59Z") || strings.Count(issued.Credential, ".") != 2 {
		t.Fatalf("role issue --json = %s", r.stdout)
	}
}
