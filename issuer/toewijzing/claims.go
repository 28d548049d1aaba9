package toewijzing

import (
	"fmt"
	"strings"
)

// Credential types (draft-ietf-oauth-sd-jwt-vc-16 §2.2.2.1: "The vct value MUST be a
// Collision-Resistant Name as defined in Section 2 of RFC7515").
//
// One vct per wet rather than one shared vct with a "wet" claim: the two domains have their
// own code lists and rules (WMO020 vs JZ020; WMO588 and JZ588 even give code 31 different
// meanings, README §3), and an aanbieder serves one domain, so it asks for exactly the type
// it can handle. The privacy cost named in §7.2 of the draft ("the vct claim is not
// selectively disclosable") is nil here: product.categorie, which is never selectively
// disclosable because every verifier needs it, already tells Wmo from Jeugdwet.
//
// URNs rather than HTTPS URLs: the type belongs to the social domain, not to one deployment
// (every gemeente tenant issues the same type, from whatever host runs it); a URN invites no
// wallet or verifier to fetch metadata from a host per use (§7.3 "Issuer Phone-Home"); it
// follows the NL Wallet, whose PID is "urn:eudi:pid:nl:1" and which takes Type Metadata from
// the issuer at issuance, not from the vct; and the trailing ":1" is the version, to be
// raised on an incompatible change as §2.2.2.1 advises ("urn:example:eudi:pid:aendgard:2").
// The "nl:sociaaldomein" prefix is the project's namespace; "toewijzing" because each
// credential is one toegewezen product, not the whole beschikking.
const (
	VCTWmo      = "urn:nl:sociaaldomein:wmo:toewijzing:1"
	VCTJeugdwet = "urn:nl:sociaaldomein:jeugdwet:toewijzing:1"
)

// VCT returns the credential type for a wet ("Wmo2015" or "Jeugdwet"), "" for another.
func VCT(wet string) string {
	switch wet {
	case WetWmo:
		return VCTWmo
	case WetJeugdwet:
		return VCTJeugdwet
	}
	return ""
}

// Claims returns the claims of ONE product's credential, without iss, iat, nbf, exp, cnf,
// status and vct (the issuer adds those). Call it on a validated document. The shape is
// fixed; every leaf is a string, an int or nothing (omitted), never an array, so each leaf
// has one claim path listed in TypeMetadata (NL Wallet profile, README §7):
//
//	gemeente.code, gemeente.naam              CBS gemeentecode and name
//	wet                                       "Wmo2015" | "Jeugdwet"
//	beschikkingnummer                         the gemeente's number (omitted when "")
//	toewijzingnummer                          int; with gemeente.code and wet the key (OP275)
//	product.categorie, product.code           WMO020/JZ020 code; opaque code (omitted when absent;
//	product.omschrijving                      the whole product object is absent for a generieke toewijzing);
//	                                          name of the categorie, for display only
//	ingangsdatum, einddatum                   ISO dates; einddatum omitted when absent
//	omvang.volume, .eenheid, .frequentie      int, WJ756, WMO757 (when omvang is given)
//	omvang.omschrijving                       e.g. "180 × Minuut, per week", for display only
//	budget                                    int, eurocent (when given)
//	referentieaanbieder                       the aanbieder's own reference from its VOT (when given)
//	aanbieder.agb, aanbieder.naam
//	client.bsn, client.geboortedatum, client.geboortedatumgebruik (COD170, when given),
//	client.naam.voornamen, .voorvoegsel, .achternaam, client.voorletters
//
// The codes are authoritative (a gemeente checks a declaratie against them, TR339–TR341);
// the omschrijving claims only make the credential readable in a wallet, which cannot map
// codes to names. Left out on purpose: geslacht and naamGebruik (not needed to give or
// declare care), commentaar (free text that may hold anything), redenWijziging and
// toewijzingsdatum/-tijd (history, not entitlement; a superseded version is revoked).
func (d Document) Claims(p Product, beschikkingNummer string) map[string]any {
	c := map[string]any{
		"gemeente":         map[string]any{"code": d.Gemeente.Gemeentecode, "naam": d.Gemeente.Naam},
		"wet":              d.Wet,
		"toewijzingnummer": int(p.ToewijzingNummer),
		"ingangsdatum":     p.Ingangsdatum,
		"aanbieder":        map[string]any{"agb": d.Aanbieder.AGBCode, "naam": d.Aanbieder.Naam},
		"client":           d.Client.claims(),
	}
	putString(c, "beschikkingnummer", beschikkingNummer)
	putString(c, "einddatum", p.Einddatum)
	putString(c, "referentieaanbieder", p.ReferentieAanbieder)
	if p.Product != nil {
		c["product"] = productClaims(d.Wet, *p.Product)
	}
	if p.Omvang != nil {
		c["omvang"] = omvangClaims(*p.Omvang)
	}
	if p.Budget != nil {
		c["budget"] = int(*p.Budget)
	}
	return c
}

