// Package w3cvc issues and verifies W3C Verifiable Credentials and Presentations secured as
// JWT (VC Data Model 1.1 §6.3.1, the OpenID4VC format jwt_vc_json) and encodes W3C Bitstring
// Status List 1.0 lists.
//
// It is the only package of bewijs that imports hyperledger/aries-framework-go (archived; its
// verifiable package builds and validates the vc and vp objects). Aries types never leave
// this package: callers see Credential, Presentation and StatusEntry. Signatures are made and
// checked by internal/jose, never by aries, and aries' JSON-LD processing is never used, so
// no @context is ever fetched.
package w3cvc
