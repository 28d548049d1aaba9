package sdjwt

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"io"
	"slices"
	"strings"

	"github.com/sociaaldomein/bewijs/internal/jose"
)

// IssueOptions says how Issue signs and which claims it makes selectively disclosable.
type IssueOptions struct {
	Signer jose.Signer    // signs the issuer-signed JWT (alg from the key)
	Header map[string]any // extra protected headers, e.g. {"typ":"dc+sd-jwt","x5c":[...]} (alg/kid come from Signer)
	// Disclosable reports whether the object member at path (e.g. ["client","bsn"]) is selectively disclosable.
	// Paths address object members only (our credentials use no arrays for SD). nil: nothing is.
	Disclosable func(path []string) bool
	// Decoys is the number of decoy digests added to every _sd array that is created (RFC 9901 §4.2.5); 0 = none.
	Decoys int
	Rand   io.Reader // nil: crypto/rand. Salts are 128 bits, base64url.
}

// Issued is an SD-JWT as issued: "<issuer-jwt>~<d1>~...~<dn>~" (no KB-JWT).
type Issued struct {
	Compact     string
	Disclosures []Disclosure
}

// plaintextClaims may never be made selectively disclosable, nor any of their sub-claims.
// SD-JWT VC (draft-ietf-oauth-sd-jwt-vc-16) §2.2.2.2: "The following registered JWT claims
// are used within the SD-JWT component of the SD-JWT VC and MUST NOT be included in the
// Disclosures, i.e., cannot be selectively disclosed: iss, nbf, exp, cnf, vct,
// vct#integrity, status" (only sub and iat MAY be). _sd and _sd_alg belong to SD-JWT
// itself (RFC 9901 §4.1, §4.1.1).
var plaintextClaims = []string{"iss", "nbf", "exp", "cnf", "vct", "vct#integrity", "status", sdKey, sdAlgKey}

// maxDecoys bounds IssueOptions.Decoys.
const maxDecoys = 64

// Issue makes an SD-JWT of claims (RFC 9901 §4): every member for which Disclosable
// returns true is replaced by a digest in the _sd array of its object. A disclosable
// object whose own members are disclosable too becomes a recursive disclosure
// (RFC 9901 §4.2.6). "_sd_alg": "sha-256" is set when anything is disclosable.
func Issue(claims map[string]any, opts IssueOptions) (Issued, error) {
	if opts.Signer.Key == nil {
		return Issued{}, newError(CodeMalformed, "no signer")
	}
	if opts.Decoys < 0 || opts.Decoys > maxDecoys {
		return Issued{}, newError(CodeMalformed, "decoys must be between 0 and %d", maxDecoys)
	}
	if err := checkPlaintextClaims(opts.Disclosable); err != nil {
		return Issued{}, err
	}
	payload, err := normalize(claims)
	if err != nil {
		return Issued{}, err
	}
	is := &issuer{opts: opts, rand: opts.Rand}
	if is.rand == nil {
		is.rand = rand.Reader
	}
	packed, err := is.object(payload, nil)
	if err != nil {
		return Issued{}, err
	}
	if len(is.disclosures) > 0 {
		// RFC 9901 §4.1.1: "When used, this claim MUST appear at the top level".
		packed[sdAlgKey] = hashAlg
	}
	return is.sign(packed)
}

// checkPlaintextClaims refuses a Disclosable that would hide a claim listed in
// plaintextClaims, whether or not the claims at hand contain it.
func checkPlaintextClaims(disclosable func([]string) bool) error {
	if disclosable == nil {
		return nil
	}
	for _, name := range plaintextClaims {
		if disclosable([]string{name}) {
			return newError(CodeMalformed, "claim %q must not be selectively disclosable", name)
		}
	}
	return nil
}

