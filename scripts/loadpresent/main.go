// Command loadpresent measures OpenID4VP presentations end to end against a running bewijs.
// It receives one Wmo credential at start (the gemeente creates a beschikking, the wallet
// library redeems the offer), then runs two phases with C concurrent wallets:
//
//   - flow: N times the whole flow: the aanbieder creates a presentation request (admin
//     API), the wallet fetches the request object, builds the SD-JWT presentation with a
//     KB-JWT (aud = client_id, nonce of the request) and posts it to the response_uri
//     (direct_post), expecting 200;
//   - responses: N presentations prepared in chunks (create, fetch, present), then only
//     their response POSTs are sent, so that the server's CPU time per verified response
//     (verification and its database write) can be read from /proc.
//
// It prints throughput and p50/p99 latency per step and phase and, given the raw bound of
// BenchmarkRawBound (-bound-ns), the ratio per core. Traffic goes only to the URL given
// (use a loopback address). The request object's signature is not checked: that is the
// wallet's cost, not the server's.
//
//	go run ./scripts/loadpresent -url http://127.0.0.1:8080 -api-key bwk_… -issuer-api-key bwk_… -n 2000 -c 8
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"
)

// config is the command line.
type config struct {
	base, apiKey, issuerKey, fixture, query string
	n, c, chunk                             int
	maxDuration                             time.Duration
	phases                                  string
	boundNs                                 float64 // ns/op of BenchmarkRawBound, 0: unknown
	boundName                               string
	boundCmd                                string
	serverPID, serverCPUs, clkTck           int
	dbComm                                  string
	profileURL, profileOut, profilePhase    string
	profileSeconds                          int
}

func main() {
	var cfg config
	flag.StringVar(&cfg.base, "url", "http://127.0.0.1:8080", "public URL of the running bewijs")
	flag.StringVar(&cfg.apiKey, "api-key", os.Getenv("BEWIJS_API_KEY"), "API key of the verifying aanbieder (thuiszorg-de-linde)")
	flag.StringVar(&cfg.issuerKey, "issuer-api-key", os.Getenv("BEWIJS_ISSUER_API_KEY"), "API key of the issuing gemeente (gemeente-amsterdam)")
	flag.StringVar(&cfg.fixture, "fixture", "01-wmo-hbh-minuten-per-week.json", "toewijzing fixture of the credential")
	flag.StringVar(&cfg.query, "query", "zorgstart", "named DCQL query of the presentation requests")
	flag.IntVar(&cfg.n, "n", 2000, "presentations per phase")
	flag.IntVar(&cfg.c, "c", 8, "concurrent wallets")
	flag.IntVar(&cfg.chunk, "chunk", 1000, "responses phase: presentations prepared before their responses are sent; 0: all (KB-JWTs must stay younger than 5 minutes). A wallet answers seconds after fetching the request object, while the replica that served it still holds the request (up to 4096); a chunk above that measures a database read per response as well")
	flag.StringVar(&cfg.phases, "phases", "flow,responses", "phases to run, comma separated: flow, responses")
	flag.DurationVar(&cfg.maxDuration, "max", 10*time.Minute, "stop after this long")
	flag.Float64Var(&cfg.boundNs, "bound-ns", 0, "ns/op of BenchmarkRawBound measured in the same run (for the per-core ratio)")
	flag.StringVar(&cfg.boundName, "bound-name", "BenchmarkRawBound", "the benchmark -bound-ns comes from")
	flag.StringVar(&cfg.boundCmd, "bound-cmd", "", "responses phase: shell command printing the raw bound in ns/op, run on the server's core just before and just after each chunk's responses, so that each chunk is set beside a bound measured around it (this machine's speed drifts by 10 % within minutes)")
	flag.IntVar(&cfg.serverPID, "server-pid", 0, "pid of the bewijs server, to read its CPU time from /proc (Linux)")
	flag.IntVar(&cfg.serverCPUs, "server-cpus", 0, "CPUs the server may use (its taskset), for throughput per allotted core")
	flag.StringVar(&cfg.dbComm, "db-comm", "", "process name of the database on this machine (postgres), to report its CPU time per response beside the server's")
	flag.IntVar(&cfg.clkTck, "clk-tck", 100, "clock ticks per second of /proc/<pid>/stat (getconf CLK_TCK)")
	flag.StringVar(&cfg.profileURL, "profile", "", "pprof CPU profile URL of the server (http://<debug-addr>/debug/pprof/profile)")
	flag.StringVar(&cfg.profileOut, "profile-out", "", "file to write the CPU profile to")
	flag.StringVar(&cfg.profilePhase, "profile-phase", "responses", "phase to profile: flow or responses")
	flag.IntVar(&cfg.profileSeconds, "profile-seconds", 10, "length of the CPU profile")
	flag.Parse()
	if err := run(cfg); err != nil {
		fmt.Fprintln(os.Stderr, "loadpresent:", err)
		os.Exit(1)
	}
}

func run(cfg config) error {
	if cfg.apiKey == "" || cfg.issuerKey == "" {
		return errors.New("-api-key and -issuer-api-key are required")
	}
	ctx, cancel := context.WithTimeout(context.Background(), cfg.maxDuration)
	defer cancel()
	w, err := newWallet(ctx, cfg)
	if err != nil {
		return err
	}
	fmt.Printf("credential %s from %s, %d disclosures; %d wallets, query %s, direct_post\n",
		w.cred.VCT, w.cred.Issuer, w.disclosures(), cfg.c, cfg.query)
	var phases []phaseResult
	for _, name := range splitList(cfg.phases) {
		prof := newProfiler(cfg, name)
		var res phaseResult
		switch name {
		case "flow":
			res, err = runFlows(ctx, w, cfg, prof)
		case "responses":
			res, err = runResponses(ctx, w, cfg, prof)
		default:
			err = fmt.Errorf("unknown phase %q", name)
		}
		if err != nil {
			return err
		}
		res.print()
		if perr := prof.wait(); perr != nil {
			fmt.Fprintln(os.Stderr, "loadpresent: profile:", perr)
		}
		phases = append(phases, res)
	}
	printBound(cfg, phases)
	return nil
}
