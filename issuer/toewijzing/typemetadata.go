package toewijzing

import (
	"encoding/json"
	"errors"
	"strings"
)

// Type Metadata document, draft-ietf-oauth-sd-jwt-vc-16 §4.2 ("The Type Metadata document
// MUST be a JSON object"), with the NL Wallet profile's additions (README §7): name, display
// and claims present, a "simple" rendering, a claim display per locale, and a "summary".
type typeMetadata struct {
	VCT         string          `json:"vct"`
	Name        string          `json:"name"`
	Description string          `json:"description"`
	Display     []typeDisplay   `json:"display"`
	Claims      []claimMetadata `json:"claims"`
}

// typeDisplay is §4.5: locale and name REQUIRED, description and rendering OPTIONAL.
// "summary" is the NL Wallet's subtitle template; §4.2: "Consumers MUST ignore properties
// that are not understood".
type typeDisplay struct {
	Locale      string    `json:"locale"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Summary     string    `json:"summary"`
	Rendering   rendering `json:"rendering"`
}

// rendering is §4.5.1 with only the "simple" method (§4.5.1.1), colours as CSS RGB values.
type rendering struct {
	Simple struct {
		BackgroundColor string `json:"background_color"`
		TextColor       string `json:"text_color"`
	} `json:"simple"`
}

// claimMetadata is §4.6: path REQUIRED; display, mandatory, sd, svg_id OPTIONAL.
type claimMetadata struct {
	Path      []string       `json:"path"`
	Display   []claimDisplay `json:"display"`
	SD        string         `json:"sd"`
	Mandatory bool           `json:"mandatory"`
	SVGID     string         `json:"svg_id"`
}

// claimDisplay is §4.6.2: locale and label REQUIRED, description OPTIONAL.
type claimDisplay struct {
	Locale      string `json:"locale"`
	Label       string `json:"label"`
	Description string `json:"description,omitempty"`
}

// typeTexts are the names and colours of one credential type.
type typeTexts struct {
	wet                  string
	name, description    string // for developers (§4.2)
	nlName, nlDesc       string
	enName, enDesc       string
	background, text     string
	nlSummary, enSummary string
}

var typeTextsByVCT = map[string]typeTexts{
	VCTWmo: {
		wet:         WetWmo,
		name:        "Wmo-toewijzing (iWmo 3.2 toegewezen product)",
		description: "One product a gemeente allocated to an aanbieder under the Wet maatschappelijke ondersteuning 2015, as in an iWmo 3.2 WMO301 message. Codes are authoritative; omschrijving claims are for display only.",
		nlName:      "Wmo-toewijzing",
		nlDesc:      "Ondersteuning die de gemeente u heeft toegewezen onder de Wmo, bij een vaste aanbieder",
		enName:      "Social support allocation (Wmo)",
		enDesc:      "Support your municipality allocated to you under the Social Support Act, with a named provider",
		background:  "#154273",
		text:        "#FFFFFF",
		nlSummary:   "{{product_omschrijving}} bij {{aanbieder_naam}}",
		enSummary:   "{{product_omschrijving}} at {{aanbieder_naam}}",
	},
	VCTJeugdwet: {
		wet:         WetJeugdwet,
		name:        "Jeugdwet-toewijzing (iJw 3.2 toegewezen product)",
		description: "One product a gemeente allocated to an aanbieder under the Jeugdwet, as in an iJw 3.2 JW301 message. Codes are authoritative; omschrijving claims are for display only.",
		nlName:      "Jeugdhulp-toewijzing",
		nlDesc:      "Jeugdhulp die de gemeente heeft toegewezen onder de Jeugdwet, bij een vaste aanbieder",
		enName:      "Youth care allocation (Jeugdwet)",
		enDesc:      "Youth care the municipality allocated under the Youth Act, with a named provider",
		background:  "#01689B",
		text:        "#FFFFFF",
		nlSummary:   "{{product_omschrijving}} bij {{aanbieder_naam}}",
		enSummary:   "{{product_omschrijving}} at {{aanbieder_naam}}",
	},
}

// TypeMetadata returns the SD-JWT VC Type Metadata document for VCTWmo or VCTJeugdwet
// (draft-ietf-oauth-sd-jwt-vc-16 §4): one claims entry per leaf path Claims can produce,
// labelled in nl-NL and en-US, with sd "always" or "never" as Disclosable says (§4.6.4:
// "It is RECOMMENDED to use either always or never") and mandatory for the leaves every
// credential carries (§4.6.3). Only leaves are listed: the NL Wallet refuses claim paths
// that select an object or array. The bytes are stable, so an issuer can pin them with
// vct#integrity (§5).
func TypeMetadata(vct string) ([]byte, error) {
	t, ok := typeTextsByVCT[vct]
	if !ok {
		return nil, errors.New("toewijzing: no type metadata for this vct")
	}
	doc := typeMetadata{VCT: vct, Name: t.name, Description: t.description,
		Display: []typeDisplay{
			t.display("nl-NL", t.nlName, t.nlDesc, t.nlSummary),
			t.display("en-US", t.enName, t.enDesc, t.enSummary),
		}}
	for _, s := range claimSpecs(t.wet) {
		doc.Claims = append(doc.Claims, s.metadata())
	}
	return json.MarshalIndent(doc, "", "  ")
}

func (t typeTexts) display(locale, name, desc, summary string) typeDisplay {
	d := typeDisplay{Locale: locale, Name: name, Description: desc, Summary: summary}
	d.Rendering.Simple.BackgroundColor = t.background
	d.Rendering.Simple.TextColor = t.text
	return d
}

// metadata turns a claimSpec into its §4.6 entry. svg_id is the path joined by "_"
// (§4.6: "alphanumeric characters and underscores", unique); the summary uses it.
func (s claimSpec) metadata() claimMetadata {
	sd := "never"
	if Disclosable(s.path) {
		sd = "always"
	}
	return claimMetadata{
		Path: s.path,
		Display: []claimDisplay{
			{Locale: "nl-NL", Label: s.nl.Label, Description: s.nl.Description},
			{Locale: "en-US", Label: s.en.Label, Description: s.en.Description},
		},
		SD:        sd,
		Mandatory: s.mandatory,
		SVGID:     strings.Join(s.path, "_"),
	}
}
