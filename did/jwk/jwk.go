// Package jwk implements the did:jwk method (https://github.com/quartzjer/did-jwk/blob/main/spec.md):
// a DID that is the base64url encoding of a public JWK. Resolution needs no network.
package jwk

import (
	"bytes"
	"context"
	"crypto"
	"encoding/base64"
	"encoding/json"
	"errors"
	"unicode/utf8"

	"github.com/sociaaldomein/bewijs/did"
)

// MethodName is the DID method name of did:jwk.
const MethodName = "jwk"

const prefix = "did:" + MethodName + ":"

// Resolver resolves did:jwk DIDs. The zero value is ready to use.
type Resolver struct{}

var _ did.Resolver = Resolver{}

// New returns the did:jwk of pub (did:jwk §Create): its public JWK, serialised with members
// sorted and without whitespace (the JCS form the specification suggests), base64url
// encoded without padding. pub is an ed25519.PublicKey or an *ecdsa.PublicKey on P-256
// or P-384.
func New(pub crypto.PublicKey) (string, error) {
	jwk, err := did.PublicJWK(pub)
	if err != nil {
		return "", jwkError("", err)
	}
	return prefix + base64.RawURLEncoding.EncodeToString(jwk), nil
}

// Resolve expands a did:jwk into its DID document (did:jwk §Read). The document has one
// JsonWebKey2020 verification method "<did>#0" holding the JWK. It is referenced from
// authentication and assertionMethod unless the JWK's "use" is "enc" (an encryption key
// belongs only in keyAgreement, which this package does not model).
func (Resolver) Resolve(_ context.Context, id string) (did.Document, error) {
	raw, err := decode(id)
	if err != nil {
		return did.Document{}, err
	}
	vmID := id + "#0"
	doc := did.Document{
		Context: []string{did.ContextDIDv1, did.ContextJWS2020},
		ID:      id,
		VerificationMethod: []did.VerificationMethod{{
			ID:           vmID,
			Type:         did.TypeJSONWebKey2020,
			Controller:   id,
			PublicKeyJwk: raw,
		}},
	}
	if keyUse(raw) != "enc" {
		doc.Authentication = []string{vmID}
		doc.AssertionMethod = []string{vmID}
	}
	return doc, nil
}

// decode follows did:jwk §Read: "Remove the prefix did:jwk:", "Decode the remaining string
// using base64url", "Parse the decoded string as UTF-8 JSON", "Validate the JWK properties".
func decode(id string) (json.RawMessage, error) {
	method, specificID, err := did.ParseDID(id)
	if err != nil {
		return nil, err
	}
	if method != MethodName {
		return nil, did.Errorf(did.UnsupportedMethod, id, "not a did:jwk DID")
	}
	// did:jwk §DID Format: base64url-value := [A-Za-z0-9_-]+ (no padding).
	data, err := base64.RawURLEncoding.Strict().DecodeString(specificID)
	if err != nil {
		return nil, did.Errorf(did.InvalidDID, id, "method-specific id is not base64url")
	}
	if !utf8.Valid(data) {
		return nil, did.Errorf(did.InvalidDID, id, "JWK is not UTF-8")
	}
	// did:jwk §Security: "a JWK for a private key must never be used and must be rejected
	// by all implementations when encountered." ParseJWK refuses private members.
	if _, err := did.ParseJWK(data); err != nil {
		return nil, jwkError(id, err)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, data); err != nil {
		return nil, did.Errorf(did.InvalidDID, id, "JWK is not valid JSON")
	}
	return compact.Bytes(), nil
}

func keyUse(raw json.RawMessage) string {
	var members struct {
		Use string `json:"use"`
	}
	_ = json.Unmarshal(raw, &members)
	return members.Use
}

// jwkError maps JWK failures: a valid JWK of a key type bewijs does not support is
// UnsupportedMethod, anything else (malformed, private) InvalidDID.
func jwkError(id string, err error) error {
	if errors.Is(err, did.ErrUnsupportedKeyType) {
		return did.NewError(did.UnsupportedMethod, id, err)
	}
	return did.NewError(did.InvalidDID, id, err)
}
