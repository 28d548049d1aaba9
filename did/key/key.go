// Package key implements the did:key method (https://w3c-ccg.github.io/did-method-key/)
// for Ed25519, ECDSA P-256 and ECDSA P-384 keys. A did:key is its own document: resolving
// one needs no network.
package key

import (
	"context"
	"crypto"
	"errors"
	"strings"

	"github.com/sociaaldomein/bewijs/did"
)

// MethodName is the DID method name of did:key.
const MethodName = "key"

const prefix = "did:" + MethodName + ":"

// Resolver resolves did:key DIDs. The zero value is ready to use.
type Resolver struct{}

var _ did.Resolver = Resolver{}

// New returns the did:key of pub: "did:key:" followed by the multibase base58btc encoding
// of the multicodec key (did:key §Format). pub is an ed25519.PublicKey or an
// *ecdsa.PublicKey on P-256 or P-384.
func New(pub crypto.PublicKey) (string, error) {
	mb, err := did.EncodeMultikey(pub)
	if err != nil {
		return "", keyError("", err)
	}
	return prefix + mb, nil
}

// Resolve expands a did:key into its DID document (did:key §Read). The document has one
// Multikey verification method "<did>#<multibase value>", referenced from authentication
// and assertionMethod.
func (Resolver) Resolve(_ context.Context, id string) (did.Document, error) {
	mb, err := methodSpecificID(id)
	if err != nil {
		return did.Document{}, err
	}
	if _, err := did.DecodeMultikey(mb); err != nil {
		return did.Document{}, keyError(id, err)
	}
	vmID := id + "#" + mb
	return did.Document{
		Context: []string{did.ContextDIDv1, did.ContextMultikey},
		ID:      id,
		VerificationMethod: []did.VerificationMethod{{
			ID:                 vmID,
			Type:               did.TypeMultikey,
			Controller:         id,
			PublicKeyMultibase: mb,
		}},
		Authentication:  []string{vmID},
		AssertionMethod: []string{vmID},
	}, nil
}

// PublicKey returns the key a did:key (or a DID URL of one) encodes, without building a document.
func PublicKey(didURL string) (crypto.PublicKey, error) {
	id, _, err := did.ParseDIDURL(didURL)
	if err != nil {
		return nil, err
	}
	mb, err := methodSpecificID(id)
	if err != nil {
		return nil, err
	}
	pub, err := did.DecodeMultikey(mb)
	if err != nil {
		return nil, keyError(id, err)
	}
	return pub, nil
}

// did:key §Format: did-key-format := did:key:<mb-value>, where mb-value starts with "z"
// (base58btc). The optional "<version>:" of older drafts is not supported.
func methodSpecificID(id string) (string, error) {
	method, specificID, err := did.ParseDID(id)
	if err != nil {
		return "", err
	}
	if method != MethodName {
		return "", did.Errorf(did.UnsupportedMethod, id, "not a did:key DID")
	}
	if strings.Contains(specificID, ":") || !strings.HasPrefix(specificID, "z") {
		return "", did.Errorf(did.InvalidDID, id, "method-specific id must be a base58btc multibase value")
	}
	return specificID, nil
}

// keyError maps key decoding failures: a well-formed did:key for a key type bewijs does
// not support is UnsupportedMethod, anything else InvalidDID.
func keyError(id string, err error) error {
	if errors.Is(err, did.ErrUnsupportedKeyType) {
		return did.NewError(did.UnsupportedMethod, id, err)
	}
	return did.NewError(did.InvalidDID, id, err)
}
