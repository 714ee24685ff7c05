package heapfloor

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"
)

func TestPercent(t *testing.T) {
	const mb = 1 << 20
	cases := []struct {
		floor, live, roots uint64
		base, want         int
	}{
		{32 * mb, 4 * mb, 0, 100, 700},       // goal 4 + 4*7 = 32 MB
		{32 * mb, 4 * mb, 4 * mb, 100, 350},  // the roots count: 4 + 8*3.5 = 32 MB
		{32 * mb, 1 * mb, 1 * mb, 100, 800},  // 31/2 would put the minimum at 62 MB: 4*8 = 32 MB
		{32 * mb, 16 * mb, 0, 100, 100},      // twice the live heap reaches the floor
		{32 * mb, 15 * mb, 2 * mb, 100, 100}, // with the roots, too
		{32 * mb, 20 * mb, 0, 100, 100},      // past half of it, the default
		{32 * mb, 10 * mb, 0, 100, 220},      // 10 + 22 = 32 MB
		{32 * mb, 0, 0, 100, 800},            // nothing live yet: the minimum's bound
		{64 * mb, 100 << 10, 0, 100, 1600},   // 100 KB live: the same, for 64 MB
		{32 * mb, 1 * mb, 0, 300, 800},       // a larger base is kept below the floor's
		{32 * mb, 10 * mb, 0, 300, 300},      // and above it
		{0, 1 * mb, 0, 100, 100},             // no floor
		{2 * mb, 0, 0, 100, 100},             // a floor below the runtime's minimum
		{32 * mb, 32 * mb, 0, 100, 100},      // at the floor
		{64 * mb, 40 * mb, 0, 50, 60},        // base 50: goal 60 MB is below, raised to 64
	}
	for _, c := range cases {
		if got := Percent(c.floor, c.live, c.roots, c.base); got != c.want {
			t.Errorf("Percent(%d MB, %d B, %d B, %d) = %d, want %d", c.floor/mb, c.live, c.roots, c.base, got, c.want)
		}
	}
}

// TestSetFollowsTheLiveHeap: after Set, each collection sets GOGC from the
// live heap it left: raised while the heap is small, the default once it
// is more than half the floor.
func TestSetFollowsTheLiveHeap(t *testing.T) {
	t.Setenv("GOGC", "")
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	const floor = 64 << 20
	stop := Set(floor)
	defer stop()
	if got := debug.SetGCPercent(-1); got != Percent(floor, startHeap, 0, 100) {
		t.Errorf("GOGC after Set: %d, want %d", got, Percent(floor, startHeap, 0, 100))
	} else {
		debug.SetGCPercent(got)
	}
	waitFor := func(want func(int) bool) int {
		var got int
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
			runtime.GC()
			time.Sleep(10 * time.Millisecond) // the finalizer runs on its own goroutine
			got = debug.SetGCPercent(-1)
			debug.SetGCPercent(got)
			if want(got) {
				return got
			}
		}
		return got
	}
	if got := waitFor(func(p int) bool { return p > 1000 }); got <= 1000 {
		t.Errorf("small live heap: GOGC %d, want the floor's (above 1000)", got)
	}
	// The goal itself, as the runtime computes it (roots included), is the
	// floor: a goal of 110 MB for a floor of 32 MB was the first version's.
	goal := []metrics.Sample{{Name: "/gc/heap/goal:bytes"}}
	metrics.Read(goal)
	if g := goal[0].Value.Uint64(); g < floor*9/10 || g > floor*11/10 {
		t.Errorf("heap goal %d MB with a small live heap, want the floor, %d MB", g>>20, floor>>20)
	}
	big := make([][]byte, 48)
	for i := range big {
		big[i] = make([]byte, 1<<20)
	}
	if got := waitFor(func(p int) bool { return p == 100 }); got != 100 {
		t.Errorf("live heap of 48 MB: GOGC %d, want 100", got)
	}
	runtime.KeepAlive(big)
	stop()
	if got := debug.SetGCPercent(-1); got != 100 {
		t.Errorf("GOGC %d after stop, want 100", got)
	}
	debug.SetGCPercent(100)
}

// TestSetLeavesTheUsersGOGC: a GOGC in the environment is the user's.
func TestSetLeavesTheUsersGOGC(t *testing.T) {
	t.Setenv("GOGC", "150")
	defer debug.SetGCPercent(debug.SetGCPercent(150))
	defer Set(64 << 20)()
	if got := debug.SetGCPercent(150); got != 150 {
		t.Errorf("GOGC %d after Set with GOGC=150 set, want 150", got)
	}
}
