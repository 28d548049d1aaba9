package toewijzing

// Code lists of iWmo / iJw 3.2 (README §3; the enumerations of the 3.2 Basisschema.xsd).
// The maps are read-only tables; use the lookup functions below.

// wmo020 is WMO020 Productcategorie (Wmo).
var wmo020 = map[string]string{
	"01": "Hulp bij het huishouden",
	"02": "Begeleiding",
	"03": "Persoonlijke verzorging",
	"04": "Kortdurend verblijf",
	"05": "Woondiensten",
	"06": "Overige ondersteuning gericht op het individu of huishouden/gezin",
	"07": "Dagbesteding",
	"08": "Vervoerdiensten",
	"09": "Overige groepsgerichte ondersteuning",
	"10": "Overige maatwerk arrangementen",
	"11": "Rolstoelen",
	"12": "Vervoervoorzieningen",
	"13": "Woonvoorzieningen",
	"14": "Overige hulpmiddelen",
	"15": "Beschermd wonen",
	"16": "Opvang",
	"17": "Spoedopvang",
	"18": "Overige beschermd wonen en opvang",
}

// jz020 is JZ020 Productcategorie (Jeugdwet). The "(2015)" categories are historical but
// still in the enumeration.
var jz020 = map[string]string{
	"31": "(2015) Zonder verblijf: uitgevoerd door wijk- of buurtteam",
	"32": "(2015) Zonder verblijf: ambulante jeugdhulp op locatie van de aanbieder",
	"33": "(2015) Zonder verblijf: daghulp op locatie van de aanbieder",
	"34": "(2015) Zonder verblijf: jeugdhulp in het netwerk van de jeugdige",
	"35": "(2015) Met verblijf: pleegzorg",
	"36": "(2015) Met verblijf: gezinsgericht",
	"37": "(2015) Met verblijf: gesloten plaatsing",
	"38": "(2015) Met verblijf: overig residentieel",
	"40": "Persoonlijke verzorging",
	"41": "Dagbehandeling",
	"42": "Vervoerdiensten",
	"43": "Jeugdhulp verblijf (incl. behandeling)",
	"44": "Jeugdhulp verblijf (excl. behandeling)",
	"45": "Jeugdhulp ambulant",
	"46": "Jeugdhulp crisis",
	"47": "Jeugdreclassering",
	"48": "Jeugdbescherming",
	"49": "Activiteiten in het preventief justitieel kader",
	"50": "Maatwerkarrangementen jeugd",
	"51": "Generalistische basis-ggz",
	"52": "Specialistische ggz",
	"53": "Kindergeneeskunde",
	"54": "Jeugd-ggz",
	"55": "Landelijk ingekochte zorg",
}

// wj756 is WJ756 Eenheid, shared by iWmo and iJw 3.2.
var wj756 = map[string]string{
	"01": "Minuut",
	"04": "Uur",
	"14": "Etmaal",
	"16": "Dagdeel (4 uur)",
	"82": "Stuks (output)",
	"83": "Euro's",
	"84": "Stuks (inspanning)",
}

// wmo757 is WMO757 Frequentie, used by iWmo and iJw 3.2 (3 and 5 existed in 2.x only).
var wmo757 = map[string]string{
	"1": "Per dag",
	"2": "Per week",
	"4": "Per maand",
	"6": "Totaal binnen geldigheidsduur toewijzing",
}

// wmo002 is WMO002 / JZ002 Reden wijziging toewijzing (same codes in both domains).
var wmo002 = map[string]string{
	"01": "Administratieve correctie (vervallen)",
	"02": "Cliënt overleden",
	"03": "Contractwijziging",
	"04": "Herbeoordeling: verlenging toewijzing",
	"05": "Herbeoordeling: verkorting toewijzing",
	"06": "Uitstroom naar ander domein",
	"07": "Verhuizing naar een andere gemeente",
	"08": "Wijziging leveringsvorm",
	"09": "Overstap naar andere aanbieder",
	"10": "Overgang naar nieuwe bekostigingssystematiek",
	"11": "Gemeentelijke herindeling",
	"12": "Geïnitieerd door de aanbieder",
	"13": "Verwijderd",
	"14": "Administratieve correctie",
}

// Codes with a rule of their own.
const (
	redenVervallen  = "01" // CS336: must not be used any more
	redenVerwijderd = "13" // CS335: only with einddatum = ingangsdatum; no credential (OP087)
	frequentieWeek  = "2"  // CD076: einddatum required
)

// cod046 is Geslacht, cod700 NaamGebruik (6, niet-natuurlijk persoon, is refused for a
// client by CS318), cod170 DatumGebruik.
var (
	cod046 = map[string]bool{"0": true, "1": true, "2": true}
	cod700 = map[string]bool{"1": true, "2": true, "3": true, "4": true, "5": true}
	cod170 = map[string]bool{"1": true, "2": true, "3": true}
)

// categorieList returns the productcategorie list of a wet (WMO020 or JZ020), nil for an
// unknown wet. Never share one list between the domains (README §3).
func categorieList(wet string) map[string]string {
	switch wet {
	case WetWmo:
		return wmo020
	case WetJeugdwet:
		return jz020
	}
	return nil
}

// CategorieNaam is the display name of a productcategorie under a wet, e.g.
// ("Wmo2015", "01") → "Hulp bij het huishouden".
func CategorieNaam(wet, code string) (string, bool) {
	name, ok := categorieList(wet)[code]
	return name, ok
}

// EenheidNaam is the display name of a WJ756 eenheid, e.g. "04" → "Uur".
func EenheidNaam(code string) (string, bool) {
	name, ok := wj756[code]
	return name, ok
}

// FrequentieNaam is the display name of a WMO757 frequentie, e.g. "2" → "Per week".
func FrequentieNaam(code string) (string, bool) {
	name, ok := wmo757[code]
	return name, ok
}

// RedenWijzigingNaam is the display name of a WMO002 / JZ002 reden wijziging.
func RedenWijzigingNaam(code string) (string, bool) {
	name, ok := wmo002[code]
	return name, ok
}
