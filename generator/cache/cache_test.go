package cache

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// hexN is a valid key or sum: 64 lowercase hex digits, distinct for each
// n, and sorted as n is.
func hexN(n int) string { return fmt.Sprintf("%064x", n) }

// Bases of the keys and sums of test entries: both hold letters, so that
// an upper-case key or sum differs from the valid one.
const (
	keyBase = 0xabcdef << 32
	sumBase = 0xfedcba << 32
)

// key and sum are distinct valid values for test entry n, sorted as n is.
func key(n int) string { return hexN(keyBase + n) }
func sum(n int) string { return hexN(sumBase + n) }

// binA is a binary id; the cache file of it is sums-binA.
var binA = strings.Repeat("ab", 32)

// cacheFile is the file Open(dir, bin) reads and Save writes.
func cacheFile(dir, bin string) string { return filepath.Join(dir, prefix+bin) }

// fileBody is what a cache file holding entries (key -> sum) looks like.
func fileBody(entries map[string]string) string {
	keys := make([]string, 0, len(entries))
	for k := range entries {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(header)
	for _, k := range keys {
		b.WriteString(k + " " + entries[k] + "\n")
	}
	return b.String()
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// noTemps fails if Save left one of its temporary files in dir.
func noTemps(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".tmp-"+prefix) {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

// wantGet fails unless s maps k to v.
func wantGet(t *testing.T, s *Store, k, v string) {
	t.Helper()
	if got, ok := s.Get(k); !ok || got != v {
		t.Errorf("Get(%.12s…) = %q, %v; want %q, true", k, got, ok, v)
	}
}

// wantMiss fails if s has anything for k.
func wantMiss(t *testing.T, s *Store, k string) {
	t.Helper()
	if got, ok := s.Get(k); ok || got != "" {
		t.Errorf("Get(%.12q) = %q, %v; want a miss", k, got, ok)
	}
}

// TestDirOff proves that PCHAT_HADR_CACHE=off turns the cache off.
func TestDirOff(t *testing.T) {
	t.Setenv(Env, "off")
	if dir, ok := Dir(); ok || dir != "" {
		t.Errorf("Dir() = %q, %v; want \"\", false", dir, ok)
	}
}

// TestDirSet proves that a set PCHAT_HADR_CACHE is the folder, as given
// (it is not cleaned, made absolute or checked), and that only the exact
// word "off" turns the cache off.
func TestDirSet(t *testing.T) {
	for _, v := range []string{t.TempDir(), "relative/cache", "OFF", "off/"} {
		t.Setenv(Env, v)
		if dir, ok := Dir(); !ok || dir != v {
			t.Errorf("%s=%q: Dir() = %q, %v; want %q, true", Env, v, dir, ok, v)
		}
	}
}

// TestDirDefault proves that an empty PCHAT_HADR_CACHE falls back to
// pchat-hadr in the user's cache folder, and that there is no cache when
// that folder cannot be told.
func TestDirDefault(t *testing.T) {
	xdg, home := t.TempDir(), t.TempDir()
	t.Setenv(Env, "")

	t.Setenv("XDG_CACHE_HOME", xdg)
	t.Setenv("HOME", home)
	base, err := os.UserCacheDir()
	if err != nil {
		t.Fatal(err)
	}
	if dir, ok := Dir(); !ok || dir != filepath.Join(base, "pchat-hadr") {
		t.Errorf("Dir() = %q, %v; want %q, true", dir, ok, filepath.Join(base, "pchat-hadr"))
	}
	if dir, _ := Dir(); isLinux() && dir != filepath.Join(xdg, "pchat-hadr") {
		t.Errorf("Dir() = %q; want $XDG_CACHE_HOME/pchat-hadr", dir)
	}
	if !isLinux() {
		return // the rest is the XDG rules of os.UserCacheDir on Linux
	}

	t.Setenv("XDG_CACHE_HOME", "")
	if dir, ok := Dir(); !ok || dir != filepath.Join(home, ".cache", "pchat-hadr") {
		t.Errorf("without XDG_CACHE_HOME: Dir() = %q, %v; want $HOME/.cache/pchat-hadr", dir, ok)
	}

	t.Setenv("HOME", "")
	if dir, ok := Dir(); ok || dir != "" {
		t.Errorf("without XDG_CACHE_HOME and HOME: Dir() = %q, %v; want \"\", false", dir, ok)
	}

	t.Setenv("XDG_CACHE_HOME", "relative")
	if dir, ok := Dir(); ok || dir != "" {
		t.Errorf("relative XDG_CACHE_HOME: Dir() = %q, %v; want \"\", false", dir, ok)
	}
}

func isLinux() bool { return filepath.Separator == '/' && fileExists("/proc/self") }

func fileExists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

// TestOpenMissing proves that a cache whose folder or file is not there is
// empty, and that Open creates nothing.
func TestOpenMissing(t *testing.T) {
	root := t.TempDir()
	for _, dir := range []string{root, filepath.Join(root, "no", "such", "folder")} {
		s := Open(dir, binA)
		wantMiss(t, s, key(1))
		wantMiss(t, s, "")
	}
	if entries, _ := os.ReadDir(root); len(entries) != 0 {
		t.Errorf("Open created %v", entries)
	}
}

// TestPutSaveOpen proves that what a run Puts and Saves, the next run Gets,
// and that the file is the header and sorted "key sum" lines, written under
// the binary's name without a temporary file left.
func TestPutSaveOpen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "made", "by", "save")
	s := Open(dir, binA)
	want := map[string]string{}
	for _, n := range []int{7, 3, 11, 1, 5} {
		s.Put(key(n), sum(n))
		want[key(n)] = sum(n)
	}
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	file := cacheFile(dir, binA)
	got := readFile(t, file)
	if got != fileBody(want) {
		t.Errorf("file:\n%s\nwant:\n%s", got, fileBody(want))
	}
	if !strings.HasPrefix(got, header) {
		t.Errorf("file does not start with the header: %.80q", got)
	}
	lines := strings.Split(strings.TrimSuffix(strings.TrimPrefix(got, header), "\n"), "\n")
	if !sort.StringsAreSorted(lines) || len(lines) != len(want) {
		t.Errorf("lines not sorted, or not one per entry: %q", lines)
	}
	noTemps(t, dir)

	again := Open(dir, binA)
	for k, v := range want {
		wantGet(t, again, k, v)
	}
	wantMiss(t, again, key(2))
}

// TestPutNotVisibleBeforeSave records that Get answers from the file as
// read by Open (and as merged by the last Save), not from this run's Puts:
// a run never needs the sum of a site it has just rendered.
func TestPutNotVisibleBeforeSave(t *testing.T) {
	dir := t.TempDir()
	s := Open(dir, binA)
	s.Put(key(1), sum(1))
	wantMiss(t, s, key(1))
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	wantGet(t, s, key(1), sum(1))
}

// TestSaveWithoutPutWritesNothing proves that a run that recorded nothing
// new creates no folder and no file, and leaves an existing file alone:
// neither Gets nor Puts of what the file already holds count.
func TestSaveWithoutPutWritesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache")
	s := Open(dir, binA)
	wantMiss(t, s, key(1))
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	if fileExists(dir) {
		t.Fatalf("Save without Put created %s", dir)
	}

	body := fileBody(map[string]string{key(1): sum(1), key(2): sum(2)})
	file := cacheFile(dir, binA)
	writeFile(t, file, body)
	old := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	if err := os.Chtimes(file, old, old); err != nil {
		t.Fatal(err)
	}
	s = Open(dir, binA)
	wantGet(t, s, key(1), sum(1))
	s.Put(key(2), sum(2)) // as recorded: nothing new
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Stat(file); err != nil || !info.ModTime().Equal(old) {
		t.Errorf("Save rewrote a file it had nothing new for (%v, %v)", info.ModTime(), err)
	}
	if got := readFile(t, file); got != body {
		t.Errorf("file changed:\n%s", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("folder holds %v; want only the cache file", entries)
	}

	// A second Save after a first has nothing new either.
	s.Put(key(3), sum(3))
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(file, old, old); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(file); !info.ModTime().Equal(old) {
		t.Error("a second Save with nothing new rewrote the file")
	}
}

// TestPutChangedSum proves that a Put of a known key with another sum is
// something new: it is saved and replaces the old sum.
func TestPutChangedSum(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, cacheFile(dir, binA), fileBody(map[string]string{key(1): sum(1), key(2): sum(2)}))
	s := Open(dir, binA)
	s.Put(key(1), sum(9))
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	if got, want := readFile(t, cacheFile(dir, binA)), fileBody(map[string]string{key(1): sum(9), key(2): sum(2)}); got != want {
		t.Errorf("file:\n%s\nwant:\n%s", got, want)
	}
}

