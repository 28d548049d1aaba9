package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"

	"github.com/skip2/go-qrcode"
	"github.com/spf13/cobra"

	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/verifier"
)

func newPresentationCmd() *cobra.Command {
	var s settings
	cmd := &cobra.Command{Use: "presentation", Short: "Ask citizens' wallets for presentations (OpenID4VP) and show the results"}
	registerAdmin(&s, cmd.PersistentFlags())
	cmd.AddCommand(presentationRequestCmd(&s), presentationShowCmd(&s))
	return cmd
}

// presentationRequestFlags are the choices of `bewijs presentation request`.
type presentationRequestFlags struct {
	Slug, Query, DCQLFile, Purpose          string
	ResponseMode, ClientIDPrefix, URIMethod string
	WebhookURL                              string
	JSON                                    bool
}

// newRequest turns the flags into the API's request body.
func (f presentationRequestFlags) newRequest() (verifier.NewRequest, error) {
	switch {
	case f.Slug == "":
		return verifier.NewRequest{}, errors.New("--tenant is required")
	case (f.Query == "") == (f.DCQLFile == ""):
		return verifier.NewRequest{}, errors.New("give either --query NAME or --dcql-file F.json")
	}
	in := verifier.NewRequest{QueryName: f.Query, Purpose: f.Purpose, ResponseMode: f.ResponseMode,
		ClientIDPrefix: f.ClientIDPrefix, RequestURIMethod: f.URIMethod, WebhookURL: f.WebhookURL}
	if f.DCQLFile != "" {
		raw, err := os.ReadFile(f.DCQLFile)
		if err != nil {
			return in, err
		}
		if !json.Valid(raw) {
			return in, fmt.Errorf("--dcql-file %s is not JSON", f.DCQLFile)
		}
		in.Query = raw
	}
	return in, nil
}

