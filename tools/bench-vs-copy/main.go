//go:build unix

// Command bench-vs-copy measures pchat-hadr against the file system on
// the machine it runs on: it builds a run of many sites, then, alternately
// and in the same run so that the machine's noise falls on both, times
// generate into an empty folder against cp -r of the tree it wrote, and
// a no-change generate and check of that tree against sha256sum of every
// file in it. It prints each run and the medians of the ratios.
//
// Each round also copies the tree with tools/atomic-copy, which writes the
// files as generate must (hashed, to a temporary file, renamed into place,
// on every core) without rendering them: the floor. Its time against
// cp -r is the price of writing that way; generate's time above the floor
// is the price of producing the bytes.
//
// Each binary has a cache folder of its own in the working folder
// (PCHAT_HADR_CACHE), as a user's runs share one: the no-change generate
// and check take the cache's path. They are timed again with --no-cache
// ("again-full", "check-full"), which renders every site, unless -before
// is given (an older binary may not know the flag) or -full=false. generate into an
// empty folder renders every site whatever the cache holds.
//
//	go run ./tools/bench-vs-copy [-sites 1000] [-runs 5] [-bin pchat-hadr] [-before OLD-BINARY]
//
// With -before, every round measures that binary first and then the one
// under test, on the same sites, and the summary adds the ratios of the
// two (after against before), each from one round's pair.
//
// With several sizes (-sites 1000,10000) every run measures each size in
// turn, and the summary gives the time of each size against the first.
// With -dir the folder, and the sites it made (DIR/sites-N), are kept.
//
// No tree is deleted until every command has run, so the run needs free
// space for three trees (output, copy and floor) per size, binary and run. On
// ext4 without a journal, as here, creating files soon after many were
// deleted makes every new inode skip the recently deleted ones
// (find_inode_bit, recently_deleted): deleting the previous round's trees
// charged up to four times its system time to whichever command ran next.
package main

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"pchat-hadr/tools/benchsites"
)

// sample is one timed process.
type sample struct {
	wall, user, sys time.Duration
	rssMB           float64
}

func main() {
	sizes := flag.String("sites", "1000", "number of sites, or a comma-separated list of sizes measured in turn")
	runs := flag.Int("runs", 5, "alternating runs")
	bin := flag.String("bin", "", "pchat-hadr binary to measure (default: built from this checkout)")
	before := flag.String("before", "", "another pchat-hadr binary measured alternately with -bin, as the baseline")
	work := flag.String("dir", "", "working folder (default: a new one under the system's temporary folder, removed at the end)")
	full := flag.Bool("full", true, "also time the no-change generate and check with --no-cache (not with -before)")
	flag.Parse()
	if err := run(*sizes, *runs, *bin, *before, *work, *full); err != nil {
		fmt.Fprintln(os.Stderr, "bench-vs-copy:", err)
		os.Exit(1)
	}
}

// binary is one pchat-hadr binary measured, and its samples per size.
type binary struct {
	label, path string
	results     []map[string][]sample
	full        bool // also time --no-cache runs
}

func run(sizeList string, runs int, bin, before, work string, full bool) error {
	var sizes []int
	for _, s := range strings.Split(sizeList, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return fmt.Errorf("-sites: %q is not a number of sites", s)
		}
		sizes = append(sizes, n)
	}
	if work == "" {
		dir, err := os.MkdirTemp("", "bench-vs-copy-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		work = dir
	}
	if bin == "" {
		bin = filepath.Join(work, "pchat-hadr")
		if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
			return fmt.Errorf("go build: %v\n%s", err, out)
		}
	}
	floor := filepath.Join(work, "atomic-copy")
	if out, err := exec.Command("go", "build", "-o", floor, "./tools/atomic-copy").CombinedOutput(); err != nil {
		return fmt.Errorf("go build atomic-copy: %v\n%s", err, out)
	}
	bins := []*binary{{label: "", path: bin, full: full}}
	if before != "" {
		bins = []*binary{{label: "before", path: before}, {label: "after", path: bin}}
	}
	for _, b := range bins {
		b.results = make([]map[string][]sample, len(sizes))
		for i := range sizes {
			b.results[i] = map[string][]sample{}
		}
	}
	for _, n := range sizes {
		if err := benchsites.Write(siteDir(work, n), n); err != nil {
			return err
		}
	}
	for r := 1; r <= runs; r++ {
		for i, n := range sizes {
			for _, b := range bins {
				if err := once(b, floor, work, n, fmt.Sprintf("%s%d", b.label, r), b.results[i]); err != nil {
					return fmt.Errorf("%s%v", prefix(b.label), err)
				}
				printRun(r, n, b.label, b.results[i])
			}
		}
	}
	for _, b := range bins {
		for i, n := range sizes {
			files, bytes := treeSize(filepath.Join(work, fmt.Sprintf("out-%d-%s%d", n, b.label, runs)))
			summary(n, files, bytes, b.label, b.results[i])
			if i > 0 {
				fmt.Printf("  %d sites against %d (%.1fx the sites): generate %.2fx the time, check %.2fx\n", n, sizes[0], float64(n)/float64(sizes[0]),
					median(b.results[i]["generate"], wall)/median(b.results[0]["generate"], wall), median(b.results[i]["check"], wall)/median(b.results[0]["check"], wall))
			}
		}
	}
	if len(bins) == 2 {
		for i, n := range sizes {
			compare(n, bins[0].results[i], bins[1].results[i])
		}
	}
	return nil
}

