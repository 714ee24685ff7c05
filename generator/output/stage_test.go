package output

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"pchat-hadr/generator/manifest"
)

// snapshot records every path below root: folders, file contents and
// symbolic link targets, so that a test can tell whether anything changed.
func snapshot(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			out[p] = "link:" + target
			return err
		case d.IsDir():
			out[p] = "dir"
		default:
			data, err := os.ReadFile(p)
			out[p] = "file:" + string(data)
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// sameTree fails for every path added, removed or changed since before.
func sameTree(t *testing.T, before, after map[string]string) {
	t.Helper()
	for p, v := range after {
		if w, ok := before[p]; !ok {
			t.Errorf("%s: new after Abort (%.40q)", p, v)
		} else if w != v {
			t.Errorf("%s: changed from %.40q to %.40q", p, w, v)
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			t.Errorf("%s: gone after Abort", p)
		}
	}
}

// v2 changes every file of v1 and adds one in a new folder.
var v2 = map[string]string{"a.sql": "A2\n", "sub/b.sql": "B2\n", "RUNBOOK.md": "R2\n", "new/deep/c.sql": "C2\n"}

// abortLeaves aborts s and fails unless the tree below root is as before,
// with no temporary file.
func abortLeaves(t *testing.T, s *Stager, root string, before map[string]string) {
	t.Helper()
	s.Abort()
	noTempFiles(t, root)
	sameTree(t, before, snapshot(t, root))
}

// TestStagerConflictInSecondSiteLeavesNothing proves that when the second
// of two sites has a conflict, the first site's staged files and the
// folders staging created are all removed by Abort: the tree is exactly as
// before, with no .pchat-hadr-*.tmp file anywhere.
func TestStagerConflictInSecondSiteLeavesNothing(t *testing.T) {
	root := t.TempDir()
	one, two, three := filepath.Join(root, "out", "one"), filepath.Join(root, "out", "two"), filepath.Join(root, "out", "three")
	generate(t, false, newSite(two, v1), newSite(three, v1))
	edited := filepath.Join(two, "sub", "b.sql")
	write(t, edited, "my edit\n")
	before := snapshot(t, root)

	s := NewStager(false)
	if err := s.Add(newSite(one, v2)); err != nil { // new site: new folders
		t.Fatalf("Add(one): %v", err)
	}
	if err := s.Add(newSite(three, v2)); err != nil { // existing site: updates
		t.Fatalf("Add(three): %v", err)
	}
	if !exists(one) {
		t.Fatal("staging the first site created nothing; the test proves nothing")
	}
	if err := s.Add(newSite(two, v2)); err != nil {
		t.Fatalf("Add(two) = %v; conflicts are collected, not returned", err)
	}
	err := s.Err()
	var ce *ConflictError
	if !errors.As(err, &ce) || len(ce.Conflicts) != 1 || ce.Conflicts[0].Path != edited {
		t.Fatalf("Err() = %v; want one conflict for %s", err, edited)
	}
	abortLeaves(t, s, root, before)
}

// TestStagerDirectoryInTheWay proves that a directory where a file goes is
// reported by path before anything is staged for it, and that Abort then
// leaves the previous outputs of every site intact, with no temporary file.
func TestStagerDirectoryInTheWay(t *testing.T) {
	root := t.TempDir()
	one, two := filepath.Join(root, "one"), filepath.Join(root, "two")
	generate(t, false, newSite(one, v1), newSite(two, v1))
	blocked := filepath.Join(two, "new", "deep", "c.sql")
	write(t, filepath.Join(blocked, "inside"), "x\n")
	before := snapshot(t, root)

	s := NewStager(true)
	for _, site := range []Site{newSite(one, v2), newSite(two, v2)} {
		if err := s.Add(site); err != nil {
			t.Fatalf("Add: %v", err)
		}
	}
	if err := s.Err(); err == nil || !strings.Contains(err.Error(), blocked) {
		t.Fatalf("Err() = %v; want one naming %s", err, blocked)
	}
	abortLeaves(t, s, root, before)
}

// stagingFailure stages site one (changes) and then site two, which must
// fail to stage with an error naming wantPath; it then aborts and proves
// that the previous outputs are intact and no temporary file is left. It
// does so with each site's files staged one at a time and side by side
// (Site.Workers), where other files of site two may be staged before and
// after the failing one.
func stagingFailure(t *testing.T, root, one, two, wantPath string) {
	t.Helper()
	before := snapshot(t, root)
	for _, workers := range []int{1, 4} {
		s := NewStager(false)
		first, second := newSite(one, v2), newSite(two, v2)
		first.Workers, second.Workers = workers, workers
		if err := s.Add(first); err != nil {
			t.Fatalf("%d at once: Add(one): %v", workers, err)
		}
		err := s.Add(second)
		if err == nil || !strings.Contains(err.Error(), wantPath) {
			t.Fatalf("%d at once: Add(two) = %v; want an error naming %s", workers, err, wantPath)
		}
		if serr := s.Err(); serr == nil || serr.Error() != err.Error() {
			t.Errorf("%d at once: Err() = %v; want the staging error %v", workers, serr, err)
		}
		abortLeaves(t, s, root, before)
	}
}

// TestStagerFirstFailureInPlanOrder: when two files of a site cannot be
// staged, the error names the first of them in plan order, however many
// files are staged at once, and Abort leaves the tree as it was.
func TestStagerFirstFailureInPlanOrder(t *testing.T) {
	const target = "/proc/self/fdinfo"
	if fi, err := os.Stat(target); err != nil || !fi.IsDir() {
		t.Skipf("no %s here", target)
	}
	root := t.TempDir()
	dir := filepath.Join(root, "site")
	files := map[string]string{"a.sql": "A\n", "sub/b.sql": "B\n", "zz/c.sql": "C\n"}
	for i := range 20 {
		files[fmt.Sprintf("m/f%02d.sql", i)] = "F\n"
	}
	for _, d := range []string{"sub", "zz"} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, filepath.Join(dir, d)); err != nil {
			t.Skipf("cannot create a symbolic link: %v", err)
		}
	}
	before := snapshot(t, root)
	want := filepath.Join(dir, "sub", "b.sql")
	for _, workers := range []int{1, 2, 4} {
		for range 20 {
			s := NewStager(false)
			site := newSite(dir, files)
			site.Workers = workers
			err := s.Add(site)
			if err == nil || !strings.HasPrefix(err.Error(), want+":") {
				t.Fatalf("%d at once: Add = %v; want the error of %s", workers, err, want)
			}
			abortLeaves(t, s, root, before)
		}
	}
}

