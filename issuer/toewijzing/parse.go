package toewijzing

import (
	"encoding/json"
	"unicode/utf8"
)

// wireDocument is what the body decodes into once its shape is known to be right: the
// Document plus the single-product form.
type wireDocument struct {
	Document
	ToegewezenProduct *Product `json:"toegewezenProduct"`
}

// Parse decodes an admin API body strictly: one JSON object in UTF-8, no duplicate keys, no
// keys beyond the document shape except "fixture", "standaard" and "bericht", JSON types as
// in the fixtures, and either "toegewezenProduct" (one) or "toegewezenProducten" (a
// non-empty list), not both and not neither. The caller bounds the size.
//
// Every problem is reported at once in a *ValidationError whose fields are JSON paths
// ("toegewezenProducten[1].omvang.volume"); reasons carry no input values. Parse checks
// only the shape; call Validate for the domain rules.
func Parse(data []byte) (Document, error) {
	if !utf8.Valid(data) {
		return Document{}, newParseError(rootPath, "body must be UTF-8")
	}
	w := newWalker(data)
	if err := w.document(); err != nil {
		return Document{}, err
	}
	checkProductForms(&w.probs, w.top)
	if err := w.probs.err(); err != nil {
		return Document{}, err
	}
	var wire wireDocument
	if err := json.Unmarshal(data, &wire); err != nil {
		// Unreachable after the walk; kept so a gap between shape and struct cannot pass.
		return Document{}, newParseError(rootPath, "body does not have the document shape")
	}
	doc := wire.Document
	if wire.ToegewezenProduct != nil {
		doc.Producten = []Product{*wire.ToegewezenProduct}
		doc.single = true
	}
	if len(doc.Producten) == 0 {
		return Document{}, newParseError("toegewezenProducten", "must hold at least one product")
	}
	return doc, nil
}

// checkProductForms enforces "toegewezenProduct" XOR "toegewezenProducten" (README §2: a
// 301 has 1..n ToegewezenProduct).
func checkProductForms(p *problems, top map[string]bool) {
	one, many := top["toegewezenProduct"], top["toegewezenProducten"]
	switch {
	case one && many:
		p.add("toegewezenProducten", "send either toegewezenProduct or toegewezenProducten, not both")
	case !one && !many:
		p.add("toegewezenProducten", "is required (or toegewezenProduct for a single product)")
	}
}
