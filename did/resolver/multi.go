// Package resolver combines the DID method resolvers behind one did.Resolver with a cache
// of successful resolutions.
package resolver

import (
	"context"
	"crypto"
	"time"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/did/jwk"
	"github.com/sociaaldomein/bewijs/did/key"
	"github.com/sociaaldomein/bewijs/did/web"
)

// Multi dispatches on the DID method and caches successful resolutions.
type Multi struct {
	methods map[string]did.Resolver
	cache   *cache
}

var _ did.Resolver = (*Multi)(nil)

// StandardMethods returns the methods bewijs supports: did:web (through webResolver, if
// not nil), did:key and did:jwk.
func StandardMethods(webResolver *web.Resolver) map[string]did.Resolver {
	methods := map[string]did.Resolver{
		key.MethodName: key.Resolver{},
		jwk.MethodName: jwk.Resolver{},
	}
	if webResolver != nil {
		methods[web.MethodName] = webResolver
	}
	return methods
}

// New returns a Multi for methods, keyed by method name ("web", "key", "jwk").
func New(cfg Config, methods map[string]did.Resolver) (*Multi, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	m := &Multi{methods: make(map[string]did.Resolver, len(methods)), cache: newCache(cfg.CacheTTL, cfg.CacheSize, now)}
	for name, r := range methods {
		m.methods[name] = r
	}
	return m, nil
}

// Resolve resolves a DID (not a DID URL). Unknown methods give UnsupportedMethod; only
// successful resolutions are cached.
func (m *Multi) Resolve(ctx context.Context, id string) (did.Document, error) {
	method, _, err := did.ParseDID(id)
	if err != nil {
		return did.Document{}, err
	}
	r, ok := m.methods[method]
	if !ok {
		return did.Document{}, did.Errorf(did.UnsupportedMethod, id, "DID method %q is not supported", method)
	}
	if doc, ok := m.cache.get(id); ok {
		return doc, nil
	}
	doc, err := r.Resolve(ctx, id)
	if err != nil {
		return did.Document{}, err
	}
	// DID Core §7.1 (DID resolution): the resolved document's id must be the DID that was
	// resolved. Methods check this already; checking again keeps a faulty one from
	// poisoning the cache.
	if doc.ID != id {
		return did.Document{}, did.Errorf(did.InvalidDocument, id, "document id does not match the DID")
	}
	m.cache.put(id, doc)
	return doc, nil
}

// ResolveKey resolves the DID of didURL and returns the key it references, which must be
// usable for rel.
func (m *Multi) ResolveKey(ctx context.Context, didURL string, rel did.Relationship) (crypto.PublicKey, error) {
	return ResolveKey(ctx, m, didURL, rel)
}

// ResolveKey resolves the DID of didURL ("did:web:example.com#key-1") with r and returns the
// referenced key, which must be usable for rel.
func ResolveKey(ctx context.Context, r did.Resolver, didURL string, rel did.Relationship) (crypto.PublicKey, error) {
	id, fragment, err := did.ParseDIDURL(didURL)
	if err != nil {
		return nil, err
	}
	if fragment == "" {
		return nil, did.Errorf(did.KeyNotFound, id, "DID URL has no fragment")
	}
	doc, err := r.Resolve(ctx, id)
	if err != nil {
		return nil, err
	}
	return doc.Key(didURL, rel)
}