func prefix(label string) string {
	if label == "" {
		return ""
	}
	return label + ": "
}

// compare prints, for each command, the median over rounds of the after
// binary's time against the before binary's in the same round.
func compare(n int, before, after map[string][]sample) {
	fmt.Printf("\n%d sites, after against before (medians of each round's ratio):\n", n)
	for _, name := range []string{"generate", "again", "check"} {
		var w, u []float64
		for i := range min(len(before[name]), len(after[name])) {
			w = append(w, ratio(after[name][i], before[name][i]))
			u = append(u, user(after[name][i])/user(before[name][i]))
		}
		fmt.Printf("  %-9s wall %.2fx, user CPU %.2fx\n", name+":", medianOf(w), medianOf(u))
	}
}

func siteDir(work string, n int) string { return filepath.Join(work, fmt.Sprintf("sites-%d", n)) }

// once runs one round for n sites: generate into a new folder and cp -r
// of its output, then a no-change generate, check, and sha256sum of every
// file of the tree. Each starts after a sync, so that writing back the
// previous command's files is not charged to it. The folders are named
// by tag and left for the end (see the package comment).
func once(b *binary, floor, work string, n int, tag string, into map[string][]sample) error {
	bin := b.path
	sites := siteDir(work, n)
	out := filepath.Join(work, fmt.Sprintf("out-%d-%s", n, tag))
	cp := filepath.Join(work, fmt.Sprintf("copy-%d-%s", n, tag))
	atomic := filepath.Join(work, fmt.Sprintf("floor-%d-%s", n, tag))
	cache := "PCHAT_HADR_CACHE=" + filepath.Join(work, "cache-"+b.label)
	type step struct {
		name string
		cmd  []string
	}
	steps := []step{
		{"generate", []string{bin, "generate", "-q", "--out", out, sites}},
		{"cp -r", []string{"cp", "-r", out, cp}},
		{"floor", []string{floor, out, atomic}},
		{"again", []string{bin, "generate", "-q", "--out", out, sites}},
		{"check", []string{bin, "check", "-q", "--out", out, sites}},
		{"sha256sum", []string{"sh", "-c", `find "$1" -type f -print0 | xargs -0 sha256sum > /dev/null`, "sh", out}},
	}
	if b.full {
		steps = append(steps,
			step{"again-full", []string{bin, "generate", "-q", "--no-cache", "--out", out, sites}},
			step{"check-full", []string{bin, "check", "-q", "--no-cache", "--out", out, sites}})
	}
	for _, s := range steps {
		syscall.Sync()
		got, err := measure(s.cmd, cache)
		if err != nil {
			return fmt.Errorf("%s: %v", s.name, err)
		}
		into[s.name] = append(into[s.name], got)
	}
	return nil
}

// measure runs a command and returns its wall time and the CPU time and
// peak memory of it and of the processes it waited for.
func measure(argv []string, env ...string) (sample, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = os.Stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return sample{}, err
	}
	s := sample{wall: time.Since(start), user: cmd.ProcessState.UserTime(), sys: cmd.ProcessState.SystemTime()}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		s.rssMB = float64(ru.Maxrss) / 1024 // kilobytes on Linux
	}
	return s, nil
}

