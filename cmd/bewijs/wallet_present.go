package main

import (
	"bufio"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sociaaldomein/bewijs/wallet"
)

// walletPresentFlags are the choices of `bewijs wallet present`.
type walletPresentFlags struct {
	Yes             bool
	JSON            bool
	TrustCA         string
	IncludeOptional bool
}

func walletPresentCmd(f *walletFlags) *cobra.Command {
	var pf walletPresentFlags
	cmd := &cobra.Command{
		Use:   "present LINK [--yes] [--json] [--trust-ca FILE.pem]",
		Short: "Answer an OpenID4VP request (openid4vp:// link) with credentials from the wallet",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts, err := pf.options()
			if err != nil {
				return usageError{err}
			}
			opts.InsecureLocalhost = f.InsecureLocalhost
			w, err := f.open()
			if err != nil {
				return err
			}
			// With --json the consent screen goes to stderr, so stdout stays one JSON document.
			screen := cmd.OutOrStdout()
			if pf.JSON {
				screen = cmd.ErrOrStderr()
			}
			consent := consentOn(cmd, screen, pf.Yes)
			res, err := w.Present(cmd.Context(), args[0], opts, consent)
			if errors.Is(err, wallet.ErrConsentRefused) {
				fmt.Fprintln(screen, "Nothing was shared.")
				return nil
			}
			if err != nil {
				return err
			}
			if pf.JSON {
				return printJSON(cmd.OutOrStdout(), presentJSON(res))
			}
			printPresented(cmd.OutOrStdout(), res)
			return nil
		},
	}
	cmd.Flags().BoolVar(&pf.Yes, "yes", false, "share without asking")
	cmd.Flags().BoolVar(&pf.JSON, "json", false, "print what was shared as JSON")
	cmd.Flags().StringVar(&pf.TrustCA, "trust-ca", "", "PEM file of CA certificates a verifier's x509 certificate must chain to")
	cmd.Flags().BoolVar(&pf.IncludeOptional, "include-optional", false, "also answer optional credential sets")
	return cmd
}

func (pf walletPresentFlags) options() (wallet.PresentOptions, error) {
	opts := wallet.PresentOptions{IncludeOptional: pf.IncludeOptional}
	if pf.TrustCA == "" {
		return opts, nil
	}
	pem, err := os.ReadFile(pf.TrustCA)
	if err != nil {
		return opts, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return opts, fmt.Errorf("%s holds no PEM certificate", pf.TrustCA)
	}
	opts.TrustedRoots = pool
	return opts, nil
}

// printConsent shows the holder who asks and exactly what would be shared. The values are
// the holder's own data, shown to the holder only.
func printConsent(w io.Writer, req wallet.Request, plan wallet.Plan) {
	fmt.Fprintf(w, "Verifier:  %s\n", req.VerifierName)
	fmt.Fprintf(w, "Client id: %s\n", req.ClientID)
	switch {
	case req.X509ChainVerified:
		fmt.Fprintln(w, "Certificate chain: verified against your trusted CAs")
	case strings.HasPrefix(req.Prefix, "x509"):
		fmt.Fprintln(w, "WARNING: the verifier's certificate chain was NOT verified (no --trust-ca); anyone can make such a certificate")
	}
	if p := req.Purpose(); p != "" {
		fmt.Fprintf(w, "Purpose:   %s\n", p)
	}
	for _, it := range plan.Items {
		fmt.Fprintf(w, "\nFrom credential %s (%s), for %q:\n", it.CredentialID, it.VCT, it.QueryID)
		if len(it.Claims) == 0 {
			fmt.Fprintln(w, "  no selectively disclosable claims")
		}
		for _, cl := range it.Claims {
			fmt.Fprintf(w, "  %s: %s\n", wallet.PathString(cl.Path), claimText(cl.Value))
		}
		fmt.Fprintf(w, "  always included: %s\n", strings.Join(it.AlwaysDisclosed, ", "))
	}
	fmt.Fprintln(w)
}

func claimText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// askYes reads one answer; only y or yes (any case) agrees.
func askYes(in io.Reader, out io.Writer, question string) bool {
	fmt.Fprint(out, question)
	line, _ := bufio.NewReader(in).ReadString('\n')
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes", "j", "ja":
		return true
	}
	return false
}

// presentedJSON is the --json output.
type presentedJSON struct {
	Verifier     string          `json:"verifier"`
	ClientID     string          `json:"client_id"`
	ResponseMode string          `json:"response_mode"`
	Disclosed    []disclosedJSON `json:"disclosed"`
	RedirectURI  string          `json:"redirect_uri,omitempty"`
}

type disclosedJSON struct {
	QueryID      string         `json:"query_id"`
	CredentialID string         `json:"credential_id"`
	VCT          string         `json:"vct"`
	Claims       map[string]any `json:"claims"`
}

func presentJSON(res wallet.PresentResult) presentedJSON {
	out := presentedJSON{Verifier: res.Verifier, ClientID: res.ClientID, ResponseMode: res.ResponseMode,
		RedirectURI: res.RedirectURI, Disclosed: []disclosedJSON{}}
	for _, d := range res.Disclosed {
		out.Disclosed = append(out.Disclosed, disclosedJSON{QueryID: d.QueryID, CredentialID: d.CredentialID, VCT: d.VCT, Claims: d.Claims})
	}
	return out
}

func printPresented(w io.Writer, res wallet.PresentResult) {
	for _, d := range res.Disclosed {
		fmt.Fprintf(w, "shared %d claim(s) of %s with %s\n", len(d.Claims), d.CredentialID, res.Verifier)
	}
	if res.RedirectURI != "" {
		fmt.Fprintf(w, "continue at: %s\n", res.RedirectURI)
	}
}

// consentOn shows the consent screen on screen and asks on the terminal, unless yes.
func consentOn(cmd *cobra.Command, screen io.Writer, yes bool) func(wallet.Request, wallet.Plan) bool {
	return func(req wallet.Request, plan wallet.Plan) bool {
		if yes {
			return true
		}
		printConsent(screen, req, plan)
		return askYes(cmd.InOrStdin(), screen, "Share these claims? [y/N] ")
	}
}

// consentPrompt is consentOn on standard output.
func consentPrompt(cmd *cobra.Command, yes bool) func(wallet.Request, wallet.Plan) bool {
	return consentOn(cmd, cmd.OutOrStdout(), yes)
}
