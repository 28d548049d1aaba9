package issuer

import (
	"runtime"
	"sync"
)

// each runs f(0) … f(n-1) on up to GOMAXPROCS goroutines and returns the error of the lowest
// index that failed, so a batch reports the same error as a loop would. A batch of proofs to
// verify or credentials to sign then takes the time of its share per core, not of all of it.
func each(n int, f func(k int) error) error {
	workers := min(n, runtime.GOMAXPROCS(0))
	if workers <= 1 {
		for k := range n {
			if err := f(k); err != nil {
				return err
			}
		}
		return nil
	}
	errs := make([]error, n)
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		next int
	)
	for range workers {
		wg.Go(func() {
			for {
				mu.Lock()
				k := next
				next++
				mu.Unlock()
				if k >= n {
					return
				}
				errs[k] = f(k)
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
