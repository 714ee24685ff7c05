// Package parallel runs independent pieces of work on a bounded number of
// goroutines: the sites of a run (pipeline), and the files and tables of a
// lone site (render, plan).
package parallel

import (
	"sync"
	"sync/atomic"
)

// Each calls fn(i) for every i in [0, n) on up to workers goroutines, in
// the caller's own when workers <= 1, and returns once every call has.
// Indexes are handed out in increasing order; each call must write only
// what its index owns.
func Each(n, workers int, fn func(i int)) {
	workers = min(workers, n)
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				fn(i)
			}
		}()
	}
	wg.Wait()
}
