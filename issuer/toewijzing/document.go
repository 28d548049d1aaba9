// Package toewijzing is the domain model of a gemeente's beschikking as it reaches the
// issuer: a 301-shaped document (iWmo / iJw 3.2 toewijzing, see
// /work/shared/domain/README.md §2) with one or more toegewezen producten, the domain rules
// that decide whether a credential may be issued for it (README §5), and the mapping of one
// toegewezen product to the claims and Type Metadata of an SD-JWT VC
// (draft-ietf-oauth-sd-jwt-vc-16 §2.2.2, §4).
//
// The flow is Parse → Validate → Claims/Validity per product. Parse refuses anything that
// is not the document shape; Validate applies the iStandaarden conditions and constraints;
// Claims builds one credential per toegewezen product (README §5 item 12: "it is simpler to
// issue one credential per ToegewezenProduct than one per message").
package toewijzing

import "strconv"

// The two wetten a toewijzing can be given under. The value is the document's "wet" and
// also the "wet" claim of the credential.
const (
	WetWmo      = "Wmo2015"  // Wet maatschappelijke ondersteuning 2015 (iWmo)
	WetJeugdwet = "Jeugdwet" // Jeugdwet (iJw)
)

// Document is the admin API input: the shape of the fixture files
// (/work/shared/domain/fixtures/toewijzingen/*.json), i.e. a 301 toewijzing message in
// lowerCamelCase JSON. One document is about one client, one gemeente and one aanbieder
// (README §2: "One 301 is about one client and one aanbieder"), so the aanbieder applies to
// every product. Build it with Parse; it marshals back to a form Parse accepts.
type Document struct {
	Wet       string    `json:"wet"`
	Gemeente  Gemeente  `json:"gemeente"`
	Aanbieder Aanbieder `json:"aanbieder"`
	Client    Client    `json:"client"`
	// Producten holds "toegewezenProducten", or the single "toegewezenProduct".
	Producten []Product `json:"toegewezenProducten"`
	// BeschikkingNummer is the gemeente's own number of the beschikking (optional input
	// "beschikkingNummer"; in the 315 it is BeschikkingNummer).
	BeschikkingNummer string `json:"beschikkingNummer,omitempty"`
	// Bericht is the optional 301 header; when present it is cross-checked with the body.
	Bericht *Bericht `json:"bericht,omitempty"`

	// single records that the input used "toegewezenProduct" (one object), so that error
	// paths name the field the caller actually sent.
	single bool
}

// Gemeente is the allocating gemeente (the 301's Afzender).
type Gemeente struct {
	Gemeentecode string `json:"gemeentecode"` // CBS code, 4 digits (RS035)
	Naam         string `json:"naam"`
	DID          string `json:"did,omitempty"` // informative; the credential's issuer is the tenant
}

// Aanbieder is the care provider the products are allocated to (the 301's Ontvanger).
type Aanbieder struct {
	AGBCode string `json:"agbCode"` // 8 digits (RS036)
	Naam    string `json:"naam"`
	DID     string `json:"did,omitempty"`
}

// Client is the person the toewijzing is for (301 Client, README §2).
type Client struct {
	BSN           string        `json:"bsn"`
	Geboortedatum Geboortedatum `json:"geboortedatum"`
	Geslacht      string        `json:"geslacht,omitempty"` // COD046; not put in the credential
	Naam          Naam          `json:"naam"`
}

// Geboortedatum is CDT_Geboortedatum: a date and, when part of it is unknown, which part
// may be used (COD170: 1 day unknown, 2 day and month unknown, 3 whole date unknown).
type Geboortedatum struct {
	Datum        string `json:"datum"`
	DatumGebruik string `json:"datumGebruik,omitempty"`
}

// Naam is CDT_VolledigeNaam without the partner name.
type Naam struct {
	Geslachtsnaam Geslachtsnaam `json:"geslachtsnaam"`
	Voornamen     string        `json:"voornamen,omitempty"`
	Voorletters   string        `json:"voorletters,omitempty"`
	NaamGebruik   string        `json:"naamGebruik,omitempty"` // COD700; not put in the credential
}

// Geslachtsnaam is the family name with its optional prefix ("de", "van der").
type Geslachtsnaam struct {
	Voorvoegsel string `json:"voorvoegsel,omitempty"`
	Achternaam  string `json:"achternaam"`
}

// Product is one ToegewezenProduct: the unit a credential is issued for.
type Product struct {
	ToewijzingNummer    int64       `json:"toewijzingNummer"` // 0..999 999 999, key per gemeente and wet (OP275)
	ReferentieAanbieder string      `json:"referentieAanbieder,omitempty"`
	Product             *ProductRef `json:"product,omitempty"` // absent for a generieke toewijzing (budget only)
	Toewijzingsdatum    string      `json:"toewijzingsdatum"`  // with Toewijzingstijd orders versions (OP033x1)
	Toewijzingstijd     string      `json:"toewijzingstijd"`
	Ingangsdatum        string      `json:"ingangsdatum"`
	Einddatum           string      `json:"einddatum,omitempty"`
	RedenWijziging      string      `json:"redenWijziging,omitempty"` // WMO002 / JZ002
	Omvang              *Omvang     `json:"omvang,omitempty"`
	Budget              *int64      `json:"budget,omitempty"` // eurocent
	Commentaar          string      `json:"commentaar,omitempty"`
}

// ProductRef is the 301's Product: a categorie (WMO020 / JZ020) and the gemeente's own,
// opaque product code (README §3: never derive meaning from the code alone).
type ProductRef struct {
	Categorie string `json:"categorie"`
	Code      string `json:"code,omitempty"`
}

// Omvang is volume × eenheid (WJ756) per frequentie (WMO757).
type Omvang struct {
	Volume     int64  `json:"volume"`
	Eenheid    string `json:"eenheid"`
	Frequentie string `json:"frequentie"`
}

// Bericht is the part of the 301 header that can be cross-checked with the body. Other
// header keys are accepted and ignored.
type Bericht struct {
	Type             string `json:"type,omitempty"`
	BerichtCode      string `json:"berichtCode,omitempty"`
	BerichtVersie    *int   `json:"berichtVersie,omitempty"`
	BerichtSubversie *int   `json:"berichtSubversie,omitempty"`
	Afzender         string `json:"afzender,omitempty"`
	Ontvanger        string `json:"ontvanger,omitempty"`
}

// productPath is the JSON path of product i as the caller sent it.
func (d Document) productPath(i int) string {
	if d.single && len(d.Producten) == 1 {
		return "toegewezenProduct"
	}
	return "toegewezenProducten[" + strconv.Itoa(i) + "]"
}
