// Command loadissue measures issuance end to end against a running bewijs: it offers N
// credentials through the admin API, then C concurrent wallets redeem the offers (token with
// DPoP, nonce, batch proofs, credential, verification, notification) and it prints
// credentials/s with p50/p99 latency per offer, beside the raw ES256 signing rate measured
// in the same run. Traffic goes only to the URL given (use a loopback address).
//
//	go run ./scripts/loadissue -url http://127.0.0.1:8080 -api-key bwk_… -n 2000 -c 16 -batch 10
//
// With -rate R it runs an open loop instead: offers start at R/batch per second (up to C at a
// time). With -then-share 0.7 it runs the closed loop first and then an open loop at 70% of
// the rate that reached: the "p99 at 70% of peak".
package main

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path"
	"runtime/pprof"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sociaaldomein/bewijs/did/resolver"
	"github.com/sociaaldomein/bewijs/did/web"
	"github.com/sociaaldomein/bewijs/internal/fixtures"
	"github.com/sociaaldomein/bewijs/wallet"
)

func main() {
	var cfg config
	flag.StringVar(&cfg.base, "url", "http://127.0.0.1:8080", "public URL of the running bewijs")
	flag.StringVar(&cfg.apiKey, "api-key", os.Getenv("BEWIJS_API_KEY"), "API key of the issuing gemeente")
	flag.StringVar(&cfg.fixture, "fixture", "01-wmo-hbh-minuten-per-week.json", "toewijzing fixture to offer")
	flag.IntVar(&cfg.n, "n", 1000, "credentials to issue (per phase)")
	flag.IntVar(&cfg.c, "c", 8, "concurrent wallets")
	flag.IntVar(&cfg.batch, "batch", 10, "credentials per credential request (batch issuance)")
	flag.Float64Var(&cfg.rate, "rate", 0, "open loop: start offers so that this many credentials/s are asked for (0: closed loop, each wallet as fast as it can)")
	flag.Float64Var(&cfg.share, "then-share", 0, "after the closed loop, run an open loop at this share of the rate it reached (e.g. 0.7), with -open-c wallets at most")
	flag.IntVar(&cfg.openC, "open-c", 64, "wallets at most in the open loop")
	maxDuration := flag.Duration("max", 5*time.Minute, "stop after this long")
	cpuProfile := flag.String("cpuprofile", "", "write the load generator's own CPU profile to this file")
	flag.Parse()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "loadissue:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	ctx, cancel := context.WithTimeout(context.Background(), *maxDuration)
	defer cancel()
	if err := run(ctx, cfg); err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "loadissue:", err)
		os.Exit(1)
	}
}

type config struct {
	base, apiKey, fixture string
	n, c, batch, openC    int
	rate, share           float64
}

func run(ctx context.Context, cfg config) error {
	client, err := newWallet(max(cfg.c, cfg.openC))
	if err != nil {
		return err
	}
	reached, err := phase(ctx, client, cfg, cfg.c, cfg.rate)
	if err != nil || cfg.share <= 0 || cfg.rate > 0 {
		return err
	}
	fmt.Println()
	_, err = phase(ctx, client, cfg, cfg.openC, cfg.share*reached)
	return err
}

// phase offers n credentials, lets up to c wallets redeem them (closed loop when rate is 0,
// else open loop at rate credentials/s), prints the figures and returns credentials/s.
func phase(ctx context.Context, client *wallet.Client, cfg config, c int, rate float64) (float64, error) {
	offers := (cfg.n + cfg.batch - 1) / cfg.batch
	links, err := createOffers(ctx, cfg.base, cfg.apiKey, cfg.fixture, offers)
	if err != nil {
		return 0, err
	}
	timer.reset()
	var issued atomic.Int64
	latencies := make([]time.Duration, 0, offers)
	var mu sync.Mutex
	// An offer's latency counts from when it was due, so a server that falls behind in the open
	// loop shows it in the latency (no coordinated omission).
	type job struct {
		link string
		due  time.Time
	}
	work := make(chan job)
	var wg sync.WaitGroup
	start := time.Now()
	for range c {
		wg.Go(func() {
			for j := range work {
				creds, _, err := client.Receive(ctx, j.link, wallet.ReceiveOptions{Batch: cfg.batch})
				if err != nil {
					fmt.Fprintln(os.Stderr, "receive:", err)
					continue
				}
				issued.Add(int64(len(creds)))
				mu.Lock()
				latencies = append(latencies, time.Since(j.due))
				mu.Unlock()
			}
		})
	}
	for k, l := range links {
		if ctx.Err() != nil {
			break
		}
		due := time.Now()
		if rate > 0 {
			due = start.Add(time.Duration(float64(k*cfg.batch) / rate * float64(time.Second)))
			time.Sleep(time.Until(due))
		}
		work <- job{l, due}
	}
	close(work)
	wg.Wait()
	elapsed := time.Since(start)
	if rate > 0 {
		fmt.Printf("open loop at %.0f credentials/s asked for\n", rate)
	} else {
		fmt.Println("closed loop")
	}
	report(issued.Load(), len(latencies), elapsed, latencies, c, cfg.batch)
	timer.report()
	return float64(issued.Load()) / elapsed.Seconds(), nil
}

