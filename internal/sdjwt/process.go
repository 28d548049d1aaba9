package sdjwt

import (
	"strconv"
)

// Claim names with a meaning in SD-JWT itself (RFC 9901 §4.1 rule 7, §4.1.1).
const (
	sdKey    = "_sd"
	sdAlgKey = "_sd_alg"
	ellipsis = "..."
)

const (
	noParent  = -1 // a disclosure whose digest is in the Issuer-signed JWT payload itself
	rootLevel = 0  // the nesting level of the payload object
)

// processor replaces embedded digests by the claims of their Disclosures, following
// RFC 9901 §7.1 step 3, and remembers where each Disclosure was found.
type processor struct {
	disclosures []Disclosure
	byDigest    map[string]int // digest -> index in disclosures
	seen        map[string]bool
	used        []bool
	paths       [][]string // claim path of each used disclosure; nil unless tracking
	parents     []int      // index of the disclosure that embeds it, or noParent
	tracking    bool       // whether to build claim paths (Present needs them, Verify not)
}

// processed is the outcome of processing: the Processed SD-JWT Payload and, per
// disclosure (same index as the input), its claim path and enclosing disclosure.
type processed struct {
	claims  map[string]any
	paths   [][]string
	parents []int
}

// process runs RFC 9901 §7.1 steps 3 to 5 over an (already decoded) Issuer-signed JWT
// payload and the disclosures. It does not modify payload. The paths of the result are
// nil: processWithPaths records them.
func process(payload map[string]any, ds []Disclosure) (processed, error) {
	return newProcessor(ds, false).run(payload)
}

// processWithPaths is process that also records the claim path of each disclosure.
func processWithPaths(payload map[string]any, ds []Disclosure) (processed, error) {
	return newProcessor(ds, true).run(payload)
}

func newProcessor(ds []Disclosure, tracking bool) *processor {
	p := &processor{
		disclosures: ds,
		byDigest:    make(map[string]int, len(ds)),
		seen:        make(map[string]bool, 2*len(ds)+8),
		used:        make([]bool, len(ds)),
		parents:     make([]int, len(ds)),
		tracking:    tracking,
	}
	if tracking {
		p.paths = make([][]string, len(ds))
	}
	return p
}

func (p *processor) run(payload map[string]any) (processed, error) {
	for i, d := range p.disclosures {
		// RFC 9901 §4: "A Holder MUST NOT send a Disclosure ... more than once."
		if _, dup := p.byDigest[d.Digest]; dup {
			return processed{}, newError(CodeDigest, "disclosure %s is presented more than once", d.Digest)
		}
		p.byDigest[d.Digest] = i
	}
	claims, err := p.object(payload, nil, noParent, rootLevel)
	if err != nil {
		return processed{}, err
	}
	// RFC 9901 §7.1 step 5: "If any Disclosure was not referenced by digest value in the
	// Issuer-signed JWT (directly or recursively via other Disclosures), the SD-JWT MUST
	// be rejected."
	for i, ok := range p.used {
		if !ok {
			return processed{}, newError(CodeDigest, "disclosure %s is not referenced", p.disclosures[i].Digest)
		}
	}
	return processed{claims: claims, paths: p.paths, parents: p.parents}, nil
}

