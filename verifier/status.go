package verifier

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"net/url"
	"time"

	"github.com/sociaaldomein/bewijs/internal/jose"
	"github.com/sociaaldomein/bewijs/internal/statuslist"
)

// maxStatusListBytes caps the decompressed status list: 2 MiB holds 2^24 one-bit or 2^21
// eight-bit entries, far beyond bewijs' own 2^17 two-bit lists.
const maxStatusListBytes = 2 << 20

// verifiedStatusTTL bounds how long a verified list is kept even when its token has no
// exp; the token bytes are compared on every use, so a new token is always verified anew.
const verifiedStatusTTL = time.Hour

// verifiedStatus is a Status List Token that verified for one uri: the token as fetched,
// the DID that signed it, its expiry (zero: none) and the decoded list.
type verifiedStatus struct {
	token  []byte
	issuer string
	exp    time.Time
	list   *statuslist.List
}

// statusClaims is the payload of a Status List Token in JWT format (§5.1).
type statusClaims struct {
	Sub        string   `json:"sub"`
	IssuedAt   *float64 `json:"iat"`
	Expiry     *float64 `json:"exp"`
	StatusList *struct {
		Bits int    `json:"bits"`
		Lst  string `json:"lst"`
	} `json:"status_list"`
}

// checkStatus is Token Status List draft -20 §8.3: it reads the credential's reference,
// fetches and validates the Status List Token, and returns StatusValid or a Failure.
// SD-JWT VC draft -16 §2.4: "If status is present in the verified payload of the SD-JWT,
// the status SHOULD be checked. Verifier policy decides ..." bewijs' policy: a credential
// without a status reference cannot be revoked, so it is refused.
func (v *Verifier) checkStatus(ctx context.Context, claims map[string]any, issuerDID string, now time.Time, skew time.Duration) (string, error) {
	idx, uri, err := statusReference(claims)
	if err != nil {
		return "", err
	}
	if v.status == nil {
		return "", newFailure(ReasonStatusUnavailable, nil, "no status list fetcher is configured")
	}
	// §8.3 step 2: "Resolve the Status List Token from the provided URI".
	token, err := v.status.Fetch(ctx, uri)
	if err != nil {
		return "", newFailure(ReasonStatusUnavailable, err, "the status list could not be fetched")
	}
	vs, err := v.verifiedList(ctx, uri, token, issuerDID, now, skew)
	if err != nil {
		return "", err
	}
	// §8.3 step 6: an index out of bounds "MUST be rejected".
	s, err := vs.list.Get(idx)
	if err != nil {
		return "", newFailure(ReasonStatusUnavailable, err, "the status index lies outside the status list")
	}
	return statusOf(s)
}

// statusOf maps a Status Type (§7.1) to the result of checkStatus.
func statusOf(s statuslist.Status) (string, error) {
	switch s {
	case statuslist.Valid:
		return StatusValid, nil
	case statuslist.Invalid:
		return "", newFailure(ReasonRevoked, nil, "the credential is revoked")
	case statuslist.Suspended:
		return "", newFailure(ReasonSuspended, nil, "the credential is suspended")
	}
	return "", newFailure(ReasonStatusUnavailable, nil, "the status list holds status type %s, which this verifier does not understand", s)
}

// statusReference reads status.status_list {idx, uri}. §8.3 step 1: "Check for the
// existence of a status claim, check for the existence of a status_list claim within the
// status claim and validate that the content of status_list adheres to the rules" of
// §6.2: idx "a non-negative Integer", uri "a URI conforming to RFC3986".
func statusReference(claims map[string]any) (int, string, error) {
	status, _ := claims["status"].(map[string]any)
	ref, _ := status["status_list"].(map[string]any)
	if ref == nil {
		return 0, "", newFailure(ReasonStatusUnavailable, nil, "the credential has no status_list reference")
	}
	f, ok := ref["idx"].(float64)
	if !ok || f < 0 || f != math.Trunc(f) || f > math.MaxInt32 {
		return 0, "", newFailure(ReasonStatusUnavailable, nil, "the status_list idx is not a non-negative integer")
	}
	uri, _ := ref["uri"].(string)
	if u, err := url.Parse(uri); err != nil || !u.IsAbs() || u.Host == "" {
		return 0, "", newFailure(ReasonStatusUnavailable, err, "the status_list uri is not an absolute URI")
	}
	return int(f), uri, nil
}