// timing records the latency of every request by endpoint, as the wallet saw it.
type timing struct {
	next http.RoundTripper
	mu   sync.Mutex
	byEP map[string][]time.Duration
}

func (t *timing) RoundTrip(r *http.Request) (*http.Response, error) {
	t0 := time.Now()
	res, err := t.next.RoundTrip(r)
	ep := r.Method + " " + path.Base(r.URL.Path)
	t.mu.Lock()
	t.byEP[ep] = append(t.byEP[ep], time.Since(t0))
	t.mu.Unlock()
	return res, err
}

func (t *timing) reset() {
	t.mu.Lock()
	t.byEP = map[string][]time.Duration{}
	t.mu.Unlock()
}

func (t *timing) report() {
	for _, ep := range []string{"POST token", "POST nonce", "POST credential"} {
		lat := t.byEP[ep]
		slices.Sort(lat)
		if len(lat) == 0 {
			continue
		}
		fmt.Printf("%-16s n=%-6d p50 %-8s p99 %s\n", ep, len(lat), lat[len(lat)/2].Round(100*time.Microsecond), lat[min(len(lat)-1, len(lat)*99/100)].Round(100*time.Microsecond))
	}
}

var timer = &timing{byEP: map[string][]time.Duration{}}

func report(credentials int64, flows int, elapsed time.Duration, lat []time.Duration, c, batch int) {
	slices.Sort(lat)
	pct := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(float64(len(lat))*p))]
	}
	fmt.Printf("wallets %d, batch %d: %d credentials in %d offers in %s\n", c, batch, credentials, flows, elapsed.Round(time.Millisecond))
	fmt.Printf("credentials/s %.0f   offers/s %.1f   offer latency p50 %s p99 %s\n",
		float64(credentials)/elapsed.Seconds(), float64(flows)/elapsed.Seconds(), pct(0.50).Round(100*time.Microsecond), pct(0.99).Round(100*time.Microsecond))
	fmt.Printf("raw ES256 signatures/s on this machine (one core): %.0f\n", es256Rate())
}

// es256Rate measures raw ES256 signing for one second.
func es256Rate() float64 {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	digest := sha256.Sum256([]byte("payload"))
	n, start := 0, time.Now()
	for time.Since(start) < time.Second {
		_, _ = key.Sign(rand.Reader, digest[:], crypto.SHA256)
		n++
	}
	return float64(n) / time.Since(start).Seconds()
}

func createOffers(ctx context.Context, base, apiKey, fixture string, count int) ([]string, error) {
	doc, err := fixtures.Toewijzing(fixture)
	if err != nil {
		return nil, err
	}
	links := make([]string, 0, count)
	for range count {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/beschikkingen", bytes.NewReader(doc))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Authorization", "Bearer "+apiKey)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, err
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusCreated {
			return nil, fmt.Errorf("create beschikking: %d %s", res.StatusCode, body)
		}
		var created struct {
			OfferLink string `json:"offer_link"`
		}
		if err := json.Unmarshal(body, &created); err != nil {
			return nil, err
		}
		links = append(links, created.OfferLink)
	}
	return links, nil
}

func newWallet(conns int) (*wallet.Client, error) {
	cfg := web.DefaultConfig()
	cfg.InsecureLocalhost = true
	w, err := web.NewResolver(cfg)
	if err != nil {
		return nil, err
	}
	r, err := resolver.New(resolver.DefaultConfig(), resolver.StandardMethods(w))
	if err != nil {
		return nil, err
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = conns * 2
	timer.next = tr
	return &wallet.Client{Resolver: r, HTTP: &http.Client{Transport: timer, Timeout: 30 * time.Second}}, nil
}