// TestMergeOnSave proves that two runs that opened the same cache and each
// recorded other sites both keep their entries, and that entries of the
// file neither touched survive too; for a key both recorded, the last Save
// wins.
func TestMergeOnSave(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, cacheFile(dir, binA), fileBody(map[string]string{key(0): sum(0)}))
	a, b := Open(dir, binA), Open(dir, binA)
	a.Put(key(1), sum(1))
	a.Put(key(3), sum(3))
	b.Put(key(2), sum(2))
	b.Put(key(3), sum(33))
	if err := a.Save(); err != nil {
		t.Fatal(err)
	}
	if err := b.Save(); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{key(0): sum(0), key(1): sum(1), key(2): sum(2), key(3): sum(33)}
	if got := readFile(t, cacheFile(dir, binA)); got != fileBody(want) {
		t.Errorf("file:\n%s\nwant:\n%s", got, fileBody(want))
	}
	c := Open(dir, binA)
	for k, v := range want {
		wantGet(t, c, k, v)
	}
	// b saw a's entries when it saved; a sees only its own until it opens
	// again.
	wantGet(t, b, key(1), sum(1))
	wantMiss(t, a, key(2))
	noTemps(t, dir)
}

// TestDamagedFile proves that a damaged cache loses only the entries from
// the damage on: a bad header loses everything, a bad line everything from
// it; nothing panics, and Gets of anything are misses.
func TestDamagedFile(t *testing.T) {
	line := func(n int) string { return key(n) + " " + sum(n) + "\n" }
	cases := []struct {
		name, body string
		want       []int // entries read back
	}{
		{"empty file", "", nil},
		{"header only", header, nil},
		{"no header", line(1) + line(2), nil},
		{"other header", "# pchat-hadr cache 2: site key, sha256 of the MANIFEST it renders\n" + line(1), nil},
		{"header without its newline", strings.TrimSuffix(header, "\n") + line(1), nil},
		{"binary garbage", "\x00\xff\xfe garbage \x00\n\n\r\n", nil},
		{"bad line in the middle", header + line(1) + line(2) + "oops\n" + line(4) + line(5), []int{1, 2}},
		{"blank line in the middle", header + line(1) + "\n" + line(4), []int{1}},
		{"upper-case key", header + line(1) + strings.ToUpper(key(2)) + " " + sum(2) + "\n" + line(3), []int{1}},
		{"short sum", header + line(1) + key(2) + " " + sum(2)[:63] + "\n" + line(3), []int{1}},
		{"extra field", header + line(1) + key(2) + " " + sum(2) + " x\n" + line(3), []int{1}},
		{"tab for space", header + line(1) + key(2) + "\t" + sum(2) + "\n" + line(3), []int{1}},
		{"two spaces", header + line(1) + key(2) + "  " + sum(2) + "\n" + line(3), []int{1}},
		{"truncated last line", header + line(1) + line(2) + line(3)[:70], []int{1, 2}},
		{"last line without newline", header + line(1) + strings.TrimSuffix(line(2), "\n"), []int{1, 2}},
		{"CRLF line ends", strings.ReplaceAll(header+line(1)+line(2), "\n", "\r\n"), nil},
		{"line too long for the scanner", header + line(1) + strings.Repeat("x", 1<<17) + "\n" + line(3), []int{1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, cacheFile(dir, binA), c.body)
			s := Open(dir, binA)
			read := map[int]bool{}
			for _, n := range c.want {
				read[n] = true
				wantGet(t, s, key(n), sum(n))
			}
			for n := 0; n <= 5; n++ {
				if !read[n] {
					wantMiss(t, s, key(n))
				}
			}
			for _, g := range []string{"", "oops", "x", "garbage", header, strings.ToUpper(key(2)), sum(1)} {
				wantMiss(t, s, g)
			}

			// Saving repairs the file: what was read and what was put.
			s.Put(key(9), sum(9))
			if err := s.Save(); err != nil {
				t.Fatal(err)
			}
			want := map[string]string{key(9): sum(9)}
			for _, n := range c.want {
				want[key(n)] = sum(n)
			}
			if got := readFile(t, cacheFile(dir, binA)); got != fileBody(want) {
				t.Errorf("after Save:\n%q\nwant:\n%q", got, fileBody(want))
			}
		})
	}
}

