package toewijzing

import (
	"errors"
	"strings"
)

// ErrInvalid is matched by every *ValidationError (errors.Is(err, ErrInvalid)).
var ErrInvalid = errors.New("invalid toewijzing")

// reasonEnded starts the reason of every "already ended" refusal, so that a caller can tell
// a well-formed but ended toewijzing (revoke what was issued, README §5 item 2) from bad input.
const reasonEnded = "already ended"

// FieldError names one invalid field by its JSON path (e.g. "client.bsn",
// "toegewezenProducten[1].omvang.eenheid") and says why. The reason never contains the
// field's value, so a BSN or a name cannot leak into logs or problem responses.
type FieldError struct {
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

// ValidationError lists every invalid field of a document.
type ValidationError struct {
	Fields []FieldError
}

// Error joins the fields and reasons; it contains no field values.
func (e *ValidationError) Error() string {
	parts := make([]string, 0, len(e.Fields))
	for _, f := range e.Fields {
		if f.Field == "" {
			parts = append(parts, f.Reason)
			continue
		}
		parts = append(parts, f.Field+": "+f.Reason)
	}
	return "invalid toewijzing: " + strings.Join(parts, "; ")
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// OnlyEnded reports whether every listed problem is an "already ended" refusal (einddatum
// before today, or RedenWijziging 13 verwijderd): the document is otherwise valid, and a
// credential issued earlier for such a product has to be revoked rather than re-issued.
func (e *ValidationError) OnlyEnded() bool {
	if len(e.Fields) == 0 {
		return false
	}
	for _, f := range e.Fields {
		if !strings.HasPrefix(f.Reason, reasonEnded) {
			return false
		}
	}
	return true
}

// problems collects field errors while a document is checked.
type problems struct {
	fields []FieldError
}

// add records that field is invalid for reason. Reasons are constants or built from codes
// and limits only, never from input values.
// After maxProblems entries one last "too many problems" entry ends the list.
func (p *problems) add(field, reason string) {
	switch {
	case len(p.fields) < maxProblems:
		p.fields = append(p.fields, FieldError{Field: field, Reason: reason})
	case len(p.fields) == maxProblems:
		p.fields = append(p.fields, FieldError{Field: rootPath, Reason: "too many problems; the rest are not listed"})
	}
}

// err returns nil when nothing was recorded, else a fresh *ValidationError.
func (p *problems) err() error {
	if len(p.fields) == 0 {
		return nil
	}
	return &ValidationError{Fields: append([]FieldError(nil), p.fields...)}
}

// newParseError is the *ValidationError Parse returns for one structural problem.
func newParseError(field, reason string) error {
	return &ValidationError{Fields: []FieldError{{Field: field, Reason: reason}}}
}