// TestStagerEarlierFailureReportedWhenLaterFailsFirst: side by side, a
// later file can fail before an earlier one does; the earlier one, already
// started, is still the error reported, as staging one by one reports it.
func TestStagerEarlierFailureReportedWhenLaterFailsFirst(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "site")
	files := map[string]string{"a.sql": "A\n", "b.sql": "B\n", "c.sql": "C\n"}
	before := snapshot(t, root)
	laterFailed := make(chan struct{})
	stageFile = func(path string, data []byte) (uint32, error) {
		switch filepath.Base(path) {
		case "b.sql":
			<-laterFailed
			return 0, errors.New("b cannot be written")
		case "c.sql":
			defer close(laterFailed)
			return 0, errors.New("c cannot be written")
		}
		return writeTemp(path, data)
	}
	defer func() { stageFile = writeTemp }()
	s := NewStager(false)
	site := newSite(dir, files)
	site.Workers = 4
	err := s.Add(site)
	if want := filepath.Join(dir, "b.sql") + ": b cannot be written"; err == nil || err.Error() != want {
		t.Fatalf("Add = %v; want %s", err, want)
	}
	abortLeaves(t, s, root, before)
}

// TestStagerCancelWhileStagingSideBySide: a Cancel while a site's files
// are staged on several goroutines stops the staging between two files,
// Add reports the interruption, and Abort removes every file staged before
// and during it, leaving the tree as it was.
func TestStagerCancelWhileStagingSideBySide(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "out", "site")
	generate(t, false, newSite(dir, v1))
	before := snapshot(t, root)
	many := maps.Clone(v2)
	for i := range 40 {
		many[fmt.Sprintf("more/f%02d.sql", i)] = fmt.Sprintf("F%d\n", i)
	}
	s := NewStager(false)
	var staged atomic.Int32
	Pause = func(event string, n int) {
		if event == "staged" && staged.Add(1) == 3 {
			s.Cancel()
		}
	}
	defer func() { Pause = nil }()
	site := newSite(dir, many)
	site.Workers = 4
	if err := s.Add(site); !errors.Is(err, ErrInterrupted) {
		t.Fatalf("Add = %v; want ErrInterrupted", err)
	}
	if n := staged.Load(); n < 3 || n > 3+4 {
		t.Errorf("%d files staged; want 3, and at most one more a goroutine", n)
	}
	abortLeaves(t, s, root, before)
}

// TestStagerWriteErrorReadOnlyFolder proves that a folder without write
// permission fails staging with an error naming the file, and that Abort
// leaves every previous output intact with no temporary file.
func TestStagerWriteErrorReadOnlyFolder(t *testing.T) {
	root := t.TempDir()
	one, two := filepath.Join(root, "one"), filepath.Join(root, "two")
	generate(t, false, newSite(one, v1), newSite(two, v1))
	sub := filepath.Join(two, "sub")
	if err := os.Chmod(sub, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(sub, 0o755) })
	if f, err := os.Create(filepath.Join(sub, "probe")); err == nil {
		f.Close()
		os.Remove(filepath.Join(sub, "probe"))
		t.Skip("folder is writable despite mode 0555 (running as root?)")
	}
	stagingFailure(t, root, one, two, filepath.Join(sub, "b.sql"))
}

