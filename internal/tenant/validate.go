package tenant

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/sociaaldomein/bewijs/internal/ident"
)

// FieldError names one invalid input field and says why.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// ValidationError lists every invalid field of an input.
type ValidationError struct {
	Fields []FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, 0, len(e.Fields))
	for _, f := range e.Fields {
		parts = append(parts, f.Field+": "+f.Message)
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

func (e *ValidationError) add(field, msg string) { e.Fields = append(e.Fields, FieldError{field, msg}) }

// NewTenant is the input for creating an organisation.
type NewTenant struct {
	Slug string
	Name string
	Kind Kind
	Ids  Identifiers
}

// allowedIdentifiers says which identifiers fit which kind, and which are required.
var allowedIdentifiers = map[Kind]struct{ required, optional []string }{
	Gemeente:    {required: []string{"gemeentecode"}, optional: []string{"oin", "kvk"}},
	Aanbieder:   {required: []string{"agb"}, optional: []string{"kvk", "oin"}},
	TrustAnchor: {optional: []string{"kvk", "oin"}},
}

// Validate checks every field and returns a *ValidationError naming all that are wrong.
func (n NewTenant) Validate() error {
	var v ValidationError
	if !slugPattern.MatchString(n.Slug) {
		v.add("slug", "use 1-63 lowercase letters, digits and hyphens, not starting or ending with a hyphen")
	}
	if strings.TrimSpace(n.Name) == "" || utf8.RuneCountInString(n.Name) > 200 {
		v.add("name", "give a name of 1-200 characters")
	}
	rules, ok := allowedIdentifiers[n.Kind]
	if !ok {
		v.add("kind", fmt.Sprintf("unknown kind %q; use gemeente, aanbieder or trust-anchor", n.Kind))
	}
	values := map[string]string{"gemeentecode": n.Ids.Gemeentecode, "agb": n.Ids.AGB, "kvk": n.Ids.KvK, "oin": n.Ids.OIN}
	checks := map[string]func(string) error{"gemeentecode": ident.Gemeentecode, "agb": ident.AGB, "kvk": ident.KvK, "oin": ident.OIN}
	for _, field := range []string{"gemeentecode", "agb", "kvk", "oin"} {
		value := values[field]
		switch {
		case value == "" && ok && slices.Contains(rules.required, field):
			v.add(field, fmt.Sprintf("required for kind %s", n.Kind))
		case value == "":
		case ok && !slices.Contains(rules.required, field) && !slices.Contains(rules.optional, field):
			v.add(field, fmt.Sprintf("does not apply to kind %s", n.Kind))
		default:
			if err := checks[field](value); err != nil {
				v.add(field, strings.TrimPrefix(err.Error(), ident.ErrInvalid.Error()+": "))
			}
		}
	}
	if len(v.Fields) > 0 {
		return &v
	}
	return nil
}
