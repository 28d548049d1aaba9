package verifier

import (
	"context"
	"crypto"
	"time"

	"github.com/sociaaldomein/bewijs/did"
)

// issuerKey is a key resolved from a DID URL, with the DID it belongs to.
type issuerKey struct {
	did string
	key crypto.PublicKey
}

// issuerKeyFor returns the key the DID URL kid names, from the issuer's DID document.
//
// SD-JWT VC draft -16 §2.5: "A recipient MUST determine and validate the public
// verification key for the Issuer-signed JWT using a supported key discovery and
// validation mechanism that is permitted for the given Issuer according to policy."
// bewijs' policy: the kid is a DID URL, the key is in the DID document under
// assertionMethod (DID Core §5.3.2), and iss must be that DID (checked by the caller).
// "If a recipient cannot validate that the public verification key corresponds to the
// Issuer ... the SD-JWT VC MUST be rejected."
//
// Keys are cached per kid for issuerKeyTTL on top of the resolver's own cache: parsing the
// key again for every presentation is the most expensive step after the signatures.
func (v *Verifier) issuerKeyFor(ctx context.Context, kid string, now time.Time) (issuerKey, error) {
	if k, ok := v.keys.get(kid, now); ok {
		return k, nil
	}
	id, fragment, err := did.ParseDIDURL(kid)
	if err != nil || fragment == "" {
		return issuerKey{}, newFailure(ReasonIssuerUnresolvable, err, "the kid of the credential is not a DID URL naming a key")
	}
	if v.resolver == nil {
		return issuerKey{}, newFailure(ReasonIssuerUnresolvable, nil, "no DID resolver is configured")
	}
	doc, err := v.resolver.Resolve(ctx, id)
	if err != nil {
		return issuerKey{}, newFailure(ReasonIssuerUnresolvable, err, "the issuer DID could not be resolved (%s)", kindName(err))
	}
	pub, err := doc.Key(kid, did.AssertionMethod)
	if err != nil {
		return issuerKey{}, newFailure(ReasonIssuerUnresolvable, err, "the issuer DID document has no assertionMethod key with the kid of the credential")
	}
	k := issuerKey{did: id, key: pub}
	v.keys.put(kid, k, now.Add(issuerKeyTTL), now)
	return k, nil
}

// kindName names the kind of a did error for a Detail; the DID itself is left out.
func kindName(err error) string {
	if k := did.KindOf(err); k != 0 {
		return k.String()
	}
	return "error"
}