// TestUnreadableCacheIsEmpty proves that a cache path that is a folder
// reads as empty, and that Save then fails (the rename cannot replace a
// folder) without leaving its temporary file; and that Save fails when the
// cache folder cannot be made.
func TestUnreadableCacheIsEmpty(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(cacheFile(dir, binA), "inside"), 0o755); err != nil {
		t.Fatal(err)
	}
	s := Open(dir, binA)
	wantMiss(t, s, key(1))
	s.Put(key(1), sum(1))
	if err := s.Save(); err == nil {
		t.Error("Save over a folder succeeded")
	}
	noTemps(t, dir)

	blocked := filepath.Join(t.TempDir(), "file")
	writeFile(t, blocked, "not a folder\n")
	s = Open(filepath.Join(blocked, "cache"), binA)
	s.Put(key(1), sum(1))
	if err := s.Save(); err == nil {
		t.Error("Save in a folder below a file succeeded")
	}
}

// TestNonHexIsNotRecorded: Put records only 64-hex keys and sums, so
// that every line Save writes is read back and none hides the ones after
// it (a key "0" sorted first and stopped the reading at it).
func TestNonHexIsNotRecorded(t *testing.T) {
	dir := t.TempDir()
	upper := strings.ToUpper(strings.Repeat("ef", 32))
	s := Open(dir, binA)
	s.Put("0", sum(0))
	s.Put(key(1), sum(1))
	s.Put("some-key", sum(2))
	s.Put(key(3), "not a sum")
	s.Put(upper, sum(4))
	s.Put(key(5), sum(5))
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	if got, want := readFile(t, cacheFile(dir, binA)), header+key(1)+" "+sum(1)+"\n"+key(5)+" "+sum(5)+"\n"; got != want {
		t.Errorf("file:\n%s\nwant\n%s", got, want)
	}
	again := Open(dir, binA)
	wantGet(t, again, key(1), sum(1))
	wantGet(t, again, key(5), sum(5))
	wantMiss(t, again, key(3))
	wantMiss(t, again, "some-key")
	wantMiss(t, again, upper)
}

