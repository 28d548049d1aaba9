package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// cpuMeter reads the CPU time (user + system) of the server and of this process from
// /proc/<pid>/stat, and of the database's processes (all named cfg.dbComm); each is -1
// where it is not available.
type cpuMeter struct {
	cfg          config
	server, self time.Duration
	db           map[int]time.Duration
}

func startCPU(cfg config) cpuMeter {
	return cpuMeter{cfg: cfg, server: procCPU(cfg.serverPID, cfg.clkTck), self: procCPU(os.Getpid(), cfg.clkTck),
		db: procsCPU(cfg.dbComm, cfg.clkTck)}
}

func (m cpuMeter) stop() (server, self, db time.Duration) {
	return since(m.server, procCPU(m.cfg.serverPID, m.cfg.clkTck)), since(m.self, procCPU(os.Getpid(), m.cfg.clkTck)),
		sinceAll(m.db, procsCPU(m.cfg.dbComm, m.cfg.clkTck))
}

// procsCPU is the CPU time of every process named comm (/proc/<pid>/comm), by pid; nil
// without a name or /proc.
func procsCPU(comm string, clkTck int) map[int]time.Duration {
	if comm == "" {
		return nil
	}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	m := map[int]time.Duration{}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if b, err := os.ReadFile("/proc/" + e.Name() + "/comm"); err != nil || strings.TrimSpace(string(b)) != comm {
			continue
		}
		if d := procCPU(pid, clkTck); d >= 0 {
			m[pid] = d
		}
	}
	return m
}

// sinceAll is the CPU the processes of after used since before; a process that started
// meanwhile counts whole, one that ended meanwhile is lost (the pool keeps its
// connections, so backends rarely come and go during a phase).
func sinceAll(before, after map[int]time.Duration) time.Duration {
	if before == nil || after == nil {
		return -1
	}
	var total time.Duration
	for pid, d := range after {
		total += d - before[pid]
	}
	return total
}

func since(before, after time.Duration) time.Duration {
	if before < 0 || after < 0 {
		return -1
	}
	return after - before
}

func addCPU(total, d time.Duration) time.Duration {
	if total < 0 || d < 0 {
		return -1
	}
	return total + d
}

// procCPU is utime + stime of pid (proc(5): fields 14 and 15, in clock ticks), or -1.
func procCPU(pid, clkTck int) time.Duration {
	if pid <= 0 || clkTck <= 0 {
		return -1
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return -1
	}
	// The command name (field 2) is in parentheses and may hold spaces: count from after it.
	rest := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	if len(rest) < 13 {
		return -1
	}
	utime, err1 := strconv.ParseInt(rest[11], 10, 64)
	stime, err2 := strconv.ParseInt(rest[12], 10, 64)
	if err1 != nil || err2 != nil {
		return -1
	}
	return time.Duration(utime+stime) * time.Second / time.Duration(clkTck)
}

// profiler fetches one CPU profile from the server's pprof endpoint during one phase.
type profiler struct {
	url, out string
	seconds  int
	once     sync.Once
	done     chan error
}

// newProfiler profiles phase if the configuration asks for it; otherwise start and wait do
// nothing.
func newProfiler(cfg config, phase string) *profiler {
	p := &profiler{}
	if cfg.profileURL != "" && cfg.profileOut != "" && cfg.profilePhase == phase {
		p.url, p.out, p.seconds = cfg.profileURL, cfg.profileOut, cfg.profileSeconds
	}
	return p
}

func (p *profiler) start(ctx context.Context) {
	if p.url == "" {
		return
	}
	p.once.Do(func() {
		p.done = make(chan error, 1)
		go func() { p.done <- p.fetch(ctx) }()
	})
}

func (p *profiler) fetch(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("%s?seconds=%d", p.url, p.seconds), nil)
	if err != nil {
		return err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("profile: %s", res.Status)
	}
	f, err := os.Create(p.out)
	if err != nil {
		return err
	}
	_, err = io.Copy(f, res.Body)
	return errors.Join(err, f.Close())
}

