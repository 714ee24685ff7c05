package pipeline

import (
	"runtime"
	"sync"
)

// Parallelism is how many sites are loaded, validated and rendered at
// once. Results are placed by input index, so the output does not depend
// on it; tests set it to 1 to compare with a serial run.
var Parallelism = max(4*runtime.GOMAXPROCS(0), 8)

// each runs fn(i) for i in [0, n) on up to Parallelism goroutines.
func each(n int, fn func(i int)) {
	workers := min(Parallelism, n)
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}
