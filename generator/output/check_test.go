package output

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"pchat-hadr/generator/manifest"
	"pchat-hadr/generator/render"
)

// summary formats differences as "kind path" lines, paths relative to root.
func summary(t *testing.T, root string, diffs []Difference) string {
	t.Helper()
	var b strings.Builder
	for _, d := range diffs {
		rel, err := filepath.Rel(root, d.Path)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %s\n", d.Kind, filepath.ToSlash(rel))
	}
	return b.String()
}

// TestCheckIdentical proves that a freshly written site has no differences.
func TestCheckIdentical(t *testing.T) {
	s := newSite(t.TempDir(), v1)
	generate(t, false, s)
	if diffs, err := Check([]Site{s}, true); err != nil || len(diffs) != 0 {
		t.Errorf("Check = %v, %v; want no differences", diffs, err)
	}
}

// TestCheckReportsDifferences proves that missing, changed, edited and
// other files are told apart across sites, sorted by path, with a unified
// diff only when asked: a file pchat-hadr never wrote is the user's and
// does not fail check; a file edited by hand says so.
func TestCheckReportsDifferences(t *testing.T) {
	root := t.TempDir()
	s1, s2 := newSite(filepath.Join(root, "one"), v1), newSite(filepath.Join(root, "two"), v1)
	generate(t, false, s1, s2)
	write(t, filepath.Join(root, "two", "a.sql"), "edited\n")
	write(t, filepath.Join(root, "one", "zz", "extra.txt"), "x\n")
	write(t, filepath.Join(root, "one", ".DS_Store"), "x\n")
	write(t, filepath.Join(root, "one", ".pchat-hadr-123.tmp"), "x\n")
	s1.Files = append(s1.Files, newSite("", map[string]string{"new.sql": "N\n"}).Files[0])
	s2b := newSite(s2.Dir, map[string]string{"a.sql": "A1\n", "sub/b.sql": "B2\n", "RUNBOOK.md": "R1\n"})

	diffs, err := Check([]Site{s2b, s1}, false)
	if err != nil {
		t.Fatal(err)
	}
	want := "untracked one/.DS_Store\ntemporary one/.pchat-hadr-123.tmp\nmissing one/new.sql\nuntracked one/zz/extra.txt\n" +
		"changed two/MANIFEST\nedited two/a.sql\nchanged two/sub/b.sql\n"
	if got := summary(t, root, diffs); got != want {
		t.Errorf("got:\n%swant:\n%s", got, want)
	}
	for _, d := range diffs {
		if d.Diff != "" {
			t.Errorf("%s: diff given although not asked for", d.Path)
		}
		if d.Fails(false) == (d.Kind == KindUntracked) || !d.Fails(true) {
			t.Errorf("%s (%s): fails %v, strictly %v", d.Path, d.Kind, d.Fails(false), d.Fails(true))
		}
	}

	diffs, _ = Check([]Site{s2}, true)
	p := filepath.Join(root, "two", "a.sql")
	head := "--- " + p + " (on disk)\n+++ " + p + " (generated)\n@@ "
	if len(diffs) != 1 || !strings.HasPrefix(diffs[0].Diff, head) || !strings.Contains(diffs[0].Diff, "\n-edited\n+A1\n") ||
		!strings.Contains(diffs[0].Reason, "edited by hand") {
		t.Errorf("got %+v; want a unified diff from the disk to the generated file, edited by hand", diffs)
	}
}

// TestCheckMissingFolder proves that a site folder that does not exist is
// one difference, not one per file.
func TestCheckMissingFolder(t *testing.T) {
	root := t.TempDir()
	diffs, err := Check([]Site{newSite(filepath.Join(root, "nowhere"), v1)}, true)
	if err != nil {
		t.Fatal(err)
	}
	if got := summary(t, root, diffs); got != "missing nowhere\n" || !diffs[0].Folder || diffs[0].Files != 4 {
		t.Errorf("got %+v; want the folder missing, with its 4 files", diffs)
	}
}

