package toewijzing

import (
	"bytes"
	"encoding/json"
	"io"
	"strconv"
	"unicode/utf8"
)

const (
	maxDepth    = 16 // deeper than any document needs; bounds the ignored "fixture" too
	maxProblems = 50 // a hostile body cannot make the error list unbounded
	maxKeyInMsg = 64 // unknown keys are echoed in paths, truncated
	rootPath    = "" // FieldError.Field of problems with the body as a whole
)

// errSyntax stops a walk: the body is not one well-formed JSON value.
func errSyntax() error {
	return newParseError(rootPath, "body must be exactly one well-formed JSON object")
}

// walker checks a body against a shape before it is decoded: unknown and duplicate keys,
// JSON types, required numbers, nesting depth. It collects every problem with its full
// path, where encoding/json would stop at the first and name no index. Duplicate keys are
// refused because encoding/json silently keeps the last one, which would let two readers
// of the same body see different BSNs.
type walker struct {
	dec   *json.Decoder
	probs problems
	depth int
	// top records which top-level members are present and not null.
	top map[string]bool
}

func newWalker(data []byte) *walker {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return &walker{dec: dec, top: map[string]bool{}}
}

// document walks the whole body: exactly one JSON value, an object of documentShape.
func (w *walker) document() error {
	tok, err := w.dec.Token()
	if err != nil {
		return errSyntax()
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return newParseError(rootPath, "body must be a JSON object")
	}
	if err := w.object(documentShape, rootPath); err != nil {
		return err
	}
	// One JSON value: anything after the object is refused.
	if _, err := w.dec.Token(); err != io.EOF {
		return errSyntax()
	}
	return nil
}

// The walk methods return a non-nil error only when the walk cannot go on; it is then the
// *ValidationError Parse returns. Other problems are collected in probs.

// value reads one value of shape s at path. It reports whether the value was not null.
func (w *walker) value(s *shape, path string) (bool, error) {
	tok, err := w.dec.Token()
	if err != nil {
		return false, errSyntax()
	}
	switch t := tok.(type) {
	case nil:
		return false, nil
	case json.Delim:
		return true, w.composite(s, t, path)
	case json.Number:
		w.number(s, t, path)
	case string:
		w.expect(s, kindString, path)
	default: // bool
		w.expect(s, -1, path)
	}
	return true, nil
}

// composite walks an object or array that starts with delim.
func (w *walker) composite(s *shape, delim json.Delim, path string) error {
	w.depth++
	defer func() { w.depth-- }()
	if w.depth > maxDepth {
		return newParseError(path, "nested too deeply")
	}
	if delim == '{' {
		if !w.expect(s, kindObject, path) {
			s = anyShape
		}
		return w.object(s, path)
	}
	if !w.expect(s, kindList, path) {
		s = anyShape
	}
	return w.list(s, path)
}

// expect records a problem when s wants another kind than got; kindAny accepts all.
func (w *walker) expect(s *shape, got kind, path string) bool {
	if s.kind == kindAny || s.kind == got {
		return true
	}
	w.probs.add(path, "must be "+s.kind.describe())
	return false
}

// number checks an integer member: no fraction or exponent, within int64.
func (w *walker) number(s *shape, n json.Number, path string) {
	if s.kind == kindAny || !w.expect(s, kindInteger, path) {
		return
	}
	if _, err := strconv.ParseInt(n.String(), 10, 64); err != nil {
		w.probs.add(path, "must be a whole number within range")
	}
}

// object walks the members of an object whose '{' has been read, up to its '}'.
func (w *walker) object(s *shape, path string) error {
	seen := map[string]bool{}
	present := map[string]bool{}
	for w.dec.More() {
		tok, err := w.dec.Token()
		if err != nil {
			return errSyntax()
		}
		key, _ := tok.(string)
		child := w.member(s, key, path, seen)
		ok, err := w.value(child, join(path, key))
		if err != nil {
			return err
		}
		present[key] = ok
	}
	if _, err := w.dec.Token(); err != nil { // '}'
		return errSyntax()
	}
	for _, req := range s.required {
		if !present[req] {
			w.probs.add(join(path, req), "is required")
		}
	}
	if path == rootPath && s == documentShape {
		w.top = present
	}
	return nil
}

// member returns the shape of member key of s, recording duplicate and unknown keys.
func (w *walker) member(s *shape, key, path string, seen map[string]bool) *shape {
	if seen[key] {
		w.probs.add(join(path, key), "duplicate key")
	}
	seen[key] = true
	if s.kind == kindAny {
		return anyShape
	}
	if child, ok := s.members[key]; ok {
		return child
	}
	if !s.open {
		w.probs.add(join(path, key), "unknown field")
	}
	return anyShape
}

// list walks the elements of an array whose '[' has been read, up to its ']'.
func (w *walker) list(s *shape, path string) error {
	elem := anyShape
	if s.kind == kindList {
		elem = s.elem
	}
	for i := 0; w.dec.More(); i++ {
		at := path + "[" + strconv.Itoa(i) + "]"
		present, err := w.value(elem, at)
		if err != nil {
			return err
		}
		if !present && elem.kind == kindObject {
			w.probs.add(at, "must be an object")
		}
	}
	if _, err := w.dec.Token(); err != nil { // ']'
		return errSyntax()
	}
	return nil
}

// join appends a member name to a path; long names are cut so paths stay short.
func join(path, key string) string {
	if utf8.RuneCountInString(key) > maxKeyInMsg {
		key = string([]rune(key)[:maxKeyInMsg]) + "…"
	}
	if path == rootPath {
		return key
	}
	return path + "." + key
}
