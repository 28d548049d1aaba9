package verifier

import (
	"context"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/sociaaldomein/bewijs/verifier/oid4vp"
)

// bsnQuery asks for one Wmo toewijzing with the client's BSN and the toewijzingnummer.
const bsnQuery = `{"credentials":[{"id":"toewijzing","format":"dc+sd-jwt",
	"meta":{"vct_values":["urn:nl:sociaaldomein:wmo:toewijzing:1"]},
	"claims":[{"path":["client","bsn"]},{"path":["toewijzingnummer"]}]}]}`

func query(t *testing.T, s string) oid4vp.Query {
	t.Helper()
	q, err := oid4vp.ParseQuery([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// alwaysVisible are the claims of a test credential that are never selectively disclosable.
var alwaysVisible = []string{
	"iss", "vct", "iat", "nbf", "exp", "cnf", "status",
	"gemeente", "wet", "toewijzingnummer", "ingangsdatum", "einddatum", "product", "aanbieder",
}

func TestVerifyVPToken(t *testing.T) {
	tests := []struct {
		name    string
		build   func(t *testing.T, e *env) (oid4vp.VPToken, Options)
		want    Reason
		queryID string // the CredentialQueryID the failure must name
	}{
		{"ok", func(t *testing.T, e *env) (oid4vp.VPToken, Options) {
			o := testOptions()
			o.Query = query(t, bsnQuery)
			return oid4vp.VPToken{"toewijzing": {standard(t, e, credential{})}}, o
		}, "", ""},
		{"error - oversized vp_token", func(t *testing.T, e *env) (oid4vp.VPToken, Options) {
			o := testOptions()
			o.Query = query(t, bsnQuery)
			o.MaxTokenBytes = 2048
			return oid4vp.VPToken{"toewijzing": {standard(t, e, credential{})}}, o
		}, ReasonTooLarge, ""},
		{"error - query not satisfied (required claim not disclosed)", func(t *testing.T, e *env) (oid4vp.VPToken, Options) {
			o := testOptions()
			o.Query = query(t, bsnQuery)
			p := present(t, e.issuer.issue(t, e.holder, credential{}), e.holder, only("client.naam.achternaam"))
			return oid4vp.VPToken{"toewijzing": {p}}, o
		}, ReasonQueryNotSatisfied, "toewijzing"},
		{"error - vct not in vct_values", func(t *testing.T, e *env) (oid4vp.VPToken, Options) {
			o := testOptions()
			o.Query = query(t, bsnQuery)
			return oid4vp.VPToken{"toewijzing": {standard(t, e, credential{vct: vctJeugdwet})}}, o
		}, ReasonQueryNotSatisfied, "toewijzing"},
		{"error - answers a query that was not asked", func(t *testing.T, e *env) (oid4vp.VPToken, Options) {
			o := testOptions()
			o.Query = query(t, bsnQuery)
			return oid4vp.VPToken{"other": {standard(t, e, credential{})}}, o
		}, ReasonQueryNotSatisfied, ""},
		{"error - two presentations without multiple", func(t *testing.T, e *env) (oid4vp.VPToken, Options) {
			o := testOptions()
			o.Query = query(t, bsnQuery)
			p := standard(t, e, credential{})
			return oid4vp.VPToken{"toewijzing": {p, p}}, o
		}, ReasonQueryNotSatisfied, "toewijzing"},
		{"error - empty vp_token", func(t *testing.T, e *env) (oid4vp.VPToken, Options) {
			o := testOptions()
			o.Query = query(t, bsnQuery)
			return oid4vp.VPToken{}, o
		}, ReasonMalformed, ""},
		{"error - unsupported format", func(t *testing.T, e *env) (oid4vp.VPToken, Options) {
			o := testOptions()
			o.Query = query(t, `{"credentials":[{"id":"mdl","format":"mso_mdoc","meta":{"doctype_value":"org.iso.18013.5.1.mDL"}}]}`)
			return oid4vp.VPToken{"mdl": {standard(t, e, credential{})}}, o
		}, ReasonUnsupportedFormat, "mdl"},
		{"error - invalid query", func(t *testing.T, e *env) (oid4vp.VPToken, Options) {
			return oid4vp.VPToken{"toewijzing": {standard(t, e, credential{})}}, testOptions()
		}, ReasonInvalidRequest, ""},
		{"error - failing presentation names its query", func(t *testing.T, e *env) (oid4vp.VPToken, Options) {
			o := testOptions()
			o.Query = query(t, bsnQuery)
			return oid4vp.VPToken{"toewijzing": {standard(t, e, credential{idx: idxRevoked})}}, o
		}, ReasonRevoked, "toewijzing"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			token, opts := tc.build(t, e)

			res, err := e.verifier.VerifyVPToken(context.Background(), token, opts)

			if tc.want != "" {
				f := failureOf(t, err)
				if f.Reason != tc.want || f.CredentialQueryID != tc.queryID {
					t.Fatalf("failure = %q for query %q, want %q for %q (%v)", f.Reason, f.CredentialQueryID, tc.want, tc.queryID, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("VerifyVPToken: %v", err)
			}
			if len(res.Credentials) != 1 || res.Credentials[0].QueryID != "toewijzing" {
				t.Fatalf("credentials = %+v", res.Credentials)
			}
			checkCredential(t, e, res.Credentials[0])
		})
	}
}

// With only the requested claims disclosed, Claims holds exactly those and the claims that
// are always visible.
func TestVerifyVPToken_OnlyRequestedClaims(t *testing.T) {
	e := newEnv(t)
	opts := testOptions()
	opts.Query = query(t, bsnQuery)
	p := present(t, e.issuer.issue(t, e.holder, credential{}), e.holder, only("client.bsn"))

	res, err := e.verifier.VerifyVPToken(context.Background(), oid4vp.VPToken{"toewijzing": {p}}, opts)

	if err != nil {
		t.Fatal(err)
	}
	claims := res.Credentials[0].Claims
	want := append(slices.Clone(alwaysVisible), "client")
	if got := slices.Sorted(maps.Keys(claims)); !reflect.DeepEqual(got, slices.Sorted(slices.Values(want))) {
		t.Errorf("claims = %v, want %v", got, slices.Sorted(slices.Values(want)))
	}
	if client := claims["client"]; !reflect.DeepEqual(client, map[string]any{"bsn": "999993653"}) {
		t.Errorf("client = %v, want only the bsn", client)
	}
	if n := strings.Count(p, "~") - 1; n != 2 {
		t.Fatalf("the test presentation has %d disclosures, want client and client.bsn", n)
	}
}
