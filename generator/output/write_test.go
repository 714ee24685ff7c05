package output

import (
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"pchat-hadr/generator/manifest"
	"pchat-hadr/generator/render"
)

// old is the mtime tests give files to see whether a write touched them.
var old = time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)

// newSite renders files (path -> content) into dir, followed by the
// MANIFEST that render.Render would add.
func newSite(dir string, files map[string]string) Site {
	data := map[string][]byte{}
	var out []render.File
	for _, p := range slices.Sorted(maps.Keys(files)) {
		data[p] = []byte(files[p])
		out = append(out, render.File{Path: p, Data: data[p]})
	}
	out = append(out, render.File{Path: manifest.Name, Data: manifest.Build("site.toml", data)})
	return Site{Dir: dir, Files: out}
}

// stage stages sites the way generate does, without committing; on a
// conflict or error it aborts and returns the error.
func stage(sites []Site, force bool) (*Stager, error) {
	st := NewStager(force)
	for _, s := range sites {
		st.Add(s)
	}
	if err := st.Err(); err != nil {
		st.Abort()
		return nil, err
	}
	return st, nil
}

// generate stages and commits, failing the test on any error.
func generate(t *testing.T, force bool, sites ...Site) map[string]string {
	t.Helper()
	st, err := stage(sites, force)
	if err != nil {
		t.Fatalf("stage: %v", err)
	}
	if err := st.Commit(); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	kinds := map[string]string{}
	for _, a := range st.Actions() {
		kinds[a.Path] = a.Kind
	}
	return kinds
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// ageAll sets the mtime of every file of s to old.
func ageAll(t *testing.T, s Site) {
	t.Helper()
	for _, f := range s.Files {
		if err := os.Chtimes(filepath.Join(s.Dir, f.Path), old, old); err != nil {
			t.Fatal(err)
		}
	}
}

func mtime(t *testing.T, path string) time.Time {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.ModTime()
}

// noTempFiles fails if a writer temporary file is left anywhere under root.
func noTempFiles(t *testing.T, root string) {
	t.Helper()
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), ".pchat-hadr-") {
			t.Errorf("temporary file left behind: %s", p)
		}
		return nil
	})
}

// conflicts returns the conflicts of a Plan error, failing on any other.
func conflicts(t *testing.T, err error) []Conflict {
	t.Helper()
	var ce *ConflictError
	if !errors.As(err, &ce) {
		t.Fatalf("Plan error = %v; want a *ConflictError", err)
	}
	return ce.Conflicts
}

var v1 = map[string]string{"a.sql": "A1\n", "sub/b.sql": "B1\n", "RUNBOOK.md": "R1\n"}

// TestWriteCreatesEverything proves that a first write creates every file,
// in subfolders too, MANIFEST included, with no temporary file left.
func TestWriteCreatesEverything(t *testing.T) {
	s := newSite(filepath.Join(t.TempDir(), "out", "site"), v1)
	kinds := generate(t, false, s)
	for _, f := range s.Files {
		p := filepath.Join(s.Dir, f.Path)
		if kinds[p] != "create" || read(t, p) != string(f.Data) {
			t.Errorf("%s: kind %q, content %q; want create, %q", p, kinds[p], read(t, p), f.Data)
		}
	}
	noTempFiles(t, s.Dir)
}

// TestWriteIdenticalIsUnchanged proves that writing the same files again
// reports every file unchanged and leaves the mtimes alone.
func TestWriteIdenticalIsUnchanged(t *testing.T) {
	s := newSite(t.TempDir(), v1)
	generate(t, false, s)
	ageAll(t, s)
	for p, k := range generate(t, false, s) {
		if k != "unchanged" {
			t.Errorf("%s: %s; want unchanged", p, k)
		}
		if !mtime(t, p).Equal(old) {
			t.Errorf("%s: mtime changed", p)
		}
	}
}

// TestWriteUpdatesOnlyChanged proves that a changed input rewrites that
// file (and MANIFEST) and leaves every other file untouched.
func TestWriteUpdatesOnlyChanged(t *testing.T) {
	dir := t.TempDir()
	generate(t, false, newSite(dir, v1))
	ageAll(t, newSite(dir, v1))
	v2 := maps.Clone(v1)
	v2["a.sql"] = "A2\n"
	s := newSite(dir, v2)
	kinds := generate(t, false, s)
	for _, f := range s.Files {
		p := filepath.Join(dir, f.Path)
		want := "unchanged"
		if f.Path == "a.sql" || f.Path == manifest.Name {
			want = "update"
		}
		if kinds[p] != want || read(t, p) != string(f.Data) || mtime(t, p).Equal(old) != (want == "unchanged") {
			t.Errorf("%s: %s, %q; want %s, %q", p, kinds[p], read(t, p), want, f.Data)
		}
	}
}

