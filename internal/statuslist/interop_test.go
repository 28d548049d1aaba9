package statuslist_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/internal/jose"
	"github.com/sociaaldomein/bewijs/internal/statuslist"
)

const peers = "../../testdata/peers"

type peerResult struct {
	Len      int                 `json:"len"`
	Bits     int                 `json:"bits"`
	Statuses []statuslist.Status `json:"statuses"`
	Claims   map[string]any      `json:"claims"`
	Typ      string              `json:"typ"`
}

// runPeer runs a node script of testdata/peers and returns its stdout. A missing peer is a
// failure, not a skip: the interop checks are the point of these tests.
func runPeer(t *testing.T, script string, args ...string) string {
	t.Helper()
	requirePeers(t)
	cmd := exec.Command("node", append([]string{filepath.Join(peers, script)}, args...)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node %s: %v: %s", script, err, stderr.String())
	}
	return strings.TrimSpace(string(out))
}

func requirePeers(t *testing.T) {
	t.Helper()
	for _, dep := range []string{"@sd-jwt/jwt-status-list", "jose"} {
		if _, err := os.Stat(filepath.Join(peers, "node_modules", dep, "package.json")); err != nil {
			t.Fatalf("npm test peer %s is missing (%v): run `make test` (or `make peers`) first", dep, err)
		}
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Fatalf("node is not installed: %v (run `make test` on a machine with Node.js)", err)
	}
}

func decodePeer(t *testing.T, out string) peerResult {
	t.Helper()
	var r peerResult
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("peer output %q: %v", out, err)
	}
	return r
}

// randomList is a list of the product's shape (2 bits, 2^17 entries) with some entries set,
// returning the indexes to probe: every set entry plus some VALID ones.
func randomList(t *testing.T) (*statuslist.List, []int) {
	t.Helper()
	l, err := statuslist.New(2, 1<<17)
	if err != nil {
		t.Fatal(err)
	}
	probe := []int{0, 1, 3, 4, l.Len() - 1}
	_ = l.Set(1, statuslist.Invalid)
	_ = l.Set(3, statuslist.Suspended)
	_ = l.Set(l.Len()-1, 3)
	for i := 0; i < 200; i++ {
		n, _ := rand.Int(rand.Reader, big.NewInt(int64(l.Len())))
		idx := int(n.Int64())
		_ = l.Set(idx, statuslist.Status(1+i%2))
		probe = append(probe, idx, (idx+1)%l.Len())
	}
	return l, probe
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ",")
}

func assertPeerStatuses(t *testing.T, l *statuslist.List, probe []int, r peerResult) {
	t.Helper()
	if r.Len != l.Len() || r.Bits != l.Bits() || len(r.Statuses) != len(probe) {
		t.Fatalf("peer read %d entries of %d bits (%d statuses); want %d of %d", r.Len, r.Bits, len(r.Statuses), l.Len(), l.Bits())
	}
	for i, idx := range probe {
		if want, _ := l.Get(idx); r.Statuses[i] != want {
			t.Fatalf("peer says status[%d] = %d, want %d", idx, r.Statuses[i], want)
		}
	}
}

func TestInteropPeerDecodesOurLst(t *testing.T) {
	l, probe := randomList(t)
	lst, err := l.Encode()
	if err != nil {
		t.Fatal(err)
	}

	out := runPeer(t, "statuslist-decode.mjs", "lst", "2", lst, joinInts(probe))

	assertPeerStatuses(t, l, probe, decodePeer(t, out))
}

func TestInteropPeerVerifiesOurToken(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	l, probe := randomList(t)
	uri := "https://bewijs.example/t/gemeente-utrecht/statuslists/5f0c"
	iat := time.Now().Truncate(time.Second)
	claims, err := statuslist.TokenClaims(uri, l, iat, iat.Add(24*time.Hour), 15*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	payload, _ := json.Marshal(claims)
	jwt, err := jose.Sign(payload, jose.Signer{KeyID: "k1", Key: key}, map[string]any{"typ": statuslist.TokenType})
	if err != nil {
		t.Fatal(err)
	}
	jwk, err := did.PublicJWK(key.Public())
	if err != nil {
		t.Fatal(err)
	}

	r := decodePeer(t, runPeer(t, "statuslist-decode.mjs", "jwt", string(jwk), jwt, joinInts(probe)))

	assertPeerStatuses(t, l, probe, r)
	if r.Typ != statuslist.TokenType || r.Claims["sub"] != uri || r.Claims["ttl"] != float64(900) ||
		r.Claims["exp"] != float64(iat.Add(24*time.Hour).Unix()) {
		t.Fatalf("peer read typ %q claims %v", r.Typ, r.Claims)
	}
}

func TestInteropPeerRefusesTamperedToken(t *testing.T) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	claims, err := statuslist.TokenClaims("https://bewijs.example/sl/1", exampleList(t, 1), time.Now(), time.Now().Add(time.Hour), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	payload, _ := json.Marshal(claims)
	jwt, _ := jose.Sign(payload, jose.Signer{Key: key}, map[string]any{"typ": statuslist.TokenType})
	wrongTyp, _ := jose.Sign(payload, jose.Signer{Key: key}, map[string]any{"typ": "JWT"})
	jwk, _ := did.PublicJWK(key.Public())
	otherJWK, _ := did.PublicJWK(other.Public())
	for name, args := range map[string][]string{
		"error - wrong key": {string(otherJWK), jwt},
		"error - wrong typ": {string(jwk), wrongTyp},
	} {
		t.Run(name, func(t *testing.T) {
			requirePeers(t)
			cmd := exec.Command("node", filepath.Join(peers, "statuslist-decode.mjs"), "jwt", args[0], args[1], "0")
			if out, err := cmd.CombinedOutput(); err == nil {
				t.Fatalf("peer accepted the token: %s", out)
			}
		})
	}
}

// The other direction: the npm library compresses (pako), we decode.
func TestInteropWeDecodePeerLst(t *testing.T) {
	sets := map[int]statuslist.Status{0: 1, 5: 2, 17: 3, 4095: 1, 1000: 2}
	var pairs []string
	for idx, s := range sets {
		pairs = append(pairs, fmt.Sprintf("%d=%d", idx, s))
	}

	lst := runPeer(t, "statuslist-encode.mjs", "2", "4096", strings.Join(pairs, ","))

	l, err := statuslist.Decode(lst, 2, 0)
	if err != nil {
		t.Fatal(err)
	}
	if l.Len() != 4096 {
		t.Fatalf("Len() = %d, want 4096", l.Len())
	}
	for i := 0; i < l.Len(); i++ {
		if got, _ := l.Get(i); got != sets[i] {
			t.Fatalf("status[%d] = %d, want %d", i, got, sets[i])
		}
	}
}
