package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// maxErrors stops a phase: a load test that fails this often measures nothing.
const maxErrors = 10

// timings records latencies by step; it is safe for concurrent use.
type timings struct {
	mu     sync.Mutex
	byStep map[string][]time.Duration
}

func newTimings() *timings { return &timings{byStep: map[string][]time.Duration{}} }

func (t *timings) add(step string, d time.Duration) {
	t.mu.Lock()
	t.byStep[step] = append(t.byStep[step], d)
	t.mu.Unlock()
}

// phaseResult is what one phase measured. wall and cpu cover only the timed part (in the
// responses phase: the response POSTs, not the preparation).
type phaseResult struct {
	name      string
	ok        int
	errors    int64
	wall      time.Duration
	serverCPU time.Duration // -1: unknown
	ownCPU    time.Duration // the load generator's, -1: unknown
	dbCPU     time.Duration // the database's processes', -1: unknown
	t         *timings
	c         int
	// chunks: the responses phase's chunks, each with the bound measured just before it.
	chunks []chunkResult
}

// chunkResult is one chunk of the responses phase beside its own bound: the mean of a
// sample just before the chunk and one just after it.
type chunkResult struct {
	ok                      int
	serverCPU               time.Duration
	boundNs                 float64
	boundBefore, boundAfter float64
}

// pool runs do(i) for i in [0, n) on c goroutines and counts errors; it stops early after
// maxErrors.
func pool(ctx context.Context, n, c int, do func(ctx context.Context, i int) error) int64 {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var errs atomic.Int64
	var next atomic.Int64
	var wg sync.WaitGroup
	for range c {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				if err := do(ctx, i); err != nil {
					if ctx.Err() != nil {
						return
					}
					if errs.Add(1) <= 3 {
						fmt.Fprintln(os.Stderr, "loadpresent:", err)
					}
					if errs.Load() >= maxErrors {
						cancel()
					}
				}
			}
		})
	}
	wg.Wait()
	return errs.Load()
}

// runFlows is the flow phase: n whole flows.
func runFlows(ctx context.Context, w *loadWallet, cfg config, prof *profiler) (phaseResult, error) {
	res := phaseResult{name: "flow", t: newTimings(), c: cfg.c}
	cpu := startCPU(cfg)
	prof.start(ctx)
	start := time.Now()
	var ok atomic.Int64
	res.errors = pool(ctx, cfg.n, cfg.c, func(ctx context.Context, _ int) error {
		p, err := w.prepare(ctx, res.t)
		if err != nil {
			return err
		}
		t0 := time.Now()
		if err := w.respond(ctx, p); err != nil {
			return err
		}
		res.t.add("response", time.Since(t0))
		res.t.add("flow", time.Since(p.started))
		ok.Add(1)
		return nil
	})
	res.wall = time.Since(start)
	res.serverCPU, res.ownCPU, res.dbCPU = cpu.stop()
	res.ok = int(ok.Load())
	return res, tooManyErrors(res)
}

// runResponses is the responses phase: presentations are prepared a chunk at a time, then
// only their responses are timed.
func runResponses(ctx context.Context, w *loadWallet, cfg config, prof *profiler) (phaseResult, error) {
	res := phaseResult{name: "responses", t: newTimings(), c: cfg.c}
	prepTimes := newTimings()
	for done := 0; done < cfg.n && ctx.Err() == nil; {
		k := cfg.n - done
		if cfg.chunk > 0 {
			k = min(cfg.chunk, k)
		}
		ready := make([]prepared, k)
		if errs := pool(ctx, k, cfg.c, func(ctx context.Context, i int) (err error) {
			ready[i], err = w.prepare(ctx, prepTimes)
			return err
		}); errs > 0 {
			return res, fmt.Errorf("preparing presentations: %d errors", errs)
		}
		boundNs, err := measureBound(ctx, cfg.boundCmd)
		if err != nil {
			return res, err
		}
		cpu := startCPU(cfg)
		prof.start(ctx)
		start := time.Now()
		var ok atomic.Int64
		res.errors += pool(ctx, k, cfg.c, func(ctx context.Context, i int) error {
			t0 := time.Now()
			if err := w.respond(ctx, ready[i]); err != nil {
				return err
			}
			res.t.add("response", time.Since(t0))
			ok.Add(1)
			return nil
		})
		res.wall += time.Since(start)
		s, o, d := cpu.stop()
		boundAfter, err := measureBound(ctx, cfg.boundCmd)
		if err != nil {
			return res, err
		}
		res.serverCPU, res.ownCPU, res.dbCPU = addCPU(res.serverCPU, s), addCPU(res.ownCPU, o), addCPU(res.dbCPU, d)
		res.ok += int(ok.Load())
		if boundNs > 0 && s > 0 {
			res.chunks = append(res.chunks, chunkResult{ok: int(ok.Load()), serverCPU: s, boundNs: (boundNs + boundAfter) / 2,
				boundBefore: boundNs, boundAfter: boundAfter})
		}
		done += k
		if err := tooManyErrors(res); err != nil {
			return res, err
		}
	}
	return res, nil
}

func tooManyErrors(res phaseResult) error {
	if res.errors >= maxErrors {
		return fmt.Errorf("%s phase: stopped after %d errors", res.name, res.errors)
	}
	return nil
}

func (r phaseResult) print() {
	fmt.Printf("\n== %s phase: %d ok, %d errors, %d wallets, %s timed\n", r.name, r.ok, r.errors, r.c, r.wall.Round(time.Millisecond))
	item := "flow"
	if r.name == "responses" {
		item = "verified response"
	}
	fmt.Printf("   throughput %.1f %ss/s\n", float64(r.ok)/r.wall.Seconds(), item)
	fmt.Printf("   %-9s %6s %9s %9s\n", "step", "n", "p50", "p99")
	for _, step := range []string{"create", "fetch", "present", "response", "flow"} {
		lat := r.t.byStep[step]
		if len(lat) == 0 {
			continue
		}
		slices.Sort(lat)
		fmt.Printf("   %-9s %6d %9s %9s\n", step, len(lat), round(lat[len(lat)/2]), round(lat[min(len(lat)-1, len(lat)*99/100)]))
	}
	if r.serverCPU >= 0 && r.ok > 0 {
		per := r.serverCPU / time.Duration(r.ok)
		fmt.Printf("   server CPU %s = %s per %s (%.2f cores busy)", r.serverCPU.Round(time.Millisecond), round(per), item, r.serverCPU.Seconds()/r.wall.Seconds())
		if r.ownCPU >= 0 {
			fmt.Printf("; load generator %.2f cores", r.ownCPU.Seconds()/r.wall.Seconds())
		}
		fmt.Println()
	}
	if r.dbCPU >= 0 && r.ok > 0 {
		fmt.Printf("   database CPU %s = %s per %s (its processes, not in the ratios below)\n",
			r.dbCPU.Round(time.Millisecond), round(r.dbCPU/time.Duration(r.ok)), item)
	}
}

func round(d time.Duration) time.Duration {
	if d < time.Millisecond {
		return d.Round(time.Microsecond)
	}
	return d.Round(100 * time.Microsecond)
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
