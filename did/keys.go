package did

import (
	"crypto"
	"slices"
	"strings"
)

// Key returns the public key of the verification method identified by didURL, which is
// either absolute ("did:web:example.com#key-1") or relative to the document ("#key-1").
// The method must be referenced from rel: DID Core §5.3 "verification relationship"
// expresses that a key may be used for that purpose only.
func (d Document) Key(didURL string, rel Relationship) (crypto.PublicKey, error) {
	vm, err := d.Lookup(didURL, rel)
	if err != nil {
		return nil, err
	}
	pub, err := vm.PublicKey()
	if err != nil {
		return nil, WithDID(err, d.ID)
	}
	return pub, nil
}

// Lookup returns the verification method identified by didURL that is referenced from rel.
func (d Document) Lookup(didURL string, rel Relationship) (VerificationMethod, error) {
	id, err := d.absoluteID(didURL)
	if err != nil {
		return VerificationMethod{}, err
	}
	vm, ok := d.lookup(id)
	if !ok {
		return VerificationMethod{}, Errorf(KeyNotFound, d.ID, "no verification method with the requested id")
	}
	if !slices.Contains(d.References(rel), id) {
		return VerificationMethod{}, Errorf(KeyNotFound, d.ID, "verification method is not referenced from %s", rel)
	}
	return vm, nil
}

// Keys returns the verification methods of this document referenced from rel, in the order
// of the references. References to methods outside the document are skipped.
func (d Document) Keys(rel Relationship) []VerificationMethod {
	var out []VerificationMethod
	for _, ref := range d.References(rel) {
		if vm, ok := d.lookup(ref); ok {
			out = append(out, vm)
		}
	}
	return out
}

func (d Document) lookup(id string) (VerificationMethod, bool) {
	for _, vm := range d.VerificationMethod {
		if vm.ID == id {
			return vm, true
		}
	}
	return VerificationMethod{}, false
}

// absoluteID resolves "#frag" against the document id and checks that an absolute DID URL
// belongs to this document.
func (d Document) absoluteID(didURL string) (string, error) {
	if strings.HasPrefix(didURL, "#") {
		didURL = d.ID + didURL
	}
	did, fragment, err := ParseDIDURL(didURL)
	if err != nil {
		return "", WithDID(err, d.ID)
	}
	if did != d.ID {
		return "", Errorf(KeyNotFound, d.ID, "DID URL belongs to another DID")
	}
	if fragment == "" {
		return "", Errorf(KeyNotFound, d.ID, "DID URL has no fragment")
	}
	return didURL, nil
}
