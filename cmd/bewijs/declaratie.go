package main

import (
	"bytes"
	"context"
	"crypto"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sociaaldomein/bewijs/internal/dpop"
	"github.com/sociaaldomein/bewijs/verifier/declareren"
)

func newDeclaratieCmd() *cobra.Command {
	var s settings
	cmd := &cobra.Command{Use: "declaratie", Short: "Declare care as an aanbieder, with a declareren token from `bewijs org-wallet token`"}
	registerAdmin(&s, cmd.PersistentFlags())
	cmd.AddCommand(declaratieSubmitCmd(&s))
	return cmd
}

// submitFlags are the choices of `bewijs declaratie submit`.
type submitFlags struct {
	Aanbieder, Token, KeyFile, File string
	JSON                            bool
}

// read checks the flags and reads the line and the DPoP key.
func (f *submitFlags) read() (declareren.Line, crypto.Signer, error) {
	if f.Aanbieder == "" || f.Token == "" || f.KeyFile == "" || f.File == "" {
		return declareren.Line{}, nil, errors.New("--tenant, --token, --dpop-key and --file are required")
	}
	// --token @FILE reads the token from a file, so that it does not show in the process list.
	if name, ok := strings.CutPrefix(f.Token, "@"); ok {
		b, err := os.ReadFile(name)
		if err != nil {
			return declareren.Line{}, nil, fmt.Errorf("--token %s: %w", f.Token, err)
		}
		f.Token = strings.TrimSpace(string(b))
	}
	raw, err := os.ReadFile(f.File)
	if err != nil {
		return declareren.Line{}, nil, err
	}
	var line declareren.Line
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&line); err != nil {
		return line, nil, fmt.Errorf("--file %s is not a declaratie line: %w", f.File, err)
	}
	key, err := readKeyFile(f.KeyFile)
	if err != nil {
		return line, nil, fmt.Errorf("--dpop-key %s: %w", f.KeyFile, err)
	}
	return line, key, nil
}

func declaratieSubmitCmd(s *settings) *cobra.Command {
	var f submitFlags
	cmd := &cobra.Command{
		Use:   "submit --tenant AANBIEDER --token T --dpop-key FILE --file F.json [--json]",
		Short: "Declare one line at the running server; exit 0 when accepted, 1 when rejected, 2 on usage errors",
		Long: `Posts one declaratie line (JSON: toewijzingnummer, productcategorie, productcode, begindatum,
einddatum, geleverdVolume, eenheid, bedrag in eurocent) to <public>/api/v1/declaraties with
'Authorization: DPoP <token>' and a fresh DPoP proof (with ath) of the key the token is bound to.
Get both with ` + "`bewijs org-wallet token --tenant AANBIEDER --gemeente SLUG --dpop-key-out FILE`" + `;
--dpop-key takes that file (a private JWK, also the dpop_key of its --json output).
The gemeente's declareren policy accepts or rejects the line, with its reasons.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			line, key, err := f.read()
			if err != nil {
				return usageError{err}
			}
			return withApp(cmd, s, func(a *app) error {
				if sub := tokenSubject(f.Token); sub != a.tenants.DID(f.Aanbieder) {
					return usageError{fmt.Errorf("--token is not a declareren token of %s (its subject is %q)", f.Aanbieder, sub)}
				}
				out, err := submitLine(cmd.Context(), a.publicURL.String()+"/api/v1/declaraties", f.Token, key, line)
				if err != nil {
					return err
				}
				return printOutcome(cmd.OutOrStdout(), out, f.JSON)
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.Aanbieder, "tenant", "", "slug of the declaring aanbieder (the token's subject)")
	fl.StringVar(&f.Token, "token", "", "the declareren access token from `bewijs org-wallet token`, or @FILE to read it from a file (keeps it out of the process list)")
	fl.StringVar(&f.KeyFile, "dpop-key", "", "file with the token's DPoP key (private JWK) from `bewijs org-wallet token --dpop-key-out`")
	fl.StringVar(&f.File, "file", "", "the declaratie line (JSON)")
	fl.BoolVar(&f.JSON, "json", false, "print the server's answer as JSON")
	return cmd
}

// submitLine posts the line with the token and a DPoP proof with ath (RFC 9449 §7). A
// rejection (422) is an outcome, not an error; input the server refuses (400, 413, 415) is a
// usage error.
func submitLine(ctx context.Context, endpoint, token string, key crypto.Signer, line declareren.Line) (declareren.Outcome, error) {
	body, err := json.Marshal(line)
	if err != nil {
		return declareren.Outcome{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return declareren.Outcome{}, err
	}
	proof, err := dpop.New(key, http.MethodPost, endpoint, "", token, time.Now())
	if err != nil {
		return declareren.Outcome{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "DPoP "+token)
	req.Header.Set(dpop.HeaderName, proof)
	res, err := httpClient.Do(req)
	if err != nil {
		return declareren.Outcome{}, err
	}
	defer res.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return declareren.Outcome{}, err
	}
	var out declareren.Outcome
	switch res.StatusCode {
	case http.StatusCreated, http.StatusUnprocessableEntity:
		if err := json.Unmarshal(answer, &out); err != nil {
			return out, fmt.Errorf("declaraties: the answer is not JSON: %w", err)
		}
		out.Accepted = res.StatusCode == http.StatusCreated && out.Accepted
		if !out.Accepted && len(out.Reasons) == 0 {
			out.Reasons = []string{serverMessage(answer)}
		}
		return out, nil
	case http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType:
		return out, usageError{fmt.Errorf("declaraties: HTTP %d: %s", res.StatusCode, serverMessage(answer))}
	}
	return out, fmt.Errorf("declaraties: HTTP %d: %s", res.StatusCode, serverMessage(answer))
}

// printOutcome shows the policy's answer; a rejection is returned as an error (exit 1).
func printOutcome(w io.Writer, out declareren.Outcome, asJSON bool) error {
	if out.Reasons == nil {
		out.Reasons = []string{}
	}
	if asJSON {
		if err := printJSON(w, out); err != nil {
			return err
		}
	} else {
		if out.Accepted {
			fmt.Fprintf(w, "accepted: declaratie %s\n", out.ID)
		} else {
			fmt.Fprintln(w, "rejected")
		}
		for _, r := range out.Reasons {
			fmt.Fprintf(w, "  %s\n", r)
		}
	}
	if !out.Accepted {
		return fmt.Errorf("declaratie rejected: %s", strings.Join(out.Reasons, "; "))
	}
	return nil
}

// tokenSubject is the sub of a JWT, decoded and NOT verified: only to catch a token of
// another aanbieder before sending it.
func tokenSubject(token string) string {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return ""
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return ""
	}
	var c struct {
		Sub string `json:"sub"`
	}
	_ = json.Unmarshal(raw, &c)
	return c.Sub
}