// TestPrune proves that Save keeps the cache of this binary and those of
// the keepBinaries-1 other binaries most recently written, and removes the
// rest; files not named like a cache are never removed.
func TestPrune(t *testing.T) {
	dir := t.TempDir()
	now := time.Now()
	// Six other binaries, binary i written i hours ago.
	var others []string
	for i := 1; i <= 6; i++ {
		bin := hexN(0xb1000 + i)
		others = append(others, bin)
		f := cacheFile(dir, bin)
		writeFile(t, f, fileBody(map[string]string{key(i): sum(i)}))
		at := now.Add(-time.Duration(i) * time.Hour)
		if err := os.Chtimes(f, at, at); err != nil {
			t.Fatal(err)
		}
	}
	foreign := []string{"notes.txt", "sums-short", prefix + strings.ToUpper(hexN(0xc1)), prefix + hexN(0xc2) + ".bak",
		"x" + prefix + hexN(0xc3)}
	ancient := now.Add(-1000 * time.Hour)
	// A killed Save's temporary file goes once it is a day old.
	staleTemp, freshTemp := filepath.Join(dir, ".tmp-"+prefix+"123"), filepath.Join(dir, ".tmp-"+prefix+"456")
	writeFile(t, staleTemp, "partial")
	writeFile(t, freshTemp, "partial")
	if err := os.Chtimes(staleTemp, now.Add(-25*time.Hour), now.Add(-25*time.Hour)); err != nil {
		t.Fatal(err)
	}
	for _, n := range foreign {
		writeFile(t, filepath.Join(dir, n), "mine\n")
		if err := os.Chtimes(filepath.Join(dir, n), ancient, ancient); err != nil {
			t.Fatal(err)
		}
	}
	if keepBinaries != 4 {
		t.Fatalf("keepBinaries is %d; this test expects 4", keepBinaries)
	}

	s := Open(dir, binA)
	s.Put(key(1), sum(1))
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	for i, bin := range others {
		if want := i < keepBinaries-1; fileExists(cacheFile(dir, bin)) != want {
			t.Errorf("binary written %d hours ago: kept %v; want %v", i+1, !want, want)
		}
	}
	if !fileExists(cacheFile(dir, binA)) {
		t.Error("this binary's cache was removed")
	}
	for _, n := range foreign {
		if !fileExists(filepath.Join(dir, n)) {
			t.Errorf("%s was removed", n)
		}
	}
	if fileExists(staleTemp) || !fileExists(freshTemp) {
		t.Errorf("temporary files: a day old kept %v, new kept %v; want false, true", fileExists(staleTemp), fileExists(freshTemp))
	}
}

