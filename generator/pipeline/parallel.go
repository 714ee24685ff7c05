package pipeline

import (
	"runtime"

	"pchat-hadr/generator/parallel"
)

// Parallelism is how many sites are loaded, validated and rendered at
// once. Results are placed by input index, so the output does not depend
// on it; tests set it to 1 to compare with a serial run. Each site being
// rendered holds its files (3.5 MB for the example) until they are
// staged: two a core keep the cores busy while one waits for the disk,
// where four a core (at least eight) held 40 MB on two cores.
var Parallelism = max(2*runtime.GOMAXPROCS(0), 4)

// FilesAtOnce is how many files of one site are rendered (and staged, by
// the caller) at once in a run of n sites: the cores that the sites side
// by side leave idle, so that a run of one site (the usual change window)
// uses every core. n counts the sites the cache will vouch for too, which
// is not known yet: a run of two with one of them cached renders the
// other on one core.
func FilesAtOnce(n int) int {
	if Parallelism <= 1 {
		return 1
	}
	return max(1, runtime.GOMAXPROCS(0)/max(n, 1))
}

// each runs fn(i) for i in [0, n) on up to Parallelism goroutines.
func each(n int, fn func(i int)) { parallel.Each(n, Parallelism, fn) }
