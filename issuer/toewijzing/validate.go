package toewijzing

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sociaaldomein/bewijs/internal/ident"
)

// ValidateOptions are the facts Validate needs from outside the document.
type ValidateOptions struct {
	Now          func() time.Time // today in Europe/Amsterdam decides "already ended"; nil: time.Now
	Gemeentecode string           // the issuing tenant's gemeentecode: document.gemeente.gemeentecode must equal it
}

// Validate applies the domain rules of README §2 and §5 and returns a *ValidationError that
// lists every invalid field by JSON path, or nil. Reasons name the rule, never the value.
// A product that has already ended (einddatum before today, or verwijderd) is refused with
// a reason starting "already ended" (see ValidationError.OnlyEnded).
func (d Document) Validate(opts ValidateOptions) error {
	var p problems
	d.checkWet(&p)
	d.checkGemeente(&p, opts.Gemeentecode)
	d.checkAanbieder(&p)
	d.Client.check(&p, opts.Now)
	checkText(&p, "beschikkingNummer", d.BeschikkingNummer, textRule{max: 36})
	d.checkBericht(&p)
	d.checkProducten(&p, opts.Now)
	return p.err()
}

// checkWet: the wet decides the code lists and the credential type.
func (d Document) checkWet(p *problems) {
	if categorieList(d.Wet) == nil {
		p.add("wet", `must be "`+WetWmo+`" or "`+WetJeugdwet+`"`)
	}
}

// checkGemeente: the gemeentecode is 4 digits (RS035) and a gemeente issues only its own
// toewijzingen, so it must be the issuing tenant's code.
func (d Document) checkGemeente(p *problems, issuing string) {
	switch {
	case ident.Gemeentecode(d.Gemeente.Gemeentecode) != nil:
		p.add("gemeente.gemeentecode", "must be exactly 4 digits (CBS gemeentecode with leading zeros, RS035)")
	case d.Gemeente.Gemeentecode != issuing:
		p.add("gemeente.gemeentecode", "must be the gemeentecode of the issuing gemeente")
	}
	checkText(p, "gemeente.naam", d.Gemeente.Naam, textRule{required: true, max: 200})
	checkDID(p, "gemeente.did", d.Gemeente.DID)
}

// checkAanbieder: the AGB-code is exactly 8 digits (RS036); nothing else is inferred from it.
func (d Document) checkAanbieder(p *problems) {
	if ident.AGB(d.Aanbieder.AGBCode) != nil {
		p.add("aanbieder.agbCode", "must be exactly 8 digits (AGB-code, RS036)")
	}
	checkText(p, "aanbieder.naam", d.Aanbieder.Naam, textRule{required: true, max: 200})
	checkDID(p, "aanbieder.did", d.Aanbieder.DID)
}

// check validates the client: BSN elfproef (CS002), birth date, name parts (LDT_Naam,
// LDT_Voorvoegsel, LDT_Voorletters RS045) and the codes COD046, COD170, COD700 (CS318).
func (c Client) check(p *problems, now func() time.Time) {
	if ident.BSN(c.BSN) != nil {
		p.add("client.bsn", "must be 9 digits passing the BSN elfproef (CS002)")
	}
	born, ok := parseDate(c.Geboortedatum.Datum)
	switch {
	case c.Geboortedatum.Datum == "":
		p.add("client.geboortedatum.datum", "is required")
	case !ok:
		p.add("client.geboortedatum.datum", "must be an ISO date YYYY-MM-DD without time zone (RS032)")
	case born.After(today(now)):
		p.add("client.geboortedatum.datum", "must not be in the future")
	}
	checkCode(p, "client.geboortedatum.datumGebruik", c.Geboortedatum.DatumGebruik, cod170, "COD170")
	checkCode(p, "client.geslacht", c.Geslacht, cod046, "COD046")
	n := c.Naam
	checkText(p, "client.naam.geslachtsnaam.achternaam", n.Geslachtsnaam.Achternaam, textRule{required: true, max: 200})
	checkText(p, "client.naam.geslachtsnaam.voorvoegsel", n.Geslachtsnaam.Voorvoegsel, textRule{max: 10})
	checkText(p, "client.naam.voornamen", n.Voornamen, textRule{max: 200})
	if n.Voorletters != "" && !validVoorletters(n.Voorletters) {
		p.add("client.naam.voorletters", "must be 1 to 6 letters without dots or spaces (RS045)")
	}
	checkCode(p, "client.naam.naamGebruik", n.NaamGebruik, cod700, "COD700 1-5 (6 is not allowed for a client, CS318)")
}

