package parallel

import (
	"sync/atomic"
	"testing"
)

// TestEach: every index is called exactly once, for any number of workers,
// and never on more goroutines at once than asked.
func TestEach(t *testing.T) {
	for _, n := range []int{0, 1, 2, 7, 1000} {
		for _, workers := range []int{-1, 0, 1, 2, 3, 64} {
			calls := make([]atomic.Int32, n)
			var running, most atomic.Int32
			Each(n, workers, func(i int) {
				now := running.Add(1)
				for m := most.Load(); now > m && !most.CompareAndSwap(m, now); m = most.Load() {
				}
				calls[i].Add(1)
				running.Add(-1)
			})
			for i := range calls {
				if c := calls[i].Load(); c != 1 {
					t.Fatalf("n=%d workers=%d: index %d called %d times", n, workers, i, c)
				}
			}
			if limit := int32(max(workers, 1)); most.Load() > limit {
				t.Errorf("n=%d workers=%d: %d calls at once", n, workers, most.Load())
			}
		}
	}
}