func presentationRequestCmd(s *settings) *cobra.Command {
	var f presentationRequestFlags
	cmd := &cobra.Command{
		Use:   "request --tenant SLUG (--query NAME | --dcql-file F.json --purpose P) [--json]",
		Short: "Create a presentation request and show its QR code and wallet link",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			in, err := f.newRequest()
			if err != nil {
				return usageError{err}
			}
			return withApp(cmd, s, func(a *app) error {
				created, err := a.verifier.CreateRequest(cmd.Context(), tenant.CLI, f.Slug, in)
				if err != nil {
					return presentationError(err)
				}
				if f.JSON {
					return printJSON(cmd.OutOrStdout(), created)
				}
				return printPresentationRequest(cmd.OutOrStdout(), created.View)
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.Slug, "tenant", "", "slug of the verifying organisation")
	fl.StringVar(&f.Query, "query", "", "a named DCQL query of the requests policy, e.g. zorgstart")
	fl.StringVar(&f.DCQLFile, "dcql-file", "", "an explicit DCQL query (JSON, OpenID4VP 1.0 §6); needs --purpose")
	fl.StringVar(&f.Purpose, "purpose", "", "a purpose of the requests policy (default with --query: the query name)")
	fl.StringVar(&f.ResponseMode, "response-mode", "", "direct_post or direct_post.jwt (default: direct_post.jwt)")
	fl.StringVar(&f.ClientIDPrefix, "client-id-prefix", "", "x509_hash, x509_san_dns or decentralized_identifier (default: x509_hash with a certificate, else decentralized_identifier)")
	fl.StringVar(&f.URIMethod, "request-uri-method", "", "post or get (default: post)")
	fl.StringVar(&f.WebhookURL, "webhook-url", "", "URL that receives a signed notice when the request completes")
	fl.BoolVar(&f.JSON, "json", false, "print JSON with the API's fields")
	return cmd
}

func presentationShowCmd(s *settings) *cobra.Command {
	var (
		slug   string
		asJSON bool
	)
	cmd := &cobra.Command{
		Use: "show ID --tenant SLUG [--json]", Short: "Show a presentation request's state and result", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if slug == "" {
				return usageError{errors.New("--tenant is required")}
			}
			return withApp(cmd, s, func(a *app) error {
				v, err := a.verifier.Show(cmd.Context(), tenant.CLI, slug, args[0])
				if err != nil {
					return presentationError(err)
				}
				if asJSON {
					return printJSON(cmd.OutOrStdout(), v)
				}
				printPresentationView(cmd.OutOrStdout(), v)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&slug, "tenant", "", "slug of the verifying organisation")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON with the API's fields")
	return cmd
}

// presentationError marks what the caller can fix (invalid fields, a refusal by the requests
// policy, an unknown or expired request) as such, for exit code 2. A refusal's message holds
// the policy's reasons.
func presentationError(err error) error {
	var (
		invalid *verifier.InvalidRequestError
		denied  *verifier.PolicyDeniedError
	)
	if errors.As(err, &invalid) || errors.As(err, &denied) || errors.Is(err, verifier.ErrNotFound) || errors.Is(err, verifier.ErrExpired) {
		return usageError{err}
	}
	return err
}

// printPresentationRequest shows a new request: the QR code of its authorization request
// for a wallet on another device, and the links.
func printPresentationRequest(w io.Writer, v verifier.View) error {
	qr, err := qrcode.New(v.AuthorizationRequest, qrcode.Medium)
	if err != nil {
		return err
	}
	fmt.Fprint(w, qr.ToSmallString(false))
	fmt.Fprintf(w, "presentation request %s for purpose %s, %s, valid until %s\n", v.ID, v.Purpose, v.State, v.ExpiresAt.Format(timeLayout))
	fmt.Fprintf(w, "client id:   %s\n", v.ClientID)
	fmt.Fprintf(w, "wallet link: %s\n", v.AuthorizationRequest)
	fmt.Fprintf(w, "verify page: %s\n", v.VerifyPageURL)
	return nil
}

const timeLayout = "2006-01-02 15:04 MST"

// printPresentationView shows a request's state and, once answered, its result: per
// credential the issuer, type, status and the disclosed claims; for a rejection the reason.
func printPresentationView(w io.Writer, v verifier.View) {
	fmt.Fprintf(w, "presentation request %s for purpose %s: %s\n", v.ID, v.Purpose, v.State)
	switch {
	case v.State == verifier.Pending || v.State == verifier.Retrieved:
		fmt.Fprintf(w, "waiting for the wallet until %s\nwallet link: %s\nverify page: %s\n", v.ExpiresAt.Format(timeLayout), v.AuthorizationRequest, v.VerifyPageURL)
	case v.Result == nil:
		fmt.Fprintf(w, "no answer; expired at %s\n", v.ExpiresAt.Format(timeLayout))
	case !v.Result.Verified:
		printRejection(w, *v.Result)
	default:
		for _, c := range v.Result.Credentials {
			printDisclosed(w, c)
		}
		if v.Result.EvidenceKept {
			fmt.Fprintln(w, "the presentation is kept as evidence (see the verifier settings)")
		}
	}
	if v.CompletedAt != nil {
		fmt.Fprintf(w, "completed at %s\n", v.CompletedAt.Format(timeLayout))
	}
}

func printRejection(w io.Writer, o verifier.Outcome) {
	fmt.Fprintf(w, "rejected: %s", o.Reason)
	if o.Detail != "" {
		fmt.Fprintf(w, ": %s", o.Detail)
	}
	if o.CredentialQueryID != "" {
		fmt.Fprintf(w, " (credential query %s)", o.CredentialQueryID)
	}
	fmt.Fprintln(w)
}

func printDisclosed(w io.Writer, c verifier.DisclosedCredential) {
	fmt.Fprintf(w, "credential %s: %s\n  issuer: %s\n  status: %s\n", c.QueryID, c.VCT, c.Issuer, c.Status)
	if !c.ExpiresAt.IsZero() {
		fmt.Fprintf(w, "  expires: %s\n", c.ExpiresAt.Format(timeLayout))
	}
	for _, reason := range c.Trust {
		fmt.Fprintf(w, "  trusted: %s\n", reason)
	}
	claims := map[string]string{}
	flattenClaims("", c.Claims, claims)
	names := make([]string, 0, len(claims))
	for name := range claims {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "  %s: %s\n", name, claims[name])
	}
}

// flattenClaims writes each leaf of nested claims under its dotted path (array elements as
// [i]).
func flattenClaims(prefix string, v any, out map[string]string) {
	switch node := v.(type) {
	case map[string]any:
		for name, child := range node {
			path := name
			if prefix != "" {
				path = prefix + "." + name
			}
			flattenClaims(path, child, out)
		}
	case []any:
		for i, child := range node {
			flattenClaims(prefix+"["+strconv.Itoa(i)+"]", child, out)
		}
	case string:
		out[prefix] = node
	default:
		b, err := json.Marshal(node)
		if err != nil {
			b = []byte(fmt.Sprint(node))
		}
		out[prefix] = string(b)
	}
}