func productClaims(wet string, pr ProductRef) map[string]any {
	out := map[string]any{"categorie": pr.Categorie}
	putString(out, "code", pr.Code)
	if name, ok := CategorieNaam(wet, pr.Categorie); ok {
		out["omschrijving"] = name
	}
	return out
}

func omvangClaims(o Omvang) map[string]any {
	out := map[string]any{"volume": int(o.Volume), "eenheid": o.Eenheid, "frequentie": o.Frequentie}
	eenheid, okE := EenheidNaam(o.Eenheid)
	freq, okF := FrequentieNaam(o.Frequentie)
	if okE && okF {
		out["omschrijving"] = fmt.Sprintf("%d × %s, %s", o.Volume, eenheid, strings.ToLower(freq))
	}
	return out
}

func (c Client) claims() map[string]any {
	naam := map[string]any{"achternaam": c.Naam.Geslachtsnaam.Achternaam}
	putString(naam, "voorvoegsel", c.Naam.Geslachtsnaam.Voorvoegsel)
	putString(naam, "voornamen", c.Naam.Voornamen)
	out := map[string]any{"bsn": c.BSN, "geboortedatum": c.Geboortedatum.Datum, "naam": naam}
	putString(out, "geboortedatumgebruik", c.Geboortedatum.DatumGebruik)
	putString(out, "voorletters", c.Naam.Voorletters)
	return out
}

// putString sets m[key] unless v is empty: absent elements are omitted, never "".
func putString(m map[string]any, key, v string) {
	if v != "" {
		m[key] = v
	}
}

// Disclosable says whether the claim (or object) at path is selectively disclosable
// (RFC 9901 §4; draft-ietf-oauth-sd-jwt-vc-16 §4.6.4 "sd"). It holds for every prefix: an
// object is disclosable exactly when its members are, so the issuer can make client and
// client.naam recursive disclosures.
//
// Disclosable (sd "always"): everything under client (personal data: BSN, name, birth
// date); omvang and budget (how much care someone gets says more about their health and
// situation than which care; an aanbieder asks for them when it plans or declares, other
// verifiers have no need); beschikkingnummer and referentieaanbieder (administrative
// references that link to the client's file at gemeente or aanbieder).
//
// Not disclosable (sd "never"): what every verifier needs to accept the credential as an
// entitlement to start care — gemeente, wet, toewijzingnummer, product, ingangsdatum,
// einddatum, aanbieder (README §6: a declaratie refers to ToewijzingNummer (TR338), must
// match categorie and code (TR339, TR340) and lie within the period (TR307, TR308)).
func Disclosable(path []string) bool {
	if len(path) == 0 {
		return false
	}
	switch path[0] {
	case "client", "omvang", "budget", "beschikkingnummer", "referentieaanbieder":
		return true
	}
	return false
}