// verifiedList returns the verified list of token, from the cache when the same bytes
// verified before for this uri (and are still unexpired), else by verifying them.
func (v *Verifier) verifiedList(ctx context.Context, uri string, token []byte, issuerDID string, now time.Time, skew time.Duration) (verifiedStatus, error) {
	if c, ok := v.lists.get(uri, now); ok && bytes.Equal(c.token, token) {
		return c, c.usableFor(issuerDID, now, skew)
	}
	vs, err := v.verifyStatusToken(ctx, uri, token, now)
	if err != nil {
		return verifiedStatus{}, err
	}
	expires := now.Add(verifiedStatusTTL)
	if !vs.exp.IsZero() && vs.exp.Before(expires) {
		expires = vs.exp
	}
	v.lists.put(uri, vs, expires, now)
	return vs, vs.usableFor(issuerDID, now, skew)
}

// usableFor checks what depends on the credential and the time rather than on the token.
func (vs verifiedStatus) usableFor(issuerDID string, now time.Time, skew time.Duration) error {
	// §11.3: "If the Issuer of the Referenced Token is the same entity as the Status Issuer,
	// then the same key that is embedded into the Referenced Token may be used for the
	// Status List Token." bewijs' policy: the list must be signed by a key of the same DID.
	if vs.issuer != issuerDID {
		return newFailure(ReasonStatusUnavailable, nil, "the status list is not signed by the issuer of the credential")
	}
	// §8.3 step 4.3: "If the expiration time is defined (exp), it MUST be checked if the
	// Status List Token is expired".
	if !vs.exp.IsZero() && !now.Before(vs.exp.Add(skew)) {
		return newFailure(ReasonStatusUnavailable, nil, "the status list has expired")
	}
	return nil
}

// verifyStatusToken is §8.3 steps 3 and 4 for one token fetched from uri.
func (v *Verifier) verifyStatusToken(ctx context.Context, uri string, token []byte, now time.Time) (verifiedStatus, error) {
	compact := string(token)
	hdr, err := jose.ParseHeader(compact)
	if err != nil {
		return verifiedStatus{}, newFailure(ReasonStatusUnavailable, err, "the status list is not a JWS")
	}
	// §5.1: "typ: REQUIRED. The JWT type MUST be statuslist+jwt."
	if hdr.Typ != statuslist.TokenType {
		return verifiedStatus{}, newFailure(ReasonStatusUnavailable, nil, "the status list typ is not %s", statuslist.TokenType)
	}
	// §8.3 step 3.1: validate per RFC 7519 §7.2; "This step might require the resolution
	// of a public key as described in Section 11.3": the kid's DID document here.
	ik, err := v.issuerKeyFor(ctx, hdr.Kid, now)
	if err != nil {
		return verifiedStatus{}, newFailure(ReasonStatusUnavailable, err, "the status list signing key could not be resolved")
	}
	payload, _, err := jose.Verify(compact, ik.key)
	if err != nil {
		return verifiedStatus{}, newFailure(ReasonStatusUnavailable, err, "the status list signature does not verify")
	}
	var c statusClaims
	if err := json.Unmarshal(payload, &c); err != nil {
		return verifiedStatus{}, newFailure(ReasonStatusUnavailable, err, "the status list payload is not a JSON object")
	}
	if err := c.check(uri); err != nil {
		return verifiedStatus{}, err
	}
	list, err := statuslist.Decode(c.StatusList.Lst, c.StatusList.Bits, maxStatusListBytes)
	if err != nil {
		return verifiedStatus{}, newFailure(ReasonStatusUnavailable, err, "the status list cannot be decoded")
	}
	vs := verifiedStatus{token: bytes.Clone(token), issuer: ik.did, list: list}
	if c.Expiry != nil {
		vs.exp = time.Unix(int64(*c.Expiry), 0)
	}
	return vs, nil
}

// check is §8.3 step 3.2 ("Check for the existence of the required claims") and step 4.1.
func (c statusClaims) check(uri string) error {
	if c.IssuedAt == nil || c.StatusList == nil {
		return newFailure(ReasonStatusUnavailable, nil, "the status list lacks iat or status_list")
	}
	// §8.3 step 4.1: "The subject claim (sub) of the Status List Token MUST be equal to the
	// uri claim in the status_list object of the Referenced Token".
	if c.Sub != uri {
		return newFailure(ReasonStatusUnavailable, nil, "the status list sub is not the uri of the reference")
	}
	if c.Expiry != nil && (math.IsNaN(*c.Expiry) || math.Abs(*c.Expiry) > 1<<53) {
		return newFailure(ReasonStatusUnavailable, nil, "the status list exp is not a NumericDate")
	}
	return nil
}
