package e2e

import (
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"testing"

	"pchat-hadr/generator/cli"
	"pchat-hadr/generator/output"
)

// TestProfileGenerate is a tool, not a check: it runs `generate` of the
// site folder PCHAT_HADR_PROFILE_SITES in this process, so that
// -cpuprofile covers the whole command as a user runs it, and writes a
// heap profile to PCHAT_HADR_HEAP_PROFILE (if set) at the first file
// committed, when a run holds the most (docs/performance.md):
//
//	go run ./tools/bench-vs-copy -runs 1 -dir /tmp/b   # leaves 1,000 sites in /tmp/b/sites-1000
//	PCHAT_HADR_PROFILE_SITES=/tmp/b/sites-1000 PCHAT_HADR_HEAP_PROFILE=/tmp/heap.pb.gz \
//	  go test ./generator/e2e -run TestProfileGenerate -cpuprofile /tmp/cpu.pb.gz
//
// Without PCHAT_HADR_PROFILE_SITES it is skipped.
func TestProfileGenerate(t *testing.T) {
	sites := os.Getenv("PCHAT_HADR_PROFILE_SITES")
	if sites == "" {
		t.Skip("set PCHAT_HADR_PROFILE_SITES to a folder of sites to profile generate")
	}
	var heapErr error
	if heap := os.Getenv("PCHAT_HADR_HEAP_PROFILE"); heap != "" {
		output.Pause = func(event string, n int) {
			if event != "committed" || n != 1 {
				return
			}
			runtime.GC() // the heap profile shows what is live, not garbage
			f, err := os.Create(heap)
			if err != nil {
				heapErr = err
				return
			}
			if err := pprof.WriteHeapProfile(f); err != nil {
				heapErr = err
			}
			if err := f.Close(); err != nil && heapErr == nil {
				heapErr = err
			}
		}
		defer func() { output.Pause = nil }()
	}
	out := t.TempDir()
	if code := cli.Main([]string{"pchat-hadr", "generate", "-q", "--out", out, sites}, io.Discard, os.Stderr); code != 0 {
		t.Fatalf("generate exited %d", code)
	}
	if heapErr != nil {
		t.Fatal(heapErr)
	}
}
