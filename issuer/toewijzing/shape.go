package toewijzing

// kind is the JSON type a member must have.
type kind int

const (
	kindAny     kind = iota // anything (the ignored "fixture" and "standaard" keys)
	kindString              // a JSON string
	kindInteger             // a JSON number without fraction or exponent that fits an int64
	kindObject              // a JSON object with the members listed in shape.members
	kindList                // a JSON array whose elements have shape.elem
)

// shape describes what Parse accepts at one place in the document. Codes are strings and
// counts are integers, as in the fixtures (README §8: "code values are the exact
// iStandaarden codes as strings; budget is in eurocent; toewijzingNummer and volume are
// integers").
type shape struct {
	kind    kind
	members map[string]*shape // kindObject: the allowed members
	elem    *shape            // kindList: the element shape
	// open lets an object carry members not listed (the 301 header "bericht", which is
	// accepted and only cross-checked where it overlaps the body).
	open bool
	// required lists members that must be present and not null at parse time: the numbers
	// whose zero value is meaningful, so Validate could not tell "absent" from 0.
	required []string
}

var (
	anyShape     = &shape{kind: kindAny}
	stringShape  = &shape{kind: kindString}
	integerShape = &shape{kind: kindInteger}
)

func object(members map[string]*shape, required ...string) *shape {
	return &shape{kind: kindObject, members: members, required: required}
}

// documentShape is the admin API input: the fixture files' shape. Only "fixture",
// "standaard" and "bericht" are accepted beyond the 301 body; any other key is refused.
var documentShape = object(map[string]*shape{
	"fixture":             anyShape,
	"standaard":           anyShape,
	"bericht":             berichtShape,
	"wet":                 stringShape,
	"beschikkingNummer":   stringShape,
	"gemeente":            object(map[string]*shape{"gemeentecode": stringShape, "naam": stringShape, "did": stringShape}),
	"aanbieder":           object(map[string]*shape{"agbCode": stringShape, "naam": stringShape, "did": stringShape}),
	"client":              clientShape,
	"toegewezenProduct":   productShape,
	"toegewezenProducten": {kind: kindList, elem: productShape},
})

var berichtShape = &shape{kind: kindObject, open: true, members: map[string]*shape{
	"type":             stringShape,
	"berichtCode":      stringShape,
	"berichtVersie":    integerShape,
	"berichtSubversie": integerShape,
	"afzender":         stringShape,
	"ontvanger":        stringShape,
}}

var clientShape = object(map[string]*shape{
	"bsn":           stringShape,
	"geboortedatum": object(map[string]*shape{"datum": stringShape, "datumGebruik": stringShape}),
	"geslacht":      stringShape,
	"naam": object(map[string]*shape{
		"geslachtsnaam": object(map[string]*shape{"voorvoegsel": stringShape, "achternaam": stringShape}),
		"voornamen":     stringShape,
		"voorletters":   stringShape,
		"naamGebruik":   stringShape,
	}),
})

var productShape = object(map[string]*shape{
	"toewijzingNummer":    integerShape,
	"referentieAanbieder": stringShape,
	"product":             object(map[string]*shape{"categorie": stringShape, "code": stringShape}),
	"toewijzingsdatum":    stringShape,
	"toewijzingstijd":     stringShape,
	"ingangsdatum":        stringShape,
	"einddatum":           stringShape,
	"redenWijziging":      stringShape,
	"omvang": object(map[string]*shape{
		"volume":     integerShape,
		"eenheid":    stringShape,
		"frequentie": stringShape,
	}, "volume"),
	"budget":     integerShape,
	"commentaar": stringShape,
}, "toewijzingNummer")

// describe names a kind for an error reason.
func (k kind) describe() string {
	switch k {
	case kindString:
		return "a string"
	case kindInteger:
		return "an integer"
	case kindObject:
		return "an object"
	case kindList:
		return "a list"
	}
	return "a value"
}