// TestStagerWriteErrorProcFolder proves the same for a write error that
// root gets too: a site subfolder linked to a folder of /proc, where no
// file can be created.
func TestStagerWriteErrorProcFolder(t *testing.T) {
	const target = "/proc/self/fdinfo"
	if fi, err := os.Stat(target); err != nil || !fi.IsDir() {
		t.Skipf("no %s here", target)
	}
	root := t.TempDir()
	one, two := filepath.Join(root, "one"), filepath.Join(root, "two")
	generate(t, false, newSite(one, v1), newSite(two, v1))
	sub := filepath.Join(two, "sub")
	if err := os.RemoveAll(sub); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, sub); err != nil {
		t.Skipf("cannot create a symbolic link: %v", err)
	}
	stagingFailure(t, root, one, two, filepath.Join(sub, "b.sql"))
}

// TestStagerWriteErrorDanglingLink proves the same for a write error that
// root gets too: a dangling symbolic link where staging must create a
// folder. The link is the user's, so Abort must leave it in place.
func TestStagerWriteErrorDanglingLink(t *testing.T) {
	root := t.TempDir()
	one, two := filepath.Join(root, "one"), filepath.Join(root, "two")
	generate(t, false, newSite(one, v1), newSite(two, v1))
	link := filepath.Join(two, "new")
	if err := os.Symlink(filepath.Join(root, "nowhere"), link); err != nil {
		t.Skipf("cannot create a symbolic link: %v", err)
	}
	stagingFailure(t, root, one, two, filepath.Join(link, "deep", "c.sql"))
}

// TestStagerCommitFailureKeepsManifest proves that Commit renames each
// MANIFEST last: when a rename fails (a non-empty folder has replaced a
// staged file's target), the error names that path, every other file holds
// its old or its complete new content, each site's old MANIFEST is still in
// place, and the only temporary files left are the staged MANIFESTs. The
// next run takes the files already renamed for pchat-hadr's (not for hand
// edits), finishes the job and removes them.
func TestStagerCommitFailureKeepsManifest(t *testing.T) {
	root := t.TempDir()
	one, two := filepath.Join(root, "one"), filepath.Join(root, "two")
	generate(t, false, newSite(one, v1), newSite(two, v1))
	s := NewStager(false)
	for _, site := range []Site{newSite(one, v2), newSite(two, v2)} {
		if err := s.Add(site); err != nil {
			t.Fatalf("Add: %v", err)
		}
	}
	if err := s.Err(); err != nil {
		t.Fatalf("Err: %v", err)
	}
	// Paths commit in order: one/ before two/, so one's files are all in
	// place when the rename onto two/RUNBOOK.md fails.
	blocked := filepath.Join(two, "RUNBOOK.md")
	if err := os.Remove(blocked); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(blocked, "inside"), "x\n")
	err := s.Commit()
	if err == nil || !strings.Contains(err.Error(), blocked) {
		t.Fatalf("Commit = %v; want an error naming %s", err, blocked)
	}
	if read(t, filepath.Join(one, "a.sql")) != v2["a.sql"] {
		t.Error("one/a.sql was not renamed before the failure; the test does not prove MANIFEST comes last")
	}
	for _, dir := range []string{one, two} {
		for p := range maps.Keys(v2) {
			full := filepath.Join(dir, filepath.FromSlash(p))
			if full == blocked || v1[p] == "" && !exists(full) {
				continue
			}
			if got := read(t, full); got != v1[p] && got != v2[p] {
				t.Errorf("%s holds %q: neither old nor new content", full, got)
			}
		}
		m := newSite(dir, v1).Files
		if read(t, filepath.Join(dir, manifest.Name)) != string(m[len(m)-1].Data) {
			t.Errorf("%s/MANIFEST was replaced although Commit failed", dir)
		}
	}
	onlyStagedManifests(t, root)
	if err := os.RemoveAll(blocked); err != nil {
		t.Fatal(err)
	}
	// The next run renders something else again: one/'s renamed files are
	// neither v1 (its MANIFEST) nor what is wanted now.
	v3 := map[string]string{"a.sql": "A3\n", "sub/b.sql": "B3\n", "RUNBOOK.md": "R3\n"}
	generate(t, false, newSite(one, v3), newSite(two, v3))
	noTempFiles(t, root)
}

// onlyStagedManifests fails for any temporary file under root but a
// staged MANIFEST.
func onlyStagedManifests(t *testing.T, root string) {
	t.Helper()
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && isTemp(d.Name()) && !isPending(d.Name()) {
			t.Errorf("temporary file left behind: %s", p)
		}
		return nil
	})
}

// TestStagerUnchangedKeepsMtime proves that committing a run in which one
// file changed rewrites that file and MANIFEST only: every unchanged file
// keeps its mtime.
func TestStagerUnchangedKeepsMtime(t *testing.T) {
	dir := t.TempDir()
	generate(t, false, newSite(dir, v1))
	ageAll(t, newSite(dir, v1))
	changed := maps.Clone(v1)
	changed["a.sql"] = "A2\n"
	site := newSite(dir, changed)
	s := NewStager(false)
	if err := s.Add(site); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	for _, f := range site.Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		rewritten := f.Path == "a.sql" || f.Path == manifest.Name
		if read(t, p) != string(f.Data) || mtime(t, p).Equal(old) == rewritten {
			t.Errorf("%s: content %q, mtime %v; want %q, rewritten %v", p, read(t, p), mtime(t, p), f.Data, rewritten)
		}
	}
	noTempFiles(t, dir)
}