// TestPruneKeepsFew proves that nothing is removed while there are no more
// than keepBinaries caches, ours included, and that one more removes only
// the oldest other.
func TestPruneKeepsFew(t *testing.T) {
	dir := t.TempDir()
	past := time.Now().Add(-time.Hour)
	var others []string
	for i := 1; i < keepBinaries; i++ {
		bin := hexN(0xe000 + i)
		others = append(others, bin)
		writeFile(t, cacheFile(dir, bin), header)
	}
	s := Open(dir, binA)
	s.Put(key(1), sum(1))
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	for _, bin := range others {
		if !fileExists(cacheFile(dir, bin)) {
			t.Errorf("%s removed with only %d caches", bin, keepBinaries)
		}
	}

	// A fourth other binary appears: the oldest other goes.
	if err := os.Chtimes(cacheFile(dir, others[0]), past, past); err != nil {
		t.Fatal(err)
	}
	extra := hexN(0xe0ff)
	writeFile(t, cacheFile(dir, extra), header)
	s.Put(key(2), sum(2))
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	if fileExists(cacheFile(dir, others[0])) {
		t.Error("the oldest other binary's cache was kept")
	}
	for _, bin := range append(others[1:], extra, binA) {
		if !fileExists(cacheFile(dir, bin)) {
			t.Errorf("%s removed", bin)
		}
	}
}

// bigBody is a cache file of maxEntries valid entries key(i) -> sum(i),
// made once for the tests that need one that large; bigCache writes its
// first n entries.
var bigBody = sync.OnceValue(func() []byte {
	var b bytes.Buffer
	b.Grow(len(header) + maxEntries*lineLen)
	b.WriteString(header)
	var k, v [64]byte
	for i := 0; i < maxEntries; i++ {
		hex32(k[:], uint64(keyBase+i))
		hex32(v[:], uint64(sumBase+i))
		b.Write(k[:])
		b.WriteByte(' ')
		b.Write(v[:])
		b.WriteByte('\n')
	}
	return b.Bytes()
})

// lineLen is the length of a "key sum" line.
const lineLen = 64 + 1 + 64 + 1

func bigCache(t *testing.T, file string, n int) {
	t.Helper()
	if err := os.WriteFile(file, bigBody()[:len(header)+n*lineLen], 0o600); err != nil {
		t.Fatal(err)
	}
}

// skipBig skips the tests that write a 26 MB cache file where they would be
// slow: with -short, and under the race detector (they use one goroutine).
func skipBig(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("writes a 26 MB cache file")
	}
	if raceEnabled() {
		t.Skip("writes a 26 MB cache file: slow under -race, and single-threaded")
	}
	t.Parallel()
}

func raceEnabled() bool {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range info.Settings {
		if s.Key == "-race" {
			return s.Value == "true"
		}
	}
	return false
}

// hex32 writes x as 64 lowercase hex digits, as hexN does, without fmt.
func hex32(dst []byte, x uint64) {
	const digits = "0123456789abcdef"
	for i := len(dst) - 1; i >= 0; i-- {
		dst[i] = digits[x&15]
		x >>= 4
	}
}