// checkBericht cross-checks the optional 301 header with the body: message type and
// BerichtCode per wet (COD002), version 3.2 (CS025, CS015), Afzender = gemeentecode and
// Ontvanger = AGB-code (README §1 "Header direction").
func (d Document) checkBericht(p *problems) {
	b := d.Bericht
	if b == nil {
		return
	}
	wantType, wantCode := map[string]string{WetWmo: "WMO301", WetJeugdwet: "JW301"}[d.Wet],
		map[string]string{WetWmo: "414", WetJeugdwet: "436"}[d.Wet]
	if b.Type != "" && wantType != "" && b.Type != wantType {
		p.add("bericht.type", "must be "+wantType+" for this wet")
	}
	if b.BerichtCode != "" && wantCode != "" && b.BerichtCode != wantCode {
		p.add("bericht.berichtCode", "must be "+wantCode+" for this wet (COD002)")
	}
	if b.BerichtVersie != nil && *b.BerichtVersie != 3 {
		p.add("bericht.berichtVersie", "must be 3 (CS025)")
	}
	if b.BerichtSubversie != nil && *b.BerichtSubversie != 2 {
		p.add("bericht.berichtSubversie", "must be 2 (CS015)")
	}
	if b.Afzender != "" && b.Afzender != d.Gemeente.Gemeentecode {
		p.add("bericht.afzender", "must equal gemeente.gemeentecode")
	}
	if b.Ontvanger != "" && b.Ontvanger != d.Aanbieder.AGBCode {
		p.add("bericht.ontvanger", "must equal aanbieder.agbCode")
	}
}

// textRule says what a free-text field may hold.
type textRule struct {
	required bool
	max      int // in characters; 0: no limit
}

// checkText: no empty or whitespace-only strings (RS033), a maximum length, and no control
// characters (values end up in a wallet's display).
func checkText(p *problems, field, s string, r textRule) {
	switch {
	case s == "":
		if r.required {
			p.add(field, "is required")
		}
	case strings.TrimSpace(s) == "":
		p.add(field, "must contain a non-space character (RS033)")
	case r.max > 0 && utf8.RuneCountInString(s) > r.max:
		p.add(field, "must be at most "+strconv.Itoa(r.max)+" characters")
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		p.add(field, "must not contain control characters")
	}
}

// checkCode: an optional code must be in its list.
func checkCode(p *problems, field, code string, list map[string]bool, name string) {
	if code != "" && !list[code] {
		p.add(field, "must be a code of "+name)
	}
}

// checkDID: the informative did of a party, when given, looks like a DID (did:<method>:<id>).
func checkDID(p *problems, field, did string) {
	if did == "" {
		return
	}
	method, id, ok := strings.Cut(strings.TrimPrefix(did, "did:"), ":")
	valid := ok && strings.HasPrefix(did, "did:") && method != "" && id != "" && len(did) <= 512 &&
		strings.IndexFunc(method, func(r rune) bool { return (r < 'a' || r > 'z') && (r < '0' || r > '9') }) < 0 &&
		strings.IndexFunc(id, func(r rune) bool { return r <= ' ' || r == 0x7f }) < 0
	if !valid {
		p.add(field, "must be a DID (did:<method>:<identifier>)")
	}
}

// validVoorletters follows LDT_Voorletters: ([a-zA-ZÀ-ỳ])+, 1 to 6 characters.
func validVoorletters(s string) bool {
	n := utf8.RuneCountInString(s)
	if n < 1 || n > 6 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= 'À' && r <= 'ỳ') {
			return false
		}
	}
	return true
}
