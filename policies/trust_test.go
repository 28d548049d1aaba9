package policies

import (
	"testing"
)

const (
	vctWmo      = "urn:nl:sociaaldomein:wmo:toewijzing:1"
	vctJeugdwet = "urn:nl:sociaaldomein:jeugdwet:toewijzing:1"
	vctPID      = "urn:eudi:pid:nl:1"
	utrechtDID  = "did:web:bewijs.example:o:gemeente-utrecht"
	anchorDID   = "did:web:bewijs.example:o:ketenbureau"
	lindeDID    = "did:web:bewijs.example:o:thuiszorg-de-linde"
)

// trustInput shows that a struct with json tags works as input as well as a map.
type trustInput struct {
	Issuer     string `json:"issuer"`
	VCT        string `json:"vct"`
	IssuerKind string `json:"issuer_kind,omitempty"`
}

func TestDecideTrust(t *testing.T) {
	e := newEmbedded(t)
	cases := []struct {
		name   string
		input  any
		allow  bool
		reason string
	}{
		{"ok - gemeente issues Wmo toewijzing", trustInput{utrechtDID, vctWmo, "gemeente"}, true, `trusted-issuer rule "gemeente" lets "` + utrechtDID + `" issue`},
		{"ok - gemeente on a host with port issues Jeugdwet toewijzing", map[string]any{"issuer": "did:web:localhost%3A8443:o:gemeente-den-haag", "vct": vctJeugdwet}, true, `rule "gemeente"`},
		{"ok - trust anchor issues test PID", trustInput{anchorDID, vctPID, "trust-anchor"}, true, `rule "trust-anchor"`},
		{"error - gemeente issues PID", trustInput{utrechtDID, vctPID, ""}, false, "no trusted-issuer rule lets"},
		{"error - aanbieder issues toewijzing", trustInput{lindeDID, vctWmo, "aanbieder"}, false, "no trusted-issuer rule lets"},
		{"error - gemeente slug with kind aanbieder", trustInput{utrechtDID, vctWmo, "aanbieder"}, false, "no trusted-issuer rule lets"},
		{"error - trust anchor issues toewijzing", trustInput{anchorDID, vctWmo, ""}, false, `rule "trust-anchor" lets this issuer issue only urn:eudi:pid:nl:1`},
		{"error - did:key issuer", trustInput{"did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", vctWmo, ""}, false, "is not the DID of an organisation on a bewijs host"},
		{"error - missing vct", map[string]any{"issuer": utrechtDID}, false, "input.vct is missing"},
		{"error - input not an object", []any{"x"}, false, "input.issuer is missing"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := mustDecide(t, e, "trust", tc.input)

			if d.Allow != tc.allow {
				t.Errorf("allow = %v, want %v (reasons %q)", d.Allow, tc.allow, d.Reasons)
			}
			if !hasReasonContaining(d, tc.reason) {
				t.Errorf("reasons %q lack %q", d.Reasons, tc.reason)
			}
			if d.Policy != "trust" || d.Revision != e.Revision() || len(d.Revision) != 16 {
				t.Errorf("policy %q revision %q, want trust and %q", d.Policy, d.Revision, e.Revision())
			}
		})
	}
}

func TestDecidePID(t *testing.T) {
	e := newEmbedded(t)
	cases := []struct {
		name   string
		input  trustInput
		allow  bool
		reason string
	}{
		{"ok - trust anchor PID", trustInput{anchorDID, vctPID, ""}, true, "is a PID type accepted for login"},
		{"error - PID from a gemeente", trustInput{utrechtDID, vctPID, ""}, false, "no trusted-issuer rule lets"},
		{"error - toewijzing is no PID", trustInput{utrechtDID, vctWmo, ""}, false, "is not a PID type accepted for login"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := mustDecide(t, e, "pid", tc.input)

			if d.Allow != tc.allow || !hasReasonContaining(d, tc.reason) {
				t.Errorf("decision %+v, want allow %v with a reason containing %q", d, tc.allow, tc.reason)
			}
		})
	}
}