// object processes one JSON object: its plain members first, then the digests in _sd.
func (p *processor) object(obj map[string]any, path []string, parent, level int) (map[string]any, error) {
	out := make(map[string]any, len(obj))
	for k, v := range obj {
		// RFC 9901 §7.1 step 3.5 removes _sd keys; step 3.6 removes _sd_alg from the top.
		if k == sdKey || (k == sdAlgKey && level == rootLevel) {
			continue
		}
		val, err := p.value(v, p.child(path, k), parent, level+1)
		if err != nil {
			return nil, err
		}
		out[k] = val
	}
	sd, ok := obj[sdKey]
	if !ok {
		return out, nil
	}
	// RFC 9901 §4.2.4.1: "The _sd key MUST refer to an array of strings".
	digests, ok := stringArray(sd)
	if !ok {
		return nil, newError(CodeMalformed, "_sd is not an array of strings")
	}
	for _, dg := range digests {
		if err := p.objectDigest(out, dg, path, parent, level); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// objectDigest inserts the claim of the Disclosure with digest dg into out, if any.
func (p *processor) objectDigest(out map[string]any, dg string, path []string, parent, level int) error {
	// RFC 9901 §7.1 step 3.3.1: without a matching Disclosure "the digest MUST be ignored"
	// (a decoy, or a claim the Holder withheld).
	i, ok, err := p.lookup(dg)
	if err != nil || !ok {
		return err
	}
	d := p.disclosures[i]
	// RFC 9901 §7.1 step 3.3.2.1: "If the contents of the respective Disclosure is not a
	// JSON array of three elements (salt, claim name, claim value), the SD-JWT MUST be rejected."
	if d.Name == "" {
		return newError(CodeMalformed, "disclosure %s in _sd is an array element disclosure", d.Digest)
	}
	// RFC 9901 §7.1 step 3.3.2.2: "If the claim name is _sd or ..., the SD-JWT MUST be rejected."
	if d.Name == sdKey || d.Name == ellipsis {
		return newError(CodeMalformed, "disclosure %s discloses the reserved name %q", d.Digest, d.Name)
	}
	// RFC 9901 §7.1 step 3.3.2.3: "If the claim name already exists at the level of the
	// _sd key, the SD-JWT MUST be rejected."
	if _, exists := out[d.Name]; exists || (d.Name == sdAlgKey && level == rootLevel) {
		return newError(CodeMalformed, "disclosure %s overwrites claim %q", d.Digest, d.Name)
	}
	claimPath := p.child(path, d.Name)
	p.mark(i, claimPath, parent)
	// RFC 9901 §7.1 step 3.3.2.5: "Recursively process the value".
	val, err := p.value(d.Value, claimPath, i, level+1)
	if err != nil {
		return err
	}
	out[d.Name] = val
	return nil
}

// array processes one JSON array: elements {"...": digest} are replaced by the value of
// their Disclosure, or removed when it was not presented (RFC 9901 §7.1 steps 3.3.3, 3.4).
func (p *processor) array(arr []any, path []string, parent, level int) ([]any, error) {
	out := make([]any, 0, len(arr))
	for idx, elem := range arr {
		var elemPath []string
		if p.tracking {
			elemPath = appendPath(path, strconv.Itoa(idx))
		}
		dg, isDigest := arrayDigest(elem)
		if !isDigest {
			val, err := p.value(elem, elemPath, parent, level+1)
			if err != nil {
				return nil, err
			}
			out = append(out, val)
			continue
		}
		i, ok, err := p.lookup(dg)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		d := p.disclosures[i]
		// RFC 9901 §7.1 step 3.3.3.1: "If the contents of the respective Disclosure is not
		// a JSON array of two elements (salt, value), the SD-JWT MUST be rejected."
		if d.Name != "" {
			return nil, newError(CodeMalformed, "disclosure %s in an array is an object property disclosure", d.Digest)
		}
		p.mark(i, elemPath, parent)
		val, err := p.value(d.Value, elemPath, i, level+1)
		if err != nil {
			return nil, err
		}
		out = append(out, val)
	}
	return out, nil
}

func (p *processor) value(v any, path []string, parent, level int) (any, error) {
	switch t := v.(type) {
	case map[string]any:
		return p.object(t, path, parent, level)
	case []any:
		return p.array(t, path, parent, level)
	}
	return v, nil
}

// lookup records that digest dg was embedded and finds its Disclosure. RFC 9901 §7.1
// step 4: "If any digest value is encountered more than once in the Issuer-signed JWT
// payload (directly or recursively via other Disclosures), the SD-JWT MUST be rejected."
func (p *processor) lookup(dg string) (int, bool, error) {
	if p.seen[dg] {
		return 0, false, newError(CodeDigest, "digest %s appears more than once", dg)
	}
	p.seen[dg] = true
	i, ok := p.byDigest[dg]
	return i, ok, nil
}

func (p *processor) mark(i int, path []string, parent int) {
	p.used[i] = true
	if p.tracking {
		p.paths[i] = path
	}
	p.parents[i] = parent
}

// child is the path of member name below path, or nil when not tracking paths.
func (p *processor) child(path []string, name string) []string {
	if !p.tracking {
		return nil
	}
	return appendPath(path, name)
}

// arrayDigest reports whether an array element is a digest placeholder. RFC 9901 §7.1
// step 3.2.2: "array elements that are objects with one key, that key being ... and
// referring to a string".
func arrayDigest(elem any) (string, bool) {
	obj, ok := elem.(map[string]any)
	if !ok || len(obj) != 1 {
		return "", false
	}
	dg, ok := obj[ellipsis].(string)
	return dg, ok
}

func stringArray(v any) ([]string, bool) {
	arr, ok := v.([]any)
	if !ok {
		return nil, false
	}
	out := make([]string, len(arr))
	for i, e := range arr {
		if out[i], ok = e.(string); !ok {
			return nil, false
		}
	}
	return out, true
}

// appendPath returns a new slice, so that paths recorded for siblings never share storage.
func appendPath(path []string, name string) []string {
	out := make([]string, len(path)+1)
	copy(out, path)
	out[len(path)] = name
	return out
}
