package dbutil

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"time"
)

// Group commits concurrent writes together ("group commit"). A call that finds no batch
// running runs at once, alone; calls that arrive while a batch runs queue up and go as the
// next batch, led by the first of them. So batches grow only with the load: an idle service
// waits for nothing, a busy one pays one round trip and one commit for many writes.
//
// run gets the items of a batch and returns one error per item, in order. It must keep the
// items independent: one item's failure may not undo another's write (a store does this by
// retrying the items one by one when the batch statement fails).
type Group[T any] struct {
	run   func(context.Context, []T) []error
	max   int
	yield bool

	mu    sync.Mutex
	busy  bool
	queue []*groupCall[T]
}

type groupCall[T any] struct {
	item T
	err  error
	// wake carries true when this call is to lead the next batch, false when its batch ran
	// and err holds its outcome.
	wake chan bool
}

// groupTimeout bounds a batch. A batch runs detached from the leader's own cancellation:
// the other calls in it did not ask to stop.
const groupTimeout = 30 * time.Second

// errGroupRun is the outcome of a call whose batch gave no answer for it.
var errGroupRun = errors.New("dbutil: the batch gave no outcome for this write")

// NewGroup returns a Group running batches of at most max items with run.
//
// yield is for an engine whose writes never block the goroutine (pure-Go SQLite): there,
// on a single core, no other call would reach the queue while a batch runs, and every batch
// would be of one. With yield, a call that finds no batch running first lets whatever else
// is runnable catch up. An engine across the network (PostgreSQL) needs no yield: calls
// queue up while a batch waits for its round trip.
func NewGroup[T any](max int, yield bool, run func(context.Context, []T) []error) *Group[T] {
	return &Group[T]{run: run, max: max, yield: yield}
}

// Do writes item, in a batch with whatever else is queued, and returns its own outcome.
func (g *Group[T]) Do(ctx context.Context, item T) error {
	c := &groupCall[T]{item: item, wake: make(chan bool, 1)}
	g.mu.Lock()
	g.queue = append(g.queue, c)
	lead := !g.busy
	g.busy = true
	g.mu.Unlock()
	if !lead && !<-c.wake {
		return c.err
	}
	if lead && g.yield {
		runtime.Gosched()
	}
	// Leading: c is at the head of the queue.
	g.mu.Lock()
	n := min(len(g.queue), g.max)
	batch := make([]*groupCall[T], n)
	copy(batch, g.queue)
	g.queue = append(g.queue[:0:0], g.queue[n:]...)
	g.mu.Unlock()

	g.lead(ctx, c, batch)
	return c.err
}

// lead runs batch, hands each call its outcome and passes the lead on to the next queued
// call, also when run panics (the calls then fail and the panic goes on up).
func (g *Group[T]) lead(ctx context.Context, self *groupCall[T], batch []*groupCall[T]) {
	var errs []error
	defer func() {
		for i, b := range batch {
			if i < len(errs) {
				b.err = errs[i]
			} else {
				b.err = errGroupRun
			}
			if b != self {
				b.wake <- false
			}
		}
		g.mu.Lock()
		if len(g.queue) > 0 {
			g.queue[0].wake <- true
		} else {
			g.busy = false
		}
		g.mu.Unlock()
	}()
	items := make([]T, len(batch))
	for i, b := range batch {
		items[i] = b.item
	}
	runCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), groupTimeout)
	defer cancel()
	errs = g.run(runCtx, items)
}
