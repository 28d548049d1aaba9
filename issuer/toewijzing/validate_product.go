package toewijzing

import (
	"time"
	"unicode/utf8"
)

// Limits of the 3.2 Basisschema (README §2).
const (
	maxToewijzingNummer = 999_999_999 // LDT_Nummer, RS001/RS006
	maxVolume           = 99_999_999  // LDT_Volume, RS001/RS005
	maxBudget           = 99_999_999  // LDT_Bedrag in eurocent, RS001/RS005
	maxProductCode      = 5           // LDT_ProductCode, RS012
	maxReferentie       = 36          // LDT_Referentie, RS024
)

// conditionCutoff: CD080 and CS338 apply when the einddatum is after 2020-12-31 or empty.
const conditionCutoff = "2020-12-31"

// checkProducten validates every toegewezen product and the uniqueness of their
// ToewijzingNummer within the document (the key of a toewijzing, OP275/TR332).
func (d Document) checkProducten(p *problems, now func() time.Time) {
	seen := map[int64]bool{}
	for i, prod := range d.Producten {
		path := d.productPath(i)
		if seen[prod.ToewijzingNummer] {
			p.add(path+".toewijzingNummer", "must be unique within the document")
		}
		seen[prod.ToewijzingNummer] = true
		pc := productCheck{Product: prod, p: p, path: path, wet: d.Wet}
		pc.fields()
		pc.dates(today(now))
		pc.conditions()
	}
}

// productCheck validates one product; path is its JSON path ("toegewezenProducten[1]").
type productCheck struct {
	Product
	p    *problems
	path string
	wet  string
}

func (c productCheck) add(field, reason string) { c.p.add(c.path+"."+field, reason) }

// fields checks each element on its own: ranges (RS001, RS005, RS006), lengths and the
// code lists WMO020/JZ020, WJ756, WMO757 and WMO002/JZ002.
func (c productCheck) fields() {
	if c.ToewijzingNummer < 0 || c.ToewijzingNummer > maxToewijzingNummer {
		c.add("toewijzingNummer", "must be between 0 and 999999999 (RS001, RS006)")
	}
	checkText(c.p, c.path+".referentieAanbieder", c.ReferentieAanbieder, textRule{max: maxReferentie})
	c.product()
	c.omvang()
	if c.Budget != nil && (*c.Budget < 0 || *c.Budget > maxBudget) {
		c.add("budget", "must be between 0 and 99999999 eurocent (RS001, RS005)")
	}
	if c.RedenWijziging == redenVervallen {
		// CS336: "01 (Administratieve correctie (vervallen)) niet gebruiken".
		c.add("redenWijziging", "code 01 must not be used any more (CS336)")
	} else if _, ok := wmo002[c.RedenWijziging]; c.RedenWijziging != "" && !ok {
		c.add("redenWijziging", "must be a code of WMO002/JZ002")
	}
	checkText(c.p, c.path+".commentaar", c.Commentaar, textRule{})
}

// product checks categorie (2 digits from the wet's list) and code (1 to 5 characters).
func (c productCheck) product() {
	if c.Product.Product == nil {
		return
	}
	pr := *c.Product.Product
	list := categorieList(c.wet)
	switch {
	case pr.Categorie == "":
		c.add("product.categorie", "is required when product is given")
	case list != nil && list[pr.Categorie] == "":
		c.add("product.categorie", "must be a code of "+map[string]string{WetWmo: "WMO020", WetJeugdwet: "JZ020"}[c.wet]+" for this wet")
	}
	if pr.Code == "" {
		return
	}
	if utf8.RuneCountInString(pr.Code) > maxProductCode {
		c.add("product.code", "must be 1 to 5 characters (RS012)")
		return
	}
	checkText(c.p, c.path+".product.code", pr.Code, textRule{max: maxProductCode})
}

// omvang checks volume, eenheid (WJ756) and frequentie (WMO757).
func (c productCheck) omvang() {
	o := c.Omvang
	if o == nil {
		return
	}
	if o.Volume < 0 || o.Volume > maxVolume {
		c.add("omvang.volume", "must be between 0 and 99999999 (RS001, RS005)")
	}
	if _, ok := wj756[o.Eenheid]; !ok {
		c.add("omvang.eenheid", "must be a code of WJ756")
	}
	if _, ok := wmo757[o.Frequentie]; !ok {
		c.add("omvang.frequentie", "must be a code of WMO757")
	}
}

// dates checks the date and time formats (RS032, RS034), CS003, and refuses a product that
// has already ended: nothing may be issued for it any more.
func (c productCheck) dates(today time.Time) {
	if _, ok := parseDate(c.Toewijzingsdatum); !ok {
		c.add("toewijzingsdatum", dateReason(c.Toewijzingsdatum))
	}
	if !validTime(c.Toewijzingstijd) {
		reason := "must be a time hh:mm:ss without time zone (RS034)"
		if c.Toewijzingstijd == "" {
			reason = "is required"
		}
		c.add("toewijzingstijd", reason)
	}
	start, startOK := parseDate(c.Ingangsdatum)
	if !startOK {
		c.add("ingangsdatum", dateReason(c.Ingangsdatum))
	}
	if c.Einddatum == "" {
		return
	}
	end, endOK := parseDate(c.Einddatum)
	switch {
	case !endOK:
		c.add("einddatum", dateReason(c.Einddatum))
	case startOK && end.Before(start):
		// CS003: "Indien van toepassing vullen met een waarde die groter is dan, of gelijk
		// is aan de Begindatum (of Ingangsdatum)".
		c.add("einddatum", "must not be before ingangsdatum (CS003)")
	case end.Before(today):
		c.add("einddatum", reasonEnded+": einddatum is before today (Europe/Amsterdam); no credential can be issued")
	}
}

// dateReason says why a date is refused, without repeating it.
func dateReason(s string) string {
	if s == "" {
		return "is required"
	}
	return "must be an ISO date YYYY-MM-DD without time zone (RS032)"
}
