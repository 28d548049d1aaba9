package toewijzing

// label is a claim's display text in one language.
type label struct {
	Label, Description string
}

// claimSpec describes one leaf claim for TypeMetadata: its path, whether every credential
// carries it, and its labels in Dutch and English.
type claimSpec struct {
	path      []string
	mandatory bool
	nl, en    label
}

// claimSpecs lists every leaf Claims can produce, in display order. The tests assert that
// each leaf of each fixture's claims has an entry here (NL Wallet profile: "All leaf values
// in the credential MUST be selectable by a claim in the claims section").
func claimSpecs(wet string) []claimSpec {
	lijst := map[string]string{WetWmo: "WMO020", WetJeugdwet: "JZ020"}[wet]
	return []claimSpec{
		{[]string{"product", "omschrijving"}, false,
			label{"Voorziening", "Naam van de productcategorie"},
			label{"Service", "Name of the product category"}},
		{[]string{"product", "categorie"}, false,
			label{"Productcategorie", "Code uit " + lijst},
			label{"Product category", "Code from " + lijst}},
		{[]string{"product", "code"}, false,
			label{"Productcode", "Productcode van de gemeente"},
			label{"Product code", "The municipality's product code"}},
		{[]string{"ingangsdatum"}, true,
			label{"Ingangsdatum", "Eerste dag waarop de zorg geleverd mag worden"},
			label{"Start date", "First day on which care may be delivered"}},
		{[]string{"einddatum"}, false,
			label{"Einddatum", "Laatste dag waarop de zorg geleverd mag worden"},
			label{"End date", "Last day on which care may be delivered"}},
		{[]string{"omvang", "omschrijving"}, false,
			label{"Omvang", "Omvang in woorden"},
			label{"Extent", "Extent in words"}},
		{[]string{"omvang", "volume"}, false,
			label{"Volume", "Aantal eenheden"},
			label{"Volume", "Number of units"}},
		{[]string{"omvang", "eenheid"}, false,
			label{"Eenheid", "Code uit WJ756"},
			label{"Unit", "Code from WJ756"}},
		{[]string{"omvang", "frequentie"}, false,
			label{"Frequentie", "Code uit WMO757"},
			label{"Frequency", "Code from WMO757"}},
		{[]string{"budget"}, false,
			label{"Budget", "Budget in eurocent"},
			label{"Budget", "Budget in euro cents"}},
		{[]string{"aanbieder", "naam"}, true,
			label{"Aanbieder", "Naam van de zorgaanbieder"},
			label{"Care provider", "Name of the care provider"}},
		{[]string{"aanbieder", "agb"}, true,
			label{"AGB-code aanbieder", "AGB-code van de zorgaanbieder"},
			label{"Provider AGB code", "AGB code of the care provider"}},
		{[]string{"gemeente", "naam"}, true,
			label{"Gemeente", "Gemeente die de toewijzing afgaf"},
			label{"Municipality", "Municipality that issued the allocation"}},
		{[]string{"gemeente", "code"}, true,
			label{"Gemeentecode", "CBS-gemeentecode"},
			label{"Municipality code", "CBS municipality code"}},
		{[]string{"wet"}, true,
			label{"Wet", "Wet waaronder de zorg is toegewezen"},
			label{"Act", "Act under which the care was allocated"}},
		{[]string{"toewijzingnummer"}, true,
			label{"Toewijzingnummer", "Nummer van de toewijzing bij de gemeente"},
			label{"Allocation number", "The municipality's number of the allocation"}},
		{[]string{"beschikkingnummer"}, false,
			label{"Beschikkingnummer", "Nummer van de beschikking bij de gemeente"},
			label{"Decision number", "The municipality's number of the decision"}},
		{[]string{"referentieaanbieder"}, false,
			label{"Referentie aanbieder", "Kenmerk van de aanbieder uit het verzoek om toewijzing"},
			label{"Provider reference", "The provider's reference from its allocation request"}},
		{[]string{"client", "naam", "voornamen"}, false,
			label{"Voornamen", "Voornamen van de cliënt"},
			label{"Given names", "Given names of the client"}},
		{[]string{"client", "voorletters"}, false,
			label{"Voorletters", "Voorletters van de cliënt"},
			label{"Initials", "Initials of the client"}},
		{[]string{"client", "naam", "voorvoegsel"}, false,
			label{"Voorvoegsel", "Voorvoegsel van de achternaam"},
			label{"Surname prefix", "Prefix of the family name"}},
		{[]string{"client", "naam", "achternaam"}, true,
			label{"Achternaam", "Achternaam van de cliënt, zonder voorvoegsel"},
			label{"Family name", "Family name of the client, without prefix"}},
		{[]string{"client", "geboortedatum"}, true,
			label{"Geboortedatum", "Geboortedatum van de cliënt"},
			label{"Date of birth", "Date of birth of the client"}},
		{[]string{"client", "geboortedatumgebruik"}, false,
			label{"Geboortedatum deels onbekend", "Code uit COD170: 1 dag, 2 dag en maand, 3 hele datum onbekend"},
			label{"Date of birth partly unknown", "Code from COD170: 1 day, 2 day and month, 3 whole date unknown"}},
		{[]string{"client", "bsn"}, true,
			label{"BSN", "Burgerservicenummer van de cliënt"},
			label{"BSN", "Citizen service number of the client"}},
	}
}
