package did

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// rawDocument is the wire shape accepted by Parse: relationships may hold references or
// embedded verification methods, and @context may be a string or an array.
type rawDocument struct {
	Context            json.RawMessage      `json:"@context"`
	ID                 string               `json:"id"`
	Controller         StringSet            `json:"controller"`
	VerificationMethod []VerificationMethod `json:"verificationMethod"`
	Authentication     []json.RawMessage    `json:"authentication"`
	AssertionMethod    []json.RawMessage    `json:"assertionMethod"`
	Service            []Service            `json:"service"`
}

// Parse parses and validates a DID document in its JSON representation (DID Core §6.2).
// Relative DID URLs ("#key-1") are resolved against the document id and embedded
// verification methods are moved into VerificationMethod. Errors are *Error values of
// kind InvalidDocument; they never quote the input.
func Parse(data []byte) (Document, error) {
	var d Document
	if err := d.UnmarshalJSON(data); err != nil {
		return Document{}, err
	}
	if err := d.validate(); err != nil {
		return Document{}, NewError(InvalidDocument, "", err)
	}
	return d, nil
}

// UnmarshalJSON decodes and normalises a document like Parse does, without validating it.
func (d *Document) UnmarshalJSON(data []byte) error {
	var raw rawDocument
	if err := json.Unmarshal(data, &raw); err != nil {
		return NewError(InvalidDocument, "", sanitizeJSONError(err))
	}
	doc, err := raw.document()
	if err != nil {
		return NewError(InvalidDocument, "", err)
	}
	*d = doc
	return nil
}

func (r rawDocument) document() (Document, error) {
	ctx, err := parseContext(r.Context)
	if err != nil {
		return Document{}, err
	}
	d := Document{Context: ctx, ID: r.ID, Controller: r.Controller, Service: r.Service}
	for _, vm := range r.VerificationMethod {
		d.VerificationMethod = append(d.VerificationMethod, r.normalize(vm))
	}
	if d.Authentication, err = r.relationship(Authentication, r.Authentication, &d.VerificationMethod); err != nil {
		return Document{}, err
	}
	if d.AssertionMethod, err = r.relationship(AssertionMethod, r.AssertionMethod, &d.VerificationMethod); err != nil {
		return Document{}, err
	}
	return d, nil
}

// DID Core §5.3: a verification relationship is a set of entries that are either a
// verification method map (embedded) or a string (a DID URL reference).
func (r rawDocument) relationship(rel Relationship, entries []json.RawMessage, vms *[]VerificationMethod) ([]string, error) {
	refs := make([]string, 0, len(entries))
	for i, entry := range entries {
		entry = bytes.TrimSpace(entry)
		if len(entry) == 0 {
			return nil, fmt.Errorf("%s entry %d is empty", rel, i)
		}
		switch entry[0] {
		case '"':
			var ref string
			if err := json.Unmarshal(entry, &ref); err != nil {
				return nil, fmt.Errorf("%s entry %d is not a valid string", rel, i)
			}
			refs = append(refs, r.absolute(ref))
		case '{':
			var vm VerificationMethod
			if err := json.Unmarshal(entry, &vm); err != nil {
				return nil, fmt.Errorf("%s entry %d: %w", rel, i, sanitizeJSONError(err))
			}
			vm = r.normalize(vm)
			*vms = append(*vms, vm)
			refs = append(refs, vm.ID)
		default:
			return nil, fmt.Errorf("%s entry %d is neither a reference nor a verification method", rel, i)
		}
	}
	return refs, nil
}

func (r rawDocument) normalize(vm VerificationMethod) VerificationMethod {
	vm.ID = r.absolute(vm.ID)
	vm.Controller = r.absolute(vm.Controller)
	if bytes.Equal(bytes.TrimSpace(vm.PublicKeyJwk), []byte("null")) {
		vm.PublicKeyJwk = nil
	}
	return vm
}

// absolute resolves a relative DID URL ("#key-1") against the document id
// (DID Core §3.2.2 Relative DID URLs).
func (r rawDocument) absolute(ref string) string {
	if r.ID != "" && strings.HasPrefix(ref, "#") {
		return r.ID + ref
	}
	return ref
}

// @context: "The value of the @context property MUST be one or more URIs, where the
// value of the first URI is https://www.w3.org/ns/did/v1" (DID Core §6.3.1). Bewijs also
// reads plain JSON documents without @context, and ignores embedded context maps.
func parseContext(raw json.RawMessage) ([]string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, nil
	}
	var set StringSet
	if err := json.Unmarshal(raw, &set); err == nil {
		return set, nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, errors.New("@context must be a string or an array")
	}
	var out []string
	for _, item := range items {
		var s string
		if err := json.Unmarshal(item, &s); err == nil {
			out = append(out, s)
		}
	}
	return out, nil
}

// sanitizeJSONError keeps the position or field of a decoding error but drops anything
// that could quote the document.
func sanitizeJSONError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fmt.Errorf("malformed JSON at offset %d", syntax.Offset)
	case errors.As(err, &typ) && typ.Field != "":
		return fmt.Errorf("wrong JSON type for field %q", typ.Field)
	case errors.Is(err, errStringSet):
		return err
	default:
		return errors.New("malformed JSON document")
	}
}