// TestPlanRefusesHandEdits proves that a file edited since generation stops
// the write of every site, before anything is written, and that force
// overwrites it.
func TestPlanRefusesHandEdits(t *testing.T) {
	root := t.TempDir()
	d1, d2 := filepath.Join(root, "one"), filepath.Join(root, "two")
	generate(t, false, newSite(d1, v1), newSite(d2, v1))
	edited := filepath.Join(d2, "sub", "b.sql")
	write(t, edited, "my edit\n")

	v2 := maps.Clone(v1)
	v2["new.sql"] = "N\n"
	v2["sub/b.sql"] = "B2\n"
	sites := []Site{newSite(d1, v2), newSite(d2, v2)}
	st, err := stage(sites, false)
	c := conflicts(t, err)
	if st != nil || len(c) != 1 || c[0].Path != edited || !strings.Contains(c[0].Reason, "edited by hand") {
		t.Fatalf("conflicts %v; want one for %s", c, edited)
	}
	if !strings.Contains(err.Error(), edited) || !strings.Contains(err.Error(), "nothing was written") {
		t.Errorf("error does not name the file: %v", err)
	}
	if exists(filepath.Join(d1, "new.sql")) || read(t, filepath.Join(d1, "sub", "b.sql")) != "B1\n" {
		t.Error("the first site was written despite the conflict")
	}

	generate(t, true, sites...)
	if read(t, edited) != "B2\n" || read(t, filepath.Join(d1, "new.sql")) != "N\n" {
		t.Error("force did not overwrite the edited file")
	}
}

// TestPlanRefusesFilesNotGenerated proves that a file on disk that MANIFEST
// does not list is never replaced without force.
func TestPlanRefusesFilesNotGenerated(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a.sql"), "mine\n")
	_, err := stage([]Site{newSite(dir, v1)}, false)
	c := conflicts(t, err)
	if len(c) != 1 || c[0].Path != filepath.Join(dir, "a.sql") || !strings.Contains(c[0].Reason, "not generated by pchat-hadr") {
		t.Errorf("conflicts %v; want a.sql not generated by pchat-hadr", c)
	}
}

// TestWriteDropsOnlyUneditedFiles proves that files no longer rendered are
// deleted if MANIFEST vouches for them and kept if edited, and that files
// MANIFEST never listed, or already deleted, are left alone.
func TestWriteDropsOnlyUneditedFiles(t *testing.T) {
	dir := t.TempDir()
	withGone := maps.Clone(v1)
	withGone["gone.sql"] = "G\n"
	generate(t, false, newSite(dir, withGone))
	if err := os.Remove(filepath.Join(dir, "gone.sql")); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "RUNBOOK.md"), "my notes\n")
	write(t, filepath.Join(dir, "mine.txt"), "mine\n")

	kinds := generate(t, false, newSite(dir, map[string]string{"a.sql": "A1\n"}))
	if k := kinds[filepath.Join(dir, "sub", "b.sql")]; k != "delete" || exists(filepath.Join(dir, "sub", "b.sql")) {
		t.Errorf("sub/b.sql: %s, still there: %v; want deleted", k, exists(filepath.Join(dir, "sub", "b.sql")))
	}
	if k := kinds[filepath.Join(dir, "RUNBOOK.md")]; k != "keep" || read(t, filepath.Join(dir, "RUNBOOK.md")) != "my notes\n" {
		t.Errorf("RUNBOOK.md: %s; want kept with its edits", k)
	}
	if k, ok := kinds[filepath.Join(dir, "gone.sql")]; ok {
		t.Errorf("gone.sql, already deleted by hand: %s; want no action", k)
	}
	if _, ok := kinds[filepath.Join(dir, "mine.txt")]; ok || read(t, filepath.Join(dir, "mine.txt")) != "mine\n" {
		t.Error("a file never generated was touched")
	}
}

