// Package heapfloor keeps the garbage collector from running while a
// process's heap is small. The collector's default goal, twice the live
// heap (GOGC=100) from a start of 4 MB, made a run of one site collect five
// times and spend a quarter of its wall time in the collector and its
// write barriers (docs/performance.md, fourth round).
//
// It is for small runs only (the CLI arms it for a few sites): a raised
// GOGC also lets a collection that finds the live heap growing stretch
// its goal up to (1 + GOGC/100) times (the pacer's hard goal), so a run
// whose heap jumps past the floor could peak far above twice its live
// heap for a cycle.
package heapfloor

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// startHeap is the runtime's minimum heap goal at GOGC=100 (it scales
// with GOGC). A runtime built with GOEXPERIMENT=heapminimum512kib has a
// smaller one: the floor then comes lower, never higher.
const startHeap = 4 << 20

// active is the tuner in use: there is one collector per process.
var active struct {
	sync.Mutex
	t *tuner
}

// Set makes the collector's heap goal at least floor bytes: while the live
// heap is below half of it, GOGC is raised so that the next collection
// comes at floor; above, the GOGC the process started with applies. It
// does nothing when the GOGC environment variable is set (the user's
// choice), when the collector is off, or while an earlier Set is in force
// (it returns a stop that does nothing then). stop ends the tuning and
// restores the GOGC the process had.
func Set(floor uint64) (stop func()) {
	none := func() {}
	if os.Getenv("GOGC") != "" {
		return none
	}
	active.Lock()
	defer active.Unlock()
	if active.t != nil {
		return none
	}
	base := debug.SetGCPercent(100)
	if base < 0 {
		debug.SetGCPercent(base)
		return none
	}
	t := &tuner{floor: floor, base: base}
	active.t = t
	t.mu.Lock()
	t.adjust() // from the roots already there, before any collection
	t.arm()
	t.mu.Unlock()
	return func() {
		active.Lock()
		defer active.Unlock()
		t.mu.Lock()
		defer t.mu.Unlock()
		if !t.stopped {
			t.stopped = true
			debug.SetGCPercent(base)
			active.t = nil
		}
	}
}

// Percent is the GOGC that puts the next heap goal at floor, never below
// base, for a live heap of live bytes and roots (goroutine stacks and
// globals) of roots bytes. The runtime's goal is the larger of live +
// (live + roots) * GOGC/100 and a minimum of 4 MB * GOGC/100: a GOGC
// that left either out made a goal of 110 MB, and in a 1,000-site run a
// peak of 235 MB, where 32 MB was meant.
func Percent(floor, live, roots uint64, base int) int {
	scanned := max(live+roots, 1)
	if floor <= live+scanned*uint64(base)/100 || floor <= startHeap*uint64(base)/100 {
		return base
	}
	return int(min((floor-live)*100/scanned, floor*100/startHeap))
}

type tuner struct {
	floor   uint64
	base    int
	mu      sync.Mutex // a stop waits for an adjustment under way
	stopped bool
	sample  [3]metrics.Sample
}

// sentinel is garbage as soon as it is made: its finalizer runs after the
// next collection, sets GOGC from that collection's live heap and makes a
// new sentinel for the one after. The pointer field keeps it out of the
// tiny allocator, whose blocks may never be finalized.
type sentinel struct{ t *tuner }

func (t *tuner) arm() {
	runtime.SetFinalizer(&sentinel{t}, func(s *sentinel) {
		s.t.mu.Lock()
		defer s.t.mu.Unlock()
		if !s.t.stopped {
			s.t.adjust()
			s.t.arm()
		}
	})
}

func (t *tuner) adjust() {
	t.sample[0].Name = "/gc/heap/live:bytes"
	t.sample[1].Name = "/gc/scan/stack:bytes"
	t.sample[2].Name = "/gc/scan/globals:bytes"
	metrics.Read(t.sample[:])
	var v [3]uint64
	for i, s := range t.sample {
		if s.Value.Kind() != metrics.KindUint64 {
			debug.SetGCPercent(t.base) // a runtime without these metrics
			return
		}
		v[i] = s.Value.Uint64()
	}
	debug.SetGCPercent(Percent(t.floor, v[0], v[1]+v[2], t.base))
}
