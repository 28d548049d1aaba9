package verifier

import (
	"context"
	"strings"
	"testing"
)

// FuzzVerifyPresentation feeds arbitrary presentations to the whole pipeline: it must not
// panic, and every refusal must be a *Failure with a Reason.
func FuzzVerifyPresentation(f *testing.F) {
	e := newEnv(f)
	// did:web would reach the network for whatever host the fuzzer writes into a kid.
	e.verifier = New(newOfflineResolver(f), e.status, e.trust)
	good := standard(f, e, credential{})
	f.Add(good)
	f.Add(sdPart(good))
	f.Add(present(f, e.issuer.issue(f, e.holder, credential{}), e.holder, only("client.bsn")))
	f.Add(strings.Replace(good, "~", "~~", 1))
	f.Add(strings.Join(strings.Split(good, "~")[:3], "~"))
	f.Add("eyJhbGciOiJFUzI1NiJ9.e30.c2ln~")
	f.Add("~~~")
	f.Add("")
	f.Fuzz(func(t *testing.T, p string) {
		cred, err := e.verifier.VerifyPresentation(context.Background(), p, testOptions())
		if err != nil {
			if ReasonOf(err) == "" {
				t.Fatalf("error without a Reason: %v", err)
			}
			return
		}
		if cred.Issuer != e.issuer.did || cred.Status != StatusValid {
			t.Fatalf("accepted %+v", cred)
		}
	})
}
