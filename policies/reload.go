package policies

import (
	"context"
	"time"
)

// Run polls the policy directory every ReloadInterval and reloads it when its files change,
// until ctx ends. With the embedded policies there is nothing to poll and Run only waits.
//
// Polling reads the files and hashes them (a few kilobytes), rather than trusting modification
// times, which a copy may keep and coarse file systems round to the second.
func (e *Engine) Run(ctx context.Context) {
	if e.cfg.Dir == "" {
		<-ctx.Done()
		return
	}
	t := time.NewTicker(e.cfg.ReloadInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			_ = e.Reload(ctx)
		}
	}
}

// Reload reads the policy files now and, when they differ from the active set, builds them and
// activates the new set if it is good. A bad set (unreadable, not parsing, not compiling, or
// failing its own Rego tests) never replaces the active one: Reload logs the error once,
// returns it and keeps it as LastError until the files change again.
func (e *Engine) Reload(ctx context.Context) error {
	e.reloadMu.Lock()
	defer e.reloadMu.Unlock()
	files, err := readFiles(e.cfg.Dir)
	if err != nil {
		return e.fail("", err)
	}
	rev := revision(files)
	if rev == e.Revision() {
		e.succeed(rev, false)
		return nil
	}
	if rev == e.triedRevision() {
		return e.LastError() // this bad set was reported already
	}
	set, err := build(ctx, files)
	if ctx.Err() != nil {
		return ctx.Err() // cancelled: says nothing about the files
	}
	if err != nil {
		return e.fail(rev, err)
	}
	e.active.Store(set)
	e.succeed(rev, true)
	e.log.Info("policies reloaded", "source", sourceName(e.cfg.Dir), "revision", rev, "policies", set.names)
	return nil
}

func (e *Engine) triedRevision() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.tried
}

// fail records err for the files of revision rev ("" when they could not be read) and logs it
// when it differs from the error already recorded.
func (e *Engine) fail(rev string, err error) error {
	e.mu.Lock()
	changed := e.lastErr == nil || e.lastErr.Error() != err.Error()
	e.lastErr, e.tried = err, rev
	e.mu.Unlock()
	if changed {
		e.log.Error("policy files rejected; keeping the active policies",
			"source", sourceName(e.cfg.Dir), "active_revision", e.Revision(), "rejected_revision", rev, "error", err)
	}
	return err
}

// succeed records that the files of revision rev are the active set.
func (e *Engine) succeed(rev string, activated bool) {
	e.mu.Lock()
	recovered := e.lastErr != nil
	e.lastErr, e.tried = nil, rev
	e.mu.Unlock()
	if recovered && !activated {
		e.log.Info("policy files are back at the active revision", "revision", rev)
	}
}