// countEntries reads back the entries of a cache file.
func countEntries(t *testing.T, file string) map[string]string {
	t.Helper()
	m, err := read(file)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestMaxEntriesReset proves that a file that would grow past maxEntries
// is replaced by the entries of this run: those it found (Get) and those it
// recorded (Put). (To read the 26 MB file once only, the run opens a small
// cache, which another run grows to maxEntries before this one saves.)
func TestMaxEntriesReset(t *testing.T) {
	skipBig(t)
	dir := t.TempDir()
	file := cacheFile(dir, binA)
	writeFile(t, file, fileBody(map[string]string{key(5): sum(5), key(maxEntries - 1): sum(maxEntries - 1), key(3): sum(3)}))
	s := Open(dir, binA)
	wantGet(t, s, key(5), sum(5))
	wantGet(t, s, key(maxEntries-1), sum(maxEntries-1))
	s.Put(key(maxEntries+7), sum(maxEntries+7))
	bigCache(t, file, maxEntries)
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{key(5): sum(5), key(maxEntries - 1): sum(maxEntries - 1), key(maxEntries + 7): sum(maxEntries + 7)}
	if got := readFile(t, file); got != fileBody(want) {
		t.Errorf("after the reset the file holds %d bytes; want only this run's 3 entries:\n%s", len(got), fileBody(want))
	}
}

// TestMaxEntriesNoResetBelow proves that a file that stays within
// maxEntries keeps every entry: here another run saved maxEntries-1 since
// this one opened the cache, and this one adds one.
func TestMaxEntriesNoResetBelow(t *testing.T) {
	skipBig(t)
	dir := t.TempDir()
	file := cacheFile(dir, binA)
	s := Open(dir, binA)
	s.Put(key(maxEntries+7), sum(maxEntries+7))
	bigCache(t, file, maxEntries-1)
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	// The new key sorts last: the file is the other run's and its line.
	got := readFile(t, file)
	want := string(bigBody()[:len(header)+(maxEntries-1)*lineLen]) + key(maxEntries+7) + " " + sum(maxEntries+7) + "\n"
	if got != want {
		t.Errorf("file holds %d bytes, %d lines; want all %d entries (%d bytes)", len(got), strings.Count(got, "\n")-1, maxEntries, len(want))
	}
}

// TestMaxEntriesCountsTheMerge: Save resets the file only when the merge
// is past maxEntries; keys of this run already in the file count once.
func TestMaxEntriesCountsTheMerge(t *testing.T) {
	skipBig(t)
	dir := t.TempDir()
	file := cacheFile(dir, binA)
	s := Open(dir, binA)
	s.Put(key(1), sum(101))
	s.Put(key(2), sum(102))
	bigCache(t, file, maxEntries-1)
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	got := readFile(t, file)
	if n := strings.Count(got, "\n") - 1; n != maxEntries-1 || !strings.Contains(got, key(1)+" "+sum(101)+"\n") {
		t.Errorf("file holds %d entries; the merge has %d, within maxEntries (%d), so none should be dropped", n, maxEntries-1, maxEntries)
	}
}

// TestBinaryID proves that BinaryID is the hash of the running
// executable's Go build ID as the go command reads it (`go tool buildid`),
// stable across calls, in the form a cache file name takes.
func TestBinaryID(t *testing.T) {
	id, err := BinaryID()
	if err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("go", "tool", "buildid", exe).Output()
	if err != nil {
		t.Fatalf("go tool buildid: %v", err)
	}
	h := sha256.Sum256([]byte(buildIDTag + strings.TrimSpace(string(out))))
	if want := hex.EncodeToString(h[:]); id != want {
		t.Errorf("BinaryID() = %s; want the hash of build ID %s, %s", id, strings.TrimSpace(string(out)), want)
	}
	if !isSum(id) {
		t.Errorf("BinaryID() = %q; not 64 lowercase hex digits", id)
	}
	if again, _ := BinaryID(); again != id {
		t.Errorf("BinaryID() changed: %s, then %s", id, again)
	}
}

// TestBinaryIDWithoutBuildID: a file that is not ELF and has no
// well-formed Go build ID marker in its first 64 KB is identified by the sha256 of all of it, so two such
// binaries that differ anywhere get different ids; one with a build ID is
// identified by that alone.
func TestBinaryIDWithoutBuildID(t *testing.T) {
	mark := func(id string) string { return "\xff Go build ID: \"" + id + "\"\n \xff" }
	body := strings.Repeat("x", 100<<10)
	for _, tc := range []struct{ name, file string }{
		{"none", body},
		{"empty id", mark("") + body},
		{"one part", mark("abc") + body},
		{"empty part", mark("abc//def") + body},
		{"not base64url", mark("ab c/def") + body},
		{"forced by -ldflags=-buildid=abc/def", mark("abc/def") + body},
		{"three parts", mark(goodID[:62]) + body},
		{"unterminated", "\xff Go build ID: \"abc/def" + body},
		{"past the window", body + mark("abc/def")},
	} {
		got, err := idOf(strings.NewReader(tc.file))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256([]byte(tc.file))
		if want := hex.EncodeToString(sum[:]); got != want {
			t.Errorf("%s: id %s, want the file's sha256 %s", tc.name, got, want)
		}
	}
	a, _ := idOf(strings.NewReader("head" + mark(goodID) + body))
	b, _ := idOf(strings.NewReader(mark(goodID) + body + "changed"))
	c, _ := idOf(strings.NewReader(mark(strings.Replace(goodID, "E", "F", 1)) + body))
	if a != b || a == c || !isSum(a) {
		t.Errorf("ids by build ID: %s, %s (want equal), %s (want different)", a, b, c)
	}
}

// TestConcurrent proves, under -race, that Gets, Puts and Saves from many
// goroutines at once are safe, and that every Put is saved.
func TestConcurrent(t *testing.T) {
	dir := t.TempDir()
	seed := map[string]string{}
	for i := 0; i < 100; i++ {
		seed[key(i)] = sum(i)
	}
	writeFile(t, cacheFile(dir, binA), fileBody(seed))
	s := Open(dir, binA)
	const workers, each = 16, 200
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				if v, ok := s.Get(key(i % 100)); !ok || v != sum(i%100) {
					t.Errorf("Get(key(%d)) = %q, %v", i%100, v, ok)
				}
				n := 1000 + w*each + i
				s.Put(key(n), sum(n))
				s.Get(key(n))
				if i%100 == 0 {
					if err := s.Save(); err != nil {
						t.Errorf("Save: %v", err)
					}
				}
			}
		}(w)
	}
	wg.Wait()
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	got := countEntries(t, cacheFile(dir, binA))
	if len(got) != 100+workers*each {
		t.Errorf("file holds %d entries; want %d", len(got), 100+workers*each)
	}
	for n := 1000; n < 1000+workers*each; n++ {
		if got[key(n)] != sum(n) {
			t.Fatalf("entry %d lost", n)
		}
	}
	noTemps(t, dir)
}

