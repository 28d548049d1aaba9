package did

import (
	"crypto"
	"errors"
	"fmt"
)

// KeyEntry is one key of a document built by NewDocument.
type KeyEntry struct {
	// Fragment names the key within the document: "key-1" gives "<did>#key-1".
	Fragment string
	// PublicKey is an *ecdsa.PublicKey (P-256, P-384) or an ed25519.PublicKey.
	PublicKey crypto.PublicKey
}

// NewDocument builds the DID document bewijs serves for id (for example at a did:web
// location): every key becomes a JsonWebKey2020 verification method "<id>#<fragment>"
// controlled by id, with a public-only JWK, referenced from assertionMethod and
// authentication.
func NewDocument(id string, keys []KeyEntry) (Document, error) {
	if _, _, err := ParseDID(id); err != nil {
		return Document{}, err
	}
	doc := Document{
		Context: []string{ContextDIDv1, ContextJWS2020},
		ID:      id,
	}
	seen := make(map[string]bool, len(keys))
	for i, k := range keys {
		vm, err := newJWKMethod(id, k)
		if err != nil {
			return Document{}, Errorf(InvalidDocument, id, "key %d: %w", i, err)
		}
		if seen[vm.ID] {
			return Document{}, Errorf(InvalidDocument, id, "key %d: duplicate fragment", i)
		}
		seen[vm.ID] = true
		doc.VerificationMethod = append(doc.VerificationMethod, vm)
		doc.AssertionMethod = append(doc.AssertionMethod, vm.ID)
		doc.Authentication = append(doc.Authentication, vm.ID)
	}
	return doc, nil
}

func newJWKMethod(id string, k KeyEntry) (VerificationMethod, error) {
	if k.Fragment == "" || !validURLPart(k.Fragment, "/?") {
		return VerificationMethod{}, errors.New("invalid fragment")
	}
	jwk, err := PublicJWK(k.PublicKey)
	if err != nil {
		return VerificationMethod{}, fmt.Errorf("public key: %w", err)
	}
	return VerificationMethod{
		ID:           id + "#" + k.Fragment,
		Type:         TypeJSONWebKey2020,
		Controller:   id,
		PublicKeyJwk: jwk,
	}, nil
}
