package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"pchat-hadr/generator/pipeline"
	"pchat-hadr/generator/render"
	"pchat-hadr/templates"
	"pchat-hadr/tools/benchsites"
)

// siteInputs makes n distinct sites from the example (tools/benchsites),
// as a rollout of many sites would look.
func siteInputs(tb testing.TB, n int) []pipeline.Input {
	tb.Helper()
	sites, err := benchsites.Make(n)
	if err != nil {
		tb.Fatal(err)
	}
	inputs := make([]pipeline.Input, n)
	for i, s := range sites {
		inputs[i] = pipeline.Input{File: s.File, Data: s.Data}
	}
	return inputs
}

func renderRun(tb testing.TB, r *render.Renderer, inputs []pipeline.Input) ([]pipeline.Result, []render.File) {
	results, probs, err := pipeline.Render(inputs, r)
	if err != nil || len(probs.Errors()) > 0 {
		tb.Fatalf("render: %v %v", err, probs)
	}
	root, err := pipeline.Root(results, r)
	if err != nil {
		tb.Fatal(err)
	}
	return results, root
}

// BenchmarkRender measures load, validate, plan and render, in memory, for
// a run of 1, 100 and 1,000 sites: the CPU part of a run, to profile
// (-cpuprofile). Templates are parsed once, outside. fallbacks/op counts
// the files the fast template executor left to text/template: they are
// correct, but take about four times as long.
func BenchmarkRender(b *testing.B) {
	r, err := render.New(templates.FS)
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1, 100, 1000} {
		inputs := siteInputs(b, n)
		b.Run(fmt.Sprintf("sites=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			before := r.Fallbacks()
			for b.Loop() {
				renderRun(b, r, inputs)
			}
			b.ReportMetric(float64(r.Fallbacks()-before)/float64(b.N), "fallbacks/op")
		})
	}
}

// BenchmarkCommand measures the commands as a user runs them: the built
// binary as a process, reading N site files from a folder, printing its
// report, with the runtime settings of main, start to exit. generate-fresh writes into
// an empty folder, generate-again over an up-to-date tree (nothing
// changes), check compares an up-to-date tree. Besides the wall time it
// reports the process's user and system CPU and its peak memory (RSS).
// For ratios against cp -r and sha256sum on the same machine, in the same
// run, use make bench-vs-copy.
func BenchmarkCommand(b *testing.B) {
	bin := buildBinary(b)
	for _, n := range []int{1, 100, 1000} {
		sites := filepath.Join(b.TempDir(), "sites")
		if err := benchsites.Write(sites, n); err != nil {
			b.Fatal(err)
		}
		out := filepath.Join(b.TempDir(), "out")
		generate := []string{bin, "generate", "--out", out, sites}
		b.Run(fmt.Sprintf("generate-fresh/sites=%d", n), func(b *testing.B) {
			var total usage
			for b.Loop() {
				b.StopTimer()
				if err := os.RemoveAll(out); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				total.add(b, generate)
			}
			total.report(b)
		})
		for _, c := range []struct {
			name string
			argv []string
		}{{"generate-again", generate}, {"check", []string{bin, "check", "--out", out, sites}}} {
			b.Run(fmt.Sprintf("%s/sites=%d", c.name, n), func(b *testing.B) {
				if _, err := os.Stat(out); err != nil {
					b.Skip("generate-fresh did not run")
				}
				var total usage
				for b.Loop() {
					total.add(b, c.argv)
				}
				total.report(b)
			})
		}
		os.RemoveAll(out)
	}
}

// BenchmarkProcessOneSite measures one site end to end as a user runs it:
// process start, render of the example, write to an empty folder, exit.
// The goal is a median under 50 ms (median-ms). Before each run it times
// the same binary's --version (start-ms), which only starts and exits:
// the machine's speed moves between series here, and that baseline,
// measured alternately, shows how quick the machine was.
func BenchmarkProcessOneSite(b *testing.B) {
	bin := buildBinary(b)
	var runs, starts []time.Duration
	timed := func(args ...string) time.Duration {
		start := time.Now()
		if msg, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
			b.Fatalf("%v\n%s", err, msg)
		}
		return time.Since(start)
	}
	for b.Loop() {
		b.StopTimer()
		out := b.TempDir()
		starts = append(starts, timed("--version"))
		b.StartTimer()
		runs = append(runs, timed("generate", "--out", out, "--example"))
	}
	b.ReportMetric(medianMS(runs), "median-ms")
	b.ReportMetric(medianMS(starts), "start-ms")
}

// medianMS is the median of ds in milliseconds.
func medianMS(ds []time.Duration) float64 {
	s := slices.Clone(ds)
	slices.Sort(s)
	return float64(s[len(s)/2].Microseconds()) / 1000
}

func buildBinary(b *testing.B) string {
	b.Helper()
	bin := filepath.Join(b.TempDir(), "pchat-hadr")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// usage adds up what the processes of a benchmark used.
type usage struct {
	user, sys time.Duration
	peakKB    int64
	runs      int
}

// add runs argv as a process (its report discarded, as a user's terminal
// would show it) and adds what it used.
func (u *usage) add(b *testing.B, argv []string) {
	cmd := exec.Command(argv[0], argv[1:]...)
	if msg, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("%v\n%s", err, msg)
	}
	u.user += cmd.ProcessState.UserTime()
	u.sys += cmd.ProcessState.SystemTime()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		u.peakKB = max(u.peakKB, int64(ru.Maxrss))
	}
	u.runs++
}

func (u *usage) report(b *testing.B) {
	if u.runs == 0 {
		return
	}
	b.ReportMetric(u.user.Seconds()/float64(u.runs), "user-s/op")
	b.ReportMetric(u.sys.Seconds()/float64(u.runs), "sys-s/op")
	b.ReportMetric(float64(u.peakKB)/1024, "peak-MB")
}
