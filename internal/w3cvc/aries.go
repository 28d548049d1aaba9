package w3cvc

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	josejwt "github.com/go-jose/go-jose/v3/jwt"
	"github.com/hyperledger/aries-framework-go/pkg/doc/util"
	"github.com/hyperledger/aries-framework-go/pkg/doc/verifiable"
)

// This file is the boundary to aries' verifiable package for credentials: Credential to
// verifiable.Credential and back, and the one way aries validates a vc object.

// ariesCredentialOpts makes aries check a vc object against the JSON schema of the VC Data
// Model 1.1 base model, and nothing else:
//   - WithDisabledProofCheck: the JWS was verified by internal/jose; a JWT VC has no proof.
//   - WithNoCustomSchemaCheck: never download a credentialSchema named in the credential.
//   - WithBaseContextExtendedValidation with the document's own contexts and types: aries'
//     only mode that runs the JSON schema without JSON-LD processing (which would fetch
//     every @context). Allowing what the document lists leaves the schema's rules: the
//     first @context is ContextV1 and type contains VerifiableCredential.
func ariesCredentialOpts(contexts, types []string) []verifiable.CredentialOpt {
	return []verifiable.CredentialOpt{
		verifiable.WithDisabledProofCheck(),
		verifiable.WithNoCustomSchemaCheck(),
		verifiable.WithBaseContextExtendedValidation(contexts, types),
	}
}

// parseVCObject validates a vc object (JSON) with aries and returns aries' model of it.
func parseVCObject(obj map[string]any) (*verifiable.Credential, error) {
	// aries reads a top-level "jwt" member as the credential itself (and would then decode
	// that JWT, unverified, instead of this object): never hand it one.
	if _, ok := obj["jwt"]; ok {
		return nil, malformed(nil, "vc object has a jwt member")
	}
	data, err := json.Marshal(obj)
	if err != nil {
		return nil, malformed(err, "vc object does not encode")
	}
	var vc *verifiable.Credential
	err = guard("vc object does not satisfy the VC Data Model 1.1", func() (err error) {
		vc, err = verifiable.ParseCredential(data, ariesCredentialOpts(stringsOf(obj["@context"]), stringsOf(obj["type"]))...)
		return err
	})
	return vc, err
}

// guard runs an aries call and turns its error, or a panic, into a malformed error. Aries is
// archived and parses untrusted input here: a panic in it must not take the process down.
func guard(detail string, f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = malformed(fmt.Errorf("aries panicked: %v", r), "%s", detail)
		}
	}()
	if err := f(); err != nil {
		return malformed(err, "%s", detail)
	}
	return nil
}

// stringsOf returns the strings of a JSON string or array; other members are skipped.
func stringsOf(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, e := range v {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// toAries builds aries' model of c; checkCredential has accepted c.
func toAries(c Credential) *verifiable.Credential {
	types := []string{TypeVerifiableCredential}
	for _, t := range c.Types {
		if t != TypeVerifiableCredential && !slices.Contains(types, t) {
			types = append(types, t)
		}
	}
	vc := &verifiable.Credential{
		Context: []string{ContextV1},
		ID:      c.ID,
		Types:   types,
		Issuer:  verifiable.Issuer{ID: c.Issuer},
		Subject: []verifiable.Subject{{ID: c.Subject, CustomFields: verifiable.CustomFields(maps.Clone(c.Claims))}},
		Issued:  util.NewTime(jwtTime(c.ValidFrom)),
		Status:  statusToAries(c.Status),
	}
	if !c.ValidUntil.IsZero() {
		vc.Expired = util.NewTime(jwtTime(c.ValidUntil))
	}
	return vc
}

// validateAries runs aries' model of a credential we are about to sign through the same
// validation a verifier's ParseJWT applies.
func validateAries(vc *verifiable.Credential) error {
	var data []byte
	err := guard("credential does not encode", func() (err error) {
		data, err = vc.MarshalJSON()
		return err
	})
	if err != nil {
		return err
	}
	return guard("credential does not satisfy the VC Data Model 1.1", func() error {
		_, err := verifiable.ParseCredential(data, ariesCredentialOpts(vc.Context, vc.Types)...)
		return err
	})
}

// credentialClaims returns aries' JWT claims of vc with the whole vc object in the vc claim
// (minimizeVC false). aries sets iat to issuanceDate; iat is the time of signing instead,
// left out when issuedAt is zero.
func credentialClaims(vc *verifiable.Credential, issuedAt time.Time) (*verifiable.JWTCredClaims, error) {
	var claims *verifiable.JWTCredClaims
	err := guard("credential does not map to JWT claims", func() (err error) {
		claims, err = vc.JWTClaims(false)
		return err
	})
	if err != nil {
		return nil, err
	}
	claims.IssuedAt = nil
	if !issuedAt.IsZero() {
		claims.IssuedAt = josejwt.NewNumericDate(jwtTime(issuedAt))
	}
	return claims, nil
}

// fromAries maps aries' model of a parsed vc object to a Credential (without IssuedAt,
// which VC-DM 1.1 has no property for).
func fromAries(vc *verifiable.Credential) (Credential, error) {
	c := Credential{ID: vc.ID, Issuer: vc.Issuer.ID}
	for _, t := range vc.Types {
		if t != TypeVerifiableCredential {
			c.Types = append(c.Types, t)
		}
	}
	switch s := vc.Subject.(type) {
	case string:
		c.Subject = s
	case []verifiable.Subject:
		// VC-DM 1.1 §6.3.1: "JWTs are not capable of encoding multiple subjects".
		if len(s) != 1 {
			return Credential{}, malformed(nil, "credentialSubject must be one subject")
		}
		c.Subject = s[0].ID
		if len(s[0].CustomFields) > 0 {
			c.Claims = maps.Clone(map[string]any(s[0].CustomFields))
		}
	default:
		return Credential{}, malformed(nil, "credentialSubject of unsupported form")
	}
	if vc.Issued != nil {
		c.ValidFrom = vc.Issued.Time.UTC()
	}
	if vc.Expired != nil {
		c.ValidUntil = vc.Expired.Time.UTC()
	}
	status, err := statusFromAries(vc.Status)
	if err != nil {
		return Credential{}, err
	}
	c.Status = status
	return c, nil
}

// jwtTime is t as a JWT carries it: UTC, whole seconds.
func jwtTime(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }

var errNoSubjectID = errors.New("claims must not hold an id: it is Subject")