// wait waits for the profile, if one was started.
func (p *profiler) wait() error {
	if p.done == nil {
		return nil
	}
	if err := <-p.done; err != nil {
		return err
	}
	fmt.Printf("   CPU profile of %ds written to %s\n", p.seconds, p.out)
	return nil
}

// printBound sets each phase beside the raw bound: presentations per core-second that
// BenchmarkRawBound does, against responses per second of server CPU time, and per
// allotted server core.
func printBound(cfg config, phases []phaseResult) {
	if cfg.boundNs <= 0 {
		return
	}
	for _, r := range phases {
		printChunks(r)
	}
	bound := 1e9 / cfg.boundNs
	fmt.Printf("\n== raw bound (%s, same run): %s/op = %.0f presentations/s per core\n", cfg.boundName, round(time.Duration(cfg.boundNs)), bound)
	for _, r := range phases {
		if r.ok == 0 {
			continue
		}
		if r.serverCPU > 0 {
			perCPUSecond := float64(r.ok) / r.serverCPU.Seconds()
			fmt.Printf("   %-9s %7.0f /s per server CPU-second = %5.1f%% of the bound\n", r.name, perCPUSecond, 100*perCPUSecond/bound)
		}
		if cfg.serverCPUs > 0 {
			perCore := float64(r.ok) / r.wall.Seconds() / float64(cfg.serverCPUs)
			fmt.Printf("   %-9s %7.0f /s per allotted server core (%d) = %5.1f%% of the bound\n", r.name, perCore, cfg.serverCPUs, 100*perCore/bound)
		}
	}
}

// measureBound runs the -bound-cmd and reads the ns/op it prints; 0 without a command.
func measureBound(ctx context.Context, cmd string) (float64, error) {
	if cmd == "" {
		return 0, nil
	}
	out, err := exec.CommandContext(ctx, "sh", "-c", cmd).Output()
	if err != nil {
		return 0, fmt.Errorf("bound command: %w", err)
	}
	ns, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
	if err != nil || ns <= 0 {
		return 0, fmt.Errorf("bound command printed %q, want ns/op", out)
	}
	return ns, nil
}

// printChunks sets each chunk of the responses phase beside the bound measured around it
// (the mean of the samples just before and just after), and prints the median of those
// ratios: the figure least moved by the machine's drift.
func printChunks(r phaseResult) {
	if len(r.chunks) == 0 {
		return
	}
	ratios := make([]float64, len(r.chunks))
	fmt.Printf("\n== %s beside a bound measured just before and just after each chunk\n", r.name)
	for i, c := range r.chunks {
		perResp := c.serverCPU / time.Duration(c.ok)
		ratios[i] = 100 * c.boundNs / float64(perResp.Nanoseconds())
		fmt.Printf("   chunk %2d: %5d responses, %s server CPU each, bound %s (%s, %s) = %5.1f%%\n", i+1, c.ok, round(perResp),
			round(time.Duration(c.boundNs)), round(time.Duration(c.boundBefore)), round(time.Duration(c.boundAfter)), ratios[i])
	}
	slices.Sort(ratios)
	fmt.Printf("   median of %d chunks: %.1f%% of the bound (range %.1f–%.1f%%)\n", len(ratios), median(ratios), ratios[0], ratios[len(ratios)-1])
	// The whole phase beside the chunks' bounds, each weighted by its chunk's responses.
	var ok int
	var cpu time.Duration
	var boundSum float64
	for _, c := range r.chunks {
		ok, cpu, boundSum = ok+c.ok, cpu+c.serverCPU, boundSum+c.boundNs*float64(c.ok)
	}
	perResp, bound := cpu/time.Duration(ok), boundSum/float64(ok)
	fmt.Printf("   all chunks: %s server CPU per response beside a mean bound of %s = %.1f%%\n",
		round(perResp), round(time.Duration(bound)), 100*bound/float64(perResp.Nanoseconds()))
}

func median(sorted []float64) float64 {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}