// normalize turns claims into plain JSON values (map[string]any, []any, json.Number, ...)
// so that nested Go maps and structs can be walked and numbers keep their exact text.
func normalize(claims map[string]any) (map[string]any, error) {
	if claims == nil {
		claims = map[string]any{}
	}
	raw, err := json.Marshal(claims)
	if err != nil {
		return nil, newError(CodeMalformed, "claims are not JSON: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var out map[string]any
	if err := dec.Decode(&out); err != nil {
		return nil, newError(CodeMalformed, "claims are not a JSON object: %v", err)
	}
	return out, nil
}

// issuer holds the state of one Issue call.
type issuer struct {
	opts        IssueOptions
	rand        io.Reader
	disclosures []Disclosure
}

// object packs one object: disclosable members move into Disclosures, their digests and
// the decoys into a sorted _sd array.
func (is *issuer) object(obj map[string]any, path []string) (map[string]any, error) {
	out := make(map[string]any, len(obj))
	var digests []string
	for _, name := range sortedKeys(obj) {
		memberPath := appendPath(path, name)
		if err := checkMemberName(name, memberPath); err != nil {
			return nil, err
		}
		val := obj[name]
		if sub, ok := val.(map[string]any); ok {
			packed, err := is.object(sub, memberPath)
			if err != nil {
				return nil, err
			}
			val = packed
		}
		hide, err := is.disclosable(memberPath)
		if err != nil {
			return nil, err
		}
		if !hide {
			out[name] = val
			continue
		}
		d, err := is.disclose(name, val)
		if err != nil {
			return nil, err
		}
		digests = append(digests, d.Digest)
	}
	if len(digests) == 0 {
		return out, nil
	}
	sd, err := is.withDecoys(digests)
	if err != nil {
		return nil, err
	}
	out[sdKey] = sd
	return out, nil
}

// checkMemberName refuses claim names that SD-JWT reserves. RFC 9901 §4.1 rule 7: "The
// payload MUST NOT contain the claims _sd or ... except for the purpose of conveying
// digests"; §4.1.1: _sd_alg "MUST NOT be used in any object nested within the payload".
func checkMemberName(name string, path []string) error {
	switch name {
	case sdKey, ellipsis, sdAlgKey:
		return newError(CodeMalformed, "claim %s uses a name reserved by SD-JWT", strings.Join(path, "."))
	case "":
		return newError(CodeMalformed, "claim %s has an empty name", strings.Join(path, "."))
	}
	return nil
}

// disclosable applies IssueOptions.Disclosable, refusing plaintextClaims and their
// sub-claims (a cnf.jwk in a Disclosure would hide the holder key as much as cnf would).
func (is *issuer) disclosable(path []string) (bool, error) {
	if is.opts.Disclosable == nil || !is.opts.Disclosable(slices.Clone(path)) {
		return false, nil
	}
	if slices.Contains(plaintextClaims, path[0]) {
		return false, newError(CodeMalformed, "claim %s must not be selectively disclosable", strings.Join(path, "."))
	}
	return true, nil
}

func (is *issuer) disclose(name string, value any) (Disclosure, error) {
	salt, err := newSalt(is.rand)
	if err != nil {
		return Disclosure{}, err
	}
	d, err := newDisclosure(salt, name, value)
	if err != nil {
		return Disclosure{}, err
	}
	is.disclosures = append(is.disclosures, d)
	return d, nil
}

// withDecoys adds the decoy digests and sorts. RFC 9901 §4.2.4.1: "The Issuer MUST hide
// the original order of the claims in the array. To ensure this, it is RECOMMENDED to
// shuffle the array of hashes, e.g., by sorting it alphanumerically or randomly, after
// potentially adding decoy digests".
func (is *issuer) withDecoys(digests []string) ([]any, error) {
	for range is.opts.Decoys {
		decoy, err := newDecoy(is.rand)
		if err != nil {
			return nil, err
		}
		digests = append(digests, decoy)
	}
	slices.Sort(digests)
	out := make([]any, len(digests))
	for i, d := range digests {
		out[i] = d
	}
	return out, nil
}

// sign signs the packed payload and serializes the SD-JWT (RFC 9901 §4).
func (is *issuer) sign(packed map[string]any) (Issued, error) {
	payload, err := json.Marshal(packed)
	if err != nil {
		return Issued{}, newError(CodeMalformed, "payload: %v", err)
	}
	header := make(map[string]any, len(is.opts.Header))
	for k, v := range is.opts.Header {
		header[k] = v
	}
	delete(header, "alg") // alg always comes from the signer's key
	jwt, err := jose.Sign(payload, is.opts.Signer, header)
	if err != nil {
		return Issued{}, wrapError(CodeSignature, "signing the issuer JWT", err)
	}
	s := &SDJWT{IssuerJWT: jwt, Disclosures: is.disclosures}
	return Issued{Compact: s.presented(), Disclosures: is.disclosures}, nil
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