func printRun(r, n int, label string, got map[string][]sample) {
	last := func(name string) sample { return got[name][len(got[name])-1] }
	g, c, f, a, k, h := last("generate"), last("cp -r"), last("floor"), last("again"), last("check"), last("sha256sum")
	fmt.Printf("%srun %d, %d sites: generate %.2fs (user %.2fs, sys %.2fs, %.0f MB) / cp -r %.2fs = %.2fx; floor %.2fs = %.2fx cp -r; again %.2fs / sha256sum %.2fs = %.2fx; check %.2fs = %.2fx",
		prefix(label), r, n, g.wall.Seconds(), g.user.Seconds(), g.sys.Seconds(), g.rssMB, c.wall.Seconds(), ratio(g, c),
		f.wall.Seconds(), ratio(f, c), a.wall.Seconds(), h.wall.Seconds(), ratio(a, h), k.wall.Seconds(), ratio(k, h))
	if len(got["again-full"]) > 0 {
		af, kf := last("again-full"), last("check-full")
		fmt.Printf("; --no-cache: again %.2fs = %.2fx, check %.2fs = %.2fx", af.wall.Seconds(), ratio(af, h), kf.wall.Seconds(), ratio(kf, h))
	}
	fmt.Println()
}

func summary(n, files int, bytes int64, label string, got map[string][]sample) {
	ratios := func(a, b string) []float64 {
		var out []float64
		for i := range got[a] {
			out = append(out, ratio(got[a][i], got[b][i]))
		}
		return out
	}
	g := got["generate"]
	fmt.Printf("\n%s%d sites, %d files, %.0f MB; medians of %d alternating runs:\n", prefix(label), n, files, float64(bytes)/1e6, len(g))
	fmt.Printf("  generate, empty folder:  %.2fx the wall time of cp -r (%.2fs against %.2fs)\n", medianOf(ratios("generate", "cp -r")), median(g, wall), median(got["cp -r"], wall))
	fmt.Printf("  floor (atomic-copy):     %.2fx the wall time of cp -r (%.2fs; user %.2fs, system %.2fs); generate %.2fx the floor\n",
		medianOf(ratios("floor", "cp -r")), median(got["floor"], wall), median(got["floor"], user), median(got["floor"], sys), medianOf(ratios("generate", "floor")))
	fmt.Printf("  generate, nothing new:   %.2fx the wall time of sha256sum of every file (%.2fs against %.2fs)\n", medianOf(ratios("again", "sha256sum")), median(got["again"], wall), median(got["sha256sum"], wall))
	fmt.Printf("  check, up to date:       %.2fx the wall time of sha256sum (%.2fs)\n", medianOf(ratios("check", "sha256sum")), median(got["check"], wall))
	if len(got["again-full"]) > 0 {
		fmt.Printf("  with --no-cache:         generate %.2fx sha256sum (%.2fs), check %.2fx (%.2fs)\n", medianOf(ratios("again-full", "sha256sum")), median(got["again-full"], wall),
			medianOf(ratios("check-full", "sha256sum")), median(got["check-full"], wall))
	}
	fmt.Printf("  user CPU:                again %.2fs, check %.2fs, sha256sum %.2fs\n", median(got["again"], user), median(got["check"], user), median(got["sha256sum"], user))
	fmt.Printf("  generate's user CPU:     %.2fs (%.0f us a file; cp -r %.2fs), system %.2fs (cp -r %.2fs)\n", median(g, user), median(g, user)*1e6/float64(max(files, 1)),
		median(got["cp -r"], user), median(g, sys), median(got["cp -r"], sys))
	fmt.Printf("  peak memory:             generate %.0f MB, again %.0f MB, check %.0f MB\n", median(g, rss), median(got["again"], rss), median(got["check"], rss))
}

func ratio(a, b sample) float64 { return a.wall.Seconds() / b.wall.Seconds() }

func wall(s sample) float64 { return s.wall.Seconds() }
func user(s sample) float64 { return s.user.Seconds() }
func sys(s sample) float64  { return s.sys.Seconds() }
func rss(s sample) float64  { return s.rssMB }

func median(list []sample, f func(sample) float64) float64 {
	var v []float64
	for _, s := range list {
		v = append(v, f(s))
	}
	return medianOf(v)
}

func medianOf(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	v = slices.Clone(v)
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

// treeSize counts the files below dir and their bytes.
func treeSize(dir string) (files int, bytes int64) {
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				files++
				bytes += info.Size()
			}
		}
		return nil
	})
	return files, bytes
}
