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

// roots makes this test binary's globals 8 MB of pointers, which the
// collector scans and counts in its goal: with them, a GOGC computed
// without the roots would put the goal far above the floor.
var roots [1 << 20]*int

func heapGoal() uint64 {
	goal := []metrics.Sample{{Name: "/gc/heap/goal:bytes"}}
	metrics.Read(goal)
	return goal[0].Value.Uint64()
}

func gogc() int {
	p := debug.SetGCPercent(-1)
	debug.SetGCPercent(p)
	return p
}

// settle collects until want holds of GOGC: the finalizer that adjusts it
// runs on its own goroutine, after a collection.
func settle(want func(int) bool) int {
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
		if p := gogc(); want(p) {
			return p
		}
	}
	return gogc()
}

// TestSetFollowsTheLiveHeap: after Set, each collection sets GOGC from the
// live heap and the roots it left, so that the runtime's own goal is the
// floor while the live heap is small, and the default applies once the
// live heap is more than half of it.
func TestSetFollowsTheLiveHeap(t *testing.T) {
	t.Setenv("GOGC", "")
	roots[0] = new(int)
	const floor = 64 << 20
	near := func(goal uint64) bool { return goal > floor*9/10 && goal < floor*11/10 }
	runtime.GC() // what an earlier test left is not live
	stop := Set(floor)
	defer stop()
	if g := heapGoal(); !near(g) {
		t.Errorf("heap goal %d MB right after Set, want the floor, %d MB", g>>20, floor>>20)
	}
	settle(func(p int) bool { return p > 100 })
	if g := heapGoal(); !near(g) {
		t.Errorf("heap goal %d MB with a small live heap, want the floor, %d MB", g>>20, floor>>20)
	}
	// 8 MB live and 8 MB of roots: GOGC 150 gives 8 + 16*1.5 = 32 MB;
	// leaving the roots out would give 300, and a goal of 56 MB.
	const half = 32 << 20
	stop()
	stop = Set(half)
	mid := make([]byte, 8<<20)
	settle(func(p int) bool { return p > 100 && p < 300 })
	if g := heapGoal(); g < half*9/10 || g > half*11/10 {
		t.Errorf("heap goal %d MB with 8 MB live and 8 MB of roots, want the floor, %d MB", g>>20, half>>20)
	}
	runtime.KeepAlive(mid)
	stop()
	stop = Set(floor)
	big := make([][]byte, 48)
	for i := range big {
		big[i] = make([]byte, 1<<20)
	}
	if got := settle(func(p int) bool { return p == 100 }); got != 100 {
		t.Errorf("live heap of 48 MB: GOGC %d, want 100", got)
	}
	runtime.KeepAlive(big)
	stop()
	if got := gogc(); got != 100 {
		t.Errorf("GOGC %d after stop, want 100", got)
	}
}

// TestSetOnce: while one Set is in force another does nothing, and its
// stop does not end the first.
func TestSetOnce(t *testing.T) {
	t.Setenv("GOGC", "")
	stop := Set(64 << 20)
	defer stop()
	raised := gogc()
	Set(8 << 20)()
	if got := gogc(); got != raised {
		t.Errorf("GOGC %d after a second Set and its stop, want the first's %d", got, raised)
	}
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