// goodID has the form the go command gives an executable.
const goodID = "Ekl3L1tDaXAm1HE1GMad/c1RE2e9j4zn5p5Ij7gVO/H5CLMcVEBHF89J5EVQH1/gt3oEf2VSqwk9od8dHkH"

// TestELFNoteID: the note must name "Go" with type 4 and hold its id
// whole, in the go command's form; anything else falls back to hashing
// the file.
func TestELFNoteID(t *testing.T) {
	note := func(namesz, size, typ uint32, name, id string) []byte {
		b := binary.LittleEndian.AppendUint32(nil, namesz)
		b = binary.LittleEndian.AppendUint32(b, size)
		b = binary.LittleEndian.AppendUint32(b, typ)
		return append(append(b, name...), id...)
	}
	for _, tc := range []struct {
		name string
		note []byte
		ok   bool
	}{
		{"good", note(4, 83, 4, "Go\x00\x00", goodID), true},
		{"short id", note(4, 84, 4, "Go\x00\x00", goodID), false},
		{"other type", note(4, 83, 3, "Go\x00\x00", goodID), false},
		{"other name", note(4, 83, 4, "GNU\x00", goodID), false},
		{"malformed id", note(4, 7, 4, "Go\x00\x00", "abc/d f"), false},
		{"two parts, as -ldflags=-buildid=abc/def gives", note(4, 7, 4, "Go\x00\x00", "abc/def"), false},
		{"a part of 19", note(4, 82, 4, "Go\x00\x00", goodID[1:]), false},
		{"truncated", note(4, 7, 4, "Go\x00", ""), false},
	} {
		id, ok := elfNoteID(tc.note, binary.LittleEndian)
		if ok != tc.ok || ok && id != goodID {
			t.Errorf("%s: %q %v, want ok %v", tc.name, id, ok, tc.ok)
		}
	}
}

func BenchmarkBinaryID(b *testing.B) {
	for b.Loop() {
		if _, err := BinaryID(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestForcedBuildIDIsNotTrusted: a binary whose build settings show
// -ldflags=-buildid=... carries the id it was given, whatever its code:
// it is hashed whole.
func TestForcedBuildIDIsNotTrusted(t *testing.T) {
	old := forcedBuildID
	forcedBuildID = func() bool { return true }
	defer func() { forcedBuildID = old }()
	file := "\xff Go build ID: \"" + goodID + "\"\n \xff" + strings.Repeat("x", 1000)
	got, err := idOf(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256([]byte(file)); got != hex.EncodeToString(sum[:]) {
		t.Errorf("id %s: not the file's sha256", got)
	}
}
