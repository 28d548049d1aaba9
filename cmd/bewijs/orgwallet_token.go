package main

import (
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/sociaaldomein/bewijs/internal/dpop"
	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/internal/w3cvc"
	"github.com/sociaaldomein/bewijs/issuer/orgcred"
	"github.com/sociaaldomein/bewijs/verifier/declareren"
)

// tokenFlags are the choices of `bewijs org-wallet token`.
type tokenFlags struct {
	Aanbieder, Gemeente, Scope, KeyOut string
	JSON                               bool
}

func (f tokenFlags) check() error {
	switch {
	case f.Aanbieder == "" || f.Gemeente == "":
		return errors.New("--tenant and --gemeente are required")
	case !f.JSON && f.KeyOut == "":
		return errors.New("--dpop-key-out FILE is required without --json: the token is useless without its DPoP key")
	}
	return nil
}

// tokenOutput is what `org-wallet token --json` prints: the token response and the DPoP key
// it is bound to, as a private JWK.
type tokenOutput struct {
	declareren.TokenResponse
	DPoPKey json.RawMessage `json:"dpop_key"`
	DPoPJKT string          `json:"dpop_jkt"`
}

func orgWalletTokenCmd(s *settings) *cobra.Command {
	var f tokenFlags
	cmd := &cobra.Command{
		Use:   "token --tenant AANBIEDER --gemeente SLUG [--scope declareren] (--dpop-key-out FILE | --json)",
		Short: "Get a DPoP-bound declareren access token at a gemeente with the credentials of the organisation wallet",
		Long: `Runs the VP Token grant (Nuts RFC021) against the running server at the public URL, as the
aanbieder would: it fetches a nonce (POST <public>/o/<gemeente>/token-nonce), presents the
wallet's OrganisatieRol and the gemeente's Zorgtoewijzing credentials in a verifiable
presentation signed with the aanbieder's key (audience <public>/o/<gemeente>/token), and asks
the token endpoint for a token bound to a fresh DPoP key (RFC 9449).

The DPoP key is not stored in the database: it goes to --dpop-key-out FILE (a private JWK,
mode 0600), and with --json also into the output as dpop_key. Keep it as secret as the token:
together they let anyone declare for the aanbieder until the token expires. Pass the file to
` + "`bewijs declaratie submit --dpop-key FILE`" + `.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := f.check(); err != nil {
				return usageError{err}
			}
			return withApp(cmd, s, func(a *app) error { return runToken(cmd, a, f) })
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.Aanbieder, "tenant", "", "slug of the aanbieder whose organisation wallet presents")
	fl.StringVar(&f.Gemeente, "gemeente", "", "slug of the gemeente to declare to")
	fl.StringVar(&f.Scope, "scope", declareren.Scope, "the scope to ask for")
	fl.StringVar(&f.KeyOut, "dpop-key-out", "", "write the DPoP key (private JWK, mode 0600) to this file")
	fl.BoolVar(&f.JSON, "json", false, "print the token response with dpop_key (the private JWK) as JSON")
	return cmd
}

func runToken(cmd *cobra.Command, a *app, f tokenFlags) error {
	ctx := cmd.Context()
	vp, err := presentWallet(ctx, a, f.Aanbieder, f.Gemeente)
	if err != nil {
		return err
	}
	key, err := newDPoPKey()
	if err != nil {
		return err
	}
	res, err := requestToken(ctx, a.tenants.IssuerURL(f.Gemeente)+"/token", vp, f.Scope, key)
	if err != nil {
		return err
	}
	jwk, err := privateJWK(key)
	if err != nil {
		return err
	}
	jkt, err := dpop.Thumbprint(&key.PublicKey)
	if err != nil {
		return err
	}
	if f.KeyOut != "" {
		if err := writeKeyFile(f.KeyOut, jwk); err != nil {
			return fmt.Errorf("writing the DPoP key: %w", err)
		}
	}
	if f.JSON {
		return printJSON(cmd.OutOrStdout(), tokenOutput{TokenResponse: res, DPoPKey: jwk, DPoPJKT: jkt})
	}
	w := cmd.OutOrStdout()
	fmt.Fprintf(w, "access token (%s, scope %s, valid %ds): %s\n", res.TokenType, res.Scope, res.ExpiresIn, res.AccessToken)
	fmt.Fprintf(w, "covers toewijzingen: %s\n", strings.Join(coveredNumbers(res), ", "))
	fmt.Fprintf(w, "DPoP key (jkt %s) written to %s\n", jkt, f.KeyOut)
	return nil
}

// presentWallet builds the aanbieder's presentation for the gemeente's token endpoint: its
// newest OrganisatieRol and the Zorgtoewijzing credentials that gemeente issued (no others:
// another gemeente has no business with them), with a nonce from the server.
func presentWallet(ctx context.Context, a *app, aanbieder, gemeente string) (string, error) {
	if g, err := a.tenants.Lookup(ctx, gemeente); err != nil || g.Kind != tenant.Gemeente {
		return "", usageError{fmt.Errorf("--gemeente %q is not a gemeente of this instance", gemeente)}
	}
	wallet, err := a.orgcreds.Wallet(ctx, tenant.CLI, aanbieder)
	if err != nil {
		return "", orgcredError(err)
	}
	creds, err := walletCredentials(wallet, a.tenants.DID(gemeente))
	if err != nil {
		return "", fmt.Errorf("the organisation wallet of %s %w", aanbieder, err)
	}
	issuerURL := a.tenants.IssuerURL(gemeente)
	nonce, err := fetchNonce(ctx, issuerURL+"/token-nonce")
	if err != nil {
		return "", err
	}
	signer, err := a.tenants.Signer(ctx, aanbieder)
	if err != nil {
		return "", err
	}
	now := time.Now()
	return w3cvc.SignPresentationJWT(w3cvc.Presentation{ID: "urn:uuid:" + uuid.NewString(), Holder: a.tenants.DID(aanbieder),
		Audience: issuerURL + "/token", Nonce: nonce, IssuedAt: now, Expires: now.Add(5 * time.Minute), Credentials: creds}, signer)
}

// walletCredentials picks the newest role and the gemeente's zorgtoewijzingen.
func walletCredentials(wallet []orgcred.WalletEntry, gemeenteDID string) ([]string, error) {
	var role *orgcred.WalletEntry
	var toewijzingen []string
	for i, e := range wallet {
		switch {
		case e.Type == orgcred.TypeRole && (role == nil || e.ReceivedAt.After(role.ReceivedAt)):
			role = &wallet[i]
		case e.Type == orgcred.TypeZorgtoewijzing && e.Issuer == gemeenteDID:
			toewijzingen = append(toewijzingen, e.Credential)
		}
	}
	switch {
	case role == nil:
		return nil, errors.New("holds no OrganisatieRol credential; a trust anchor issues one with `bewijs role issue`")
	case len(toewijzingen) == 0:
		return nil, errors.New("holds no Zorgtoewijzing credential of this gemeente; they come with beschikkingen that name the aanbieder")
	}
	return append([]string{role.Credential}, toewijzingen...), nil
}

// httpClient talks to this instance's public URL.
var httpClient = &http.Client{Timeout: 30 * time.Second}

// fetchNonce asks the token-nonce endpoint for a server nonce.
func fetchNonce(ctx context.Context, endpoint string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, nil)
	if err != nil {
		return "", err
	}
	var out struct {
		Nonce string `json:"nonce"`
	}
	if err := doJSON(req, http.StatusOK, &out); err != nil {
		return "", fmt.Errorf("token-nonce: %w", err)
	}
	if out.Nonce == "" {
		return "", errors.New("token-nonce: the answer has no nonce")
	}
	return out.Nonce, nil
}

// requestToken sends the VP Token grant (Nuts RFC021 §3.1) with a DPoP proof (RFC 9449 §5).
func requestToken(ctx context.Context, endpoint, vp, scope string, key crypto.Signer) (declareren.TokenResponse, error) {
	form := url.Values{"grant_type": {declareren.GrantType}, "assertion": {vp}, "scope": {scope}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return declareren.TokenResponse{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	proof, err := dpop.New(key, http.MethodPost, endpoint, "", "", time.Now())
	if err != nil {
		return declareren.TokenResponse{}, err
	}
	req.Header.Set(dpop.HeaderName, proof)
	var res declareren.TokenResponse
	if err := doJSON(req, http.StatusOK, &res); err != nil {
		return res, fmt.Errorf("token endpoint: %w", err)
	}
	if res.AccessToken == "" || !strings.EqualFold(res.TokenType, "DPoP") {
		return res, fmt.Errorf("token endpoint: no DPoP-bound access token in the answer (token_type %q)", res.TokenType)
	}
	return res, nil
}

// doJSON sends req and decodes a JSON answer of status want; any other answer becomes an
// error with the server's OAuth error or problem detail.
func doJSON(req *http.Request, want int, into any) error {
	res, err := httpClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return err
	}
	if res.StatusCode != want {
		return fmt.Errorf("HTTP %d: %s", res.StatusCode, serverMessage(body))
	}
	if err := json.Unmarshal(body, into); err != nil {
		return fmt.Errorf("the answer is not JSON: %w", err)
	}
	return nil
}

// serverMessage is the error an answer carries: an OAuth error (RFC 6749 §5.2) or a problem
// (RFC 9457), else the start of the body.
func serverMessage(body []byte) string {
	var e struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
		Title       string `json:"title"`
		Detail      string `json:"detail"`
	}
	_ = json.Unmarshal(body, &e)
	switch {
	case e.Error != "":
		return strings.TrimSuffix(e.Error+": "+e.Description, ": ")
	case e.Detail != "" || e.Title != "":
		return strings.TrimSuffix(e.Title+": "+e.Detail, ": ")
	}
	if len(body) > 200 {
		body = body[:200]
	}
	return strings.TrimSpace(string(body))
}

func coveredNumbers(res declareren.TokenResponse) []string {
	var out []string
	for _, d := range res.AuthorizationDetails {
		for _, z := range d.Toewijzingen {
			n, _ := json.Marshal(z["toewijzingnummer"]) // a float64 from JSON: not fmt.Sprint's 3.6e+07
			out = append(out, string(n))
		}
	}
	sort.Strings(out)
	return out
}