// TestCheckLineEndsOnly proves that a file that differs only in line ends
// (git's core.autocrlf) is reported as such, without a whole-file diff,
// and that generate takes it for pchat-hadr's rather than a hand edit.
func TestCheckLineEndsOnly(t *testing.T) {
	dir := t.TempDir()
	s := newSite(dir, map[string]string{"RUNBOOK.md": "one\ntwo\n", "a.sql": "A\r\nB\r\n"})
	generate(t, false, s)
	write(t, filepath.Join(dir, "RUNBOOK.md"), "one\r\ntwo\r\n")
	write(t, filepath.Join(dir, "a.sql"), "A\nB\n")
	diffs, err := Check([]Site{s}, true)
	if err != nil {
		t.Fatal(err)
	}
	if got := summary(t, dir, diffs); got != "line-endings RUNBOOK.md\nline-endings a.sql\n" {
		t.Fatalf("got:\n%s", got)
	}
	if diffs[0].Diff != "" || !strings.Contains(diffs[0].Reason, "CRLF line ends where pchat-hadr writes LF") ||
		!strings.Contains(diffs[1].Reason, "LF line ends where pchat-hadr writes CRLF") {
		t.Errorf("got %+v", diffs)
	}
	if kinds := generate(t, false, s); kinds[filepath.Join(dir, "a.sql")] != "update" {
		t.Errorf("generate: %v; want a.sql updated, not refused as a hand edit", kinds)
	}
}

// TestCheckNoLongerGenerated proves that a file an earlier run generated
// and this one does not is orphaned (generate deletes it), and one edited
// since is kept (generate leaves it, so check does not fail on it).
func TestCheckNoLongerGenerated(t *testing.T) {
	dir := t.TempDir()
	more := maps.Clone(v1)
	more["old.sql"], more["edited.sql"] = "O\n", "E\n"
	generate(t, false, newSite(dir, more))
	write(t, filepath.Join(dir, "edited.sql"), "mine\n")
	diffs, err := Check([]Site{newSite(dir, v1)}, false)
	if err != nil {
		t.Fatal(err)
	}
	if got := summary(t, dir, diffs); got != "changed MANIFEST\nkept edited.sql\norphaned old.sql\n" {
		t.Errorf("got:\n%s", got)
	}
}

// rootSite is the output root of a run of the given sites, with a MANIFEST
// of each site's MANIFEST like render.RenderRoot writes.
func rootSite(dir string, sites ...Site) Site {
	sums := map[string]string{}
	for _, s := range sites {
		for _, f := range s.Files {
			if f.Path == manifest.Name {
				sums[filepath.Base(s.Dir)+"/"+f.Path] = manifest.Sum(f.Data)
			}
		}
	}
	m := manifest.BuildSums("run", sums)
	return Site{Dir: dir, Shallow: true, Files: []render.File{{Path: manifest.Name, Data: m}}}
}

// TestDroppedSiteFolder proves that the folder of a site that left the run
// is reported by check and removed by generate when every file in it is as
// generated; with a file edited by hand or one of the user's in it,
// generate refuses and lists them, and --force removes pchat-hadr's files
// and keeps the user's.
func TestDroppedSiteFolder(t *testing.T) {
	root := t.TempDir()
	a, b := newSite(filepath.Join(root, "a"), v1), newSite(filepath.Join(root, "b"), v1)
	generate(t, false, a, b, rootSite(root, a, b))
	onlyA := rootSite(root, a)

	diffs, err := Check([]Site{a, onlyA}, false)
	if err != nil {
		t.Fatal(err)
	}
	if got := summary(t, root, diffs); got != "changed MANIFEST\ndropped-site b\n" {
		t.Fatalf("check got:\n%s", got)
	}

	write(t, filepath.Join(root, "b", "sub", "b.sql"), "edited\n")
	write(t, filepath.Join(root, "b", "NOTES.md"), "mine\n")
	before := snapshot(t, root)
	_, err = stage([]Site{a, onlyA}, false)
	c := conflicts(t, err)
	if len(c) != 2 || !strings.HasSuffix(c[0].Path, "NOTES.md") || !strings.Contains(c[0].Reason, "not generated by pchat-hadr") ||
		!strings.Contains(c[1].Reason, "edited by hand") || !strings.Contains(c[1].Reason, `site "b", which is no longer in this run`) {
		t.Fatalf("conflicts %+v", c)
	}
	sameTree(t, before, snapshot(t, root))

	generate(t, true, a, onlyA)
	if got := snapshot(t, filepath.Join(root, "b")); len(got) != 2 || got[filepath.Join(root, "b", "NOTES.md")] != "file:mine\n" {
		t.Errorf("after --force, b/ holds %v; want only NOTES.md", got)
	}
	if diffs, _ := Check([]Site{a, onlyA}, false); len(diffs) != 0 {
		t.Errorf("check after generate: %v", diffs)
	}

	// Unchanged, the folder goes entirely.
	c2 := newSite(filepath.Join(root, "c"), v2)
	generate(t, false, a, c2, rootSite(root, a, c2))
	generate(t, false, a, onlyA)
	if exists(c2.Dir) {
		t.Error("the folder of a dropped, unchanged site is still there")
	}
	if _, err := os.Stat(filepath.Join(root, "b", "NOTES.md")); err != nil {
		t.Error("the user's file was removed")
	}
}
