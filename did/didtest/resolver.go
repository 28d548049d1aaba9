package didtest

import (
	"testing"

	"github.com/sociaaldomein/bewijs/did/resolver"
	"github.com/sociaaldomein/bewijs/did/web"
)

// LocalResolver resolves did:web with http and loopback hosts allowed (test servers on
// 127.0.0.1), did:key and did:jwk, under cfg.
func LocalResolver(t testing.TB, cfg resolver.Config) *resolver.Multi {
	t.Helper()
	webCfg := web.DefaultConfig()
	webCfg.InsecureLocalhost = true
	webResolver, err := web.NewResolver(webCfg)
	if err != nil {
		t.Fatal(err)
	}
	m, err := resolver.New(cfg, resolver.StandardMethods(webResolver))
	if err != nil {
		t.Fatal(err)
	}
	return m
}
