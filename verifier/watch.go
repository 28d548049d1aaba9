package verifier

import (
	"context"
	"sync"
	"time"
)

// watchers wakes the result streams of this replica when a request changes here; streams
// also poll the store, so a change made by another replica is seen within a poll interval.
type watchers struct {
	mu   sync.Mutex
	subs map[string]map[chan struct{}]struct{}
}

func newWatchers() *watchers { return &watchers{subs: map[string]map[chan struct{}]struct{}{}} }

func (w *watchers) subscribe(id string) (chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	w.mu.Lock()
	if w.subs[id] == nil {
		w.subs[id] = map[chan struct{}]struct{}{}
	}
	w.subs[id][ch] = struct{}{}
	w.mu.Unlock()
	return ch, func() {
		w.mu.Lock()
		delete(w.subs[id], ch)
		if len(w.subs[id]) == 0 {
			delete(w.subs, id)
		}
		w.mu.Unlock()
	}
}

func (s *Service) notify(id string) {
	s.watch.mu.Lock()
	defer s.watch.mu.Unlock()
	for ch := range s.watch.subs[id] {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// PollInterval is how often a result stream looks at the store for changes made by other
// replicas.
const PollInterval = time.Second

// Watch calls send with the request's view now and on every change until the request is
// final (verified, rejected or expired) or ctx ends. show reads the current view.
func (s *Service) Watch(ctx context.Context, id string, show func(context.Context) (View, error), send func(View) error) error {
	ch, cancel := s.watch.subscribe(id)
	defer cancel()
	tick := time.NewTicker(PollInterval)
	defer tick.Stop()
	var last State
	for {
		v, err := show(ctx)
		if err != nil {
			return err
		}
		if v.State != last {
			if err := send(v); err != nil {
				return err
			}
			last = v.State
		}
		if v.Final() {
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-ch:
		case <-tick.C:
		}
	}
}