// TestWriteNeverDeletesOutsideSite proves that MANIFEST entries reaching
// out of the site folder never delete anything: the MANIFEST is refused as
// unreadable without --force, and ignored with it.
func TestWriteNeverDeletesOutsideSite(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "out", "site")
	victims := map[string]string{"../victim.txt": "v1\n", "../../victim.txt": "v2\n", "sub/../../victim.txt": "v1\n"}
	write(t, filepath.Join(root, "out", "victim.txt"), "v1\n")
	write(t, filepath.Join(root, "victim.txt"), "v2\n")
	victims[filepath.ToSlash(filepath.Join(root, "victim.txt"))] = "v2\n"
	data := map[string][]byte{}
	for p, v := range victims {
		data[p] = []byte(v)
	}
	write(t, filepath.Join(dir, manifest.Name), string(manifest.Build("site.toml", data)))

	if _, err := stage([]Site{newSite(dir, v1)}, false); err == nil {
		t.Error("Plan accepted a MANIFEST with paths outside the site folder")
	}
	for p, k := range generate(t, true, newSite(dir, v1)) {
		if !strings.HasPrefix(p, dir+string(filepath.Separator)) {
			t.Errorf("action %s on %s, outside the site folder", k, p)
		}
	}
	if read(t, filepath.Join(root, "out", "victim.txt")) != "v1\n" || read(t, filepath.Join(root, "victim.txt")) != "v2\n" {
		t.Error("a file outside the site folder was deleted")
	}
}

// TestPlanRefusesDirectoryInTheWay proves that a directory where a file is
// to be written is a conflict that Plan reports by path.
func TestPlanRefusesDirectoryInTheWay(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "a.sql"), 0o755); err != nil {
		t.Fatal(err)
	}
	c := conflicts(t, func() error { _, err := stage([]Site{newSite(dir, v1)}, true); return err }())
	if len(c) != 1 || c[0].Path != filepath.Join(dir, "a.sql") {
		t.Errorf("conflicts %v; want a.sql", c)
	}
}

// TestApplyDirectoryInTheWay proves that when a directory appears where a
// file is to be written, Apply names the path, every other file holds its
// old or new content in full, MANIFEST is not rewritten (even when listed
// first) and no temporary file is left but the staged MANIFEST, which
// vouches for the files already renamed.
func TestApplyDirectoryInTheWay(t *testing.T) {
	dir := t.TempDir()
	generate(t, false, newSite(dir, v1))
	v2 := map[string]string{"a.sql": "A2\n", "sub/b.sql": "B2\n", "RUNBOOK.md": "R2\n"}
	s := newSite(dir, v2)
	s.Files = slices.Concat(s.Files[len(s.Files)-1:], s.Files[:len(s.Files)-1]) // MANIFEST first
	st, err := stage([]Site{s}, false)
	if err != nil {
		t.Fatal(err)
	}
	blocked := filepath.Join(dir, "sub", "b.sql")
	if err := os.Remove(blocked); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(blocked, "inside"), "x\n")

	err = st.Commit()
	if err == nil || !strings.Contains(err.Error(), blocked) {
		t.Fatalf("Commit error = %v; want one naming %s", err, blocked)
	}
	for p, v := range v1 {
		if p == "sub/b.sql" {
			continue
		}
		if got := read(t, filepath.Join(dir, p)); got != v && got != v2[p] {
			t.Errorf("%s holds %q: neither old nor new content", p, got)
		}
	}
	if m := newSite(dir, v1).Files; read(t, filepath.Join(dir, manifest.Name)) != string(m[len(m)-1].Data) {
		t.Error("MANIFEST was rewritten after a failed write")
	}
	onlyStagedManifests(t, dir)
}

// TestApplyReadOnlyDir proves that a folder without write permission makes
// Apply fail naming the path, leaving the old file and no temporary file.
func TestApplyReadOnlyDir(t *testing.T) {
	dir := t.TempDir()
	generate(t, false, newSite(dir, v1))
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	if f, err := os.Create(filepath.Join(dir, "probe")); err == nil {
		f.Close()
		t.Skip("folder is writable despite mode 0555 (running as root?)")
	}
	v2 := maps.Clone(v1)
	v2["a.sql"] = "A2\n"
	// The new content is written (staged) beside its target at once, so
	// the folder's permission fails staging, before anything is committed.
	st, err := stage([]Site{newSite(dir, v2)}, false)
	if err == nil {
		err = st.Commit()
	}
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "a.sql")) || !strings.Contains(err.Error(), "permission denied") {
		t.Errorf("error = %v; want permission denied naming a.sql", err)
	}
	if read(t, filepath.Join(dir, "a.sql")) != "A1\n" {
		t.Error("a.sql changed although the write failed")
	}
	noTempFiles(t, dir)
}
