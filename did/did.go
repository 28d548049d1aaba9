// Package did holds bewijs' own DID document types, DID syntax helpers, typed errors and
// the Resolver interface. Each DID method lives in its own subpackage (web, key, jwk) and
// resolver combines them behind a cache.
//
// Specs: W3C DID Core 1.0 (https://www.w3.org/TR/did-core/), the did:web, did:key and
// did:jwk method specifications.
//
// This package is a leaf: it imports nothing else from bewijs.
package did

import (
	"context"
	"encoding/json"
	"slices"
)

// Context URIs used in the documents bewijs builds.
const (
	ContextDIDv1    = "https://www.w3.org/ns/did/v1"
	ContextJWS2020  = "https://w3id.org/security/suites/jws-2020/v1"
	ContextMultikey = "https://w3id.org/security/multikey/v1"
)

// Verification method types bewijs builds and understands.
const (
	TypeJSONWebKey2020 = "JsonWebKey2020"
	TypeMultikey       = "Multikey"
)

// ServiceTypeCredentialOffer is the service type of a holder's OpenID4VCI credential offer
// endpoint (OpenID4VCI 1.0 §4): an issuer delivers an offer by a GET of the serviceEndpoint
// with a credential_offer or credential_offer_uri query parameter.
const ServiceTypeCredentialOffer = "OID4VCICredentialOfferEndpoint"

// Relationship is a DID Core verification relationship (§5.3).
type Relationship string

// Verification relationships bewijs uses.
const (
	Authentication  Relationship = "authentication"
	AssertionMethod Relationship = "assertionMethod"
)

// Resolver resolves a DID (not a DID URL) to its document. Implementations return
// *Error values for every failure.
type Resolver interface {
	Resolve(ctx context.Context, did string) (Document, error)
}

// Document is a DID document (DID Core §5) reduced to what bewijs uses. Relationships
// are always references (absolute DID URLs) to entries of VerificationMethod; Parse
// moves embedded verification methods there.
type Document struct {
	Context            []string             `json:"@context,omitempty"`
	ID                 string               `json:"id"`
	Controller         StringSet            `json:"controller,omitempty"`
	VerificationMethod []VerificationMethod `json:"verificationMethod,omitempty"`
	Authentication     []string             `json:"authentication,omitempty"`
	AssertionMethod    []string             `json:"assertionMethod,omitempty"`
	Service            []Service            `json:"service,omitempty"`
}

// VerificationMethod is a DID Core verification method (§5.2) with a JWK or multibase key.
type VerificationMethod struct {
	ID                 string          `json:"id"`
	Type               string          `json:"type"`
	Controller         string          `json:"controller"`
	PublicKeyJwk       json.RawMessage `json:"publicKeyJwk,omitempty"`
	PublicKeyMultibase string          `json:"publicKeyMultibase,omitempty"`
}

// Service is a DID Core service (§5.4). The endpoint is kept as raw JSON because it may be
// a string, a map or a set.
type Service struct {
	ID              string          `json:"id"`
	Type            StringSet       `json:"type"`
	ServiceEndpoint json.RawMessage `json:"serviceEndpoint"`
}

// NewService is a service whose serviceEndpoint is one URL string (DID Core §5.4).
func NewService(id, typ, endpoint string) Service {
	b, _ := json.Marshal(endpoint) // a string always marshals
	return Service{ID: id, Type: StringSet{typ}, ServiceEndpoint: b}
}

// ServiceEndpoint returns the URL string endpoint of the first service of type typ; false
// when there is none, or its endpoint is a map or a set.
func (d Document) ServiceEndpoint(typ string) (string, bool) {
	for _, s := range d.Service {
		var endpoint string
		if slices.Contains(s.Type, typ) && json.Unmarshal(s.ServiceEndpoint, &endpoint) == nil && endpoint != "" {
			return endpoint, true
		}
	}
	return "", false
}

// References returns the DID URLs listed under rel, or nil for relationships this type
// does not model.
func (d Document) References(rel Relationship) []string {
	switch rel {
	case Authentication:
		return d.Authentication
	case AssertionMethod:
		return d.AssertionMethod
	default:
		return nil
	}
}

// Clone returns a deep copy, so cached documents cannot be changed through a returned value.
func (d Document) Clone() Document {
	c := d
	c.Context = slices.Clone(d.Context)
	c.Controller = slices.Clone(d.Controller)
	c.Authentication = slices.Clone(d.Authentication)
	c.AssertionMethod = slices.Clone(d.AssertionMethod)
	c.VerificationMethod = slices.Clone(d.VerificationMethod)
	for i := range c.VerificationMethod {
		c.VerificationMethod[i].PublicKeyJwk = slices.Clone(d.VerificationMethod[i].PublicKeyJwk)
	}
	c.Service = slices.Clone(d.Service)
	for i := range c.Service {
		c.Service[i].Type = slices.Clone(d.Service[i].Type)
		c.Service[i].ServiceEndpoint = slices.Clone(d.Service[i].ServiceEndpoint)
	}
	return c
}
