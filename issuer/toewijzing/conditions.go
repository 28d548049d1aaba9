package toewijzing

// conditions applies the conditions and constraints between the elements of a
// ToegewezenProduct (iWmo / iJw 3.2 "Condities, constraints, restricties per
// data-element", README §2; the same codes hold for WMO301 and JW301).
func (c productCheck) conditions() {
	hasCode := c.Product.Product != nil && c.Product.Product.Code != ""

	// CD079 (Product): "Indien Budget leeg is, dan verplicht vullen".
	if c.Product.Product == nil && c.Budget == nil {
		c.add("product", "is required when there is no budget (CD079)")
	}
	// CD041 (Omvang): "Indien Code in Product gevuld is, verplicht vullen".
	if hasCode && c.Omvang == nil {
		c.add("omvang", "is required when product.code is filled (CD041)")
	}
	// CD077 (Omvang): "Indien Budget gevuld is, dan leeg laten"; CD078 (Budget): "Indien
	// Omvang gevuld is, dan leeg laten".
	if c.Omvang != nil && c.Budget != nil {
		c.add("budget", "omvang and budget exclude each other (CD077, CD078)")
	}
	// CD075 (Einddatum): "Verplicht vullen indien Budget gevuld is".
	if c.Budget != nil && c.Einddatum == "" {
		c.add("einddatum", "is required when budget is filled (CD075)")
	}
	// CD076 (Einddatum): "Verplicht vullen indien Frequentie waarde 2 (per week)".
	if c.Omvang != nil && c.Omvang.Frequentie == frequentieWeek && c.Einddatum == "" {
		c.add("einddatum", "is required with frequentie 2, per week (CD076)")
	}
	c.afterCutoff(hasCode)
	c.verwijderd()
}

// afterCutoff applies the two conditions that hold only for toewijzingen ending after
// 2020-12-31 or without einddatum.
func (c productCheck) afterCutoff(hasCode bool) {
	if c.Omvang == nil || !c.endsAfterCutoff() {
		return
	}
	// CD080 (Omvang): "Indien Code in Product leeg is en Einddatum van het
	// ToegewezenProduct groter dan 31-12-2020 of leeg is, dan leeg laten".
	if !hasCode {
		c.add("omvang", "must be empty when product.code is empty and einddatum is after 2020-12-31 or empty (CD080)")
	}
	// CS338 (Omvang): "Indien eenheid de waarde 14, 16, 83 of 84 heeft en Einddatum groter
	// dan 31-12-2020 of leeg is, dan Frequentie vullen met de waarde 2, 4 of 6".
	switch c.Omvang.Eenheid {
	case "14", "16", "83", "84":
		switch c.Omvang.Frequentie {
		case "2", "4", "6":
		default:
			c.add("omvang.frequentie", "must be 2, 4 or 6 for eenheid 14, 16, 83 or 84 (CS338)")
		}
	}
}

// endsAfterCutoff: the einddatum is empty or after 2020-12-31. An unreadable einddatum is
// reported elsewhere and does not trigger these conditions.
func (c productCheck) endsAfterCutoff() bool {
	if c.Einddatum == "" {
		return true
	}
	end, ok := parseDate(c.Einddatum)
	cutoff, _ := parseDate(conditionCutoff)
	return ok && end.After(cutoff)
}

// verwijderd handles RedenWijziging 13. CS335: "RedenWijziging 13 (verwijderd) mag alleen
// gebruikt worden indien de ingangsdatum gelijk is aan de einddatum". A verwijderde
// toewijzing counts as never sent (README §5 item 2, OP087/OP259): no credential for it.
func (c productCheck) verwijderd() {
	if c.RedenWijziging != redenVerwijderd {
		return
	}
	if c.Einddatum != c.Ingangsdatum {
		c.add("redenWijziging", "code 13 (verwijderd) requires einddatum equal to ingangsdatum (CS335)")
		return
	}
	c.add("redenWijziging", reasonEnded+": the toewijzing is verwijderd (redenWijziging 13); no credential can be issued")
}
