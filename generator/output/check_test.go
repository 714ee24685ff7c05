package output

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
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

// TestCheckReportsDifferences proves that missing, changed and orphaned
// files (whoever wrote them, in subfolders too) are reported across sites,
// sorted by path, with a unified diff only when asked.
func TestCheckReportsDifferences(t *testing.T) {
	root := t.TempDir()
	s1, s2 := newSite(filepath.Join(root, "one"), v1), newSite(filepath.Join(root, "two"), v1)
	generate(t, false, s1, s2)
	write(t, filepath.Join(root, "two", "a.sql"), "edited\n")
	write(t, filepath.Join(root, "one", "zz", "extra.txt"), "x\n")
	write(t, filepath.Join(root, "one", ".hidden"), "x\n")
	s1.Files = append(s1.Files, newSite("", map[string]string{"new.sql": "N\n"}).Files[0])

	diffs, err := Check([]Site{s2, s1}, false)
	if err != nil {
		t.Fatal(err)
	}
	want := "orphaned one/.hidden\nmissing one/new.sql\norphaned one/zz/extra.txt\nchanged two/a.sql\n"
	if got := summary(t, root, diffs); got != want {
		t.Errorf("got:\n%swant:\n%s", got, want)
	}
	for _, d := range diffs {
		if d.Diff != "" {
			t.Errorf("%s: diff given although not asked for", d.Path)
		}
	}

	diffs, _ = Check([]Site{s2}, true)
	p := filepath.Join(root, "two", "a.sql")
	head := "--- " + p + " (on disk)\n+++ " + p + " (generated)\n@@ "
	if len(diffs) != 1 || !strings.HasPrefix(diffs[0].Diff, head) || !strings.Contains(diffs[0].Diff, "\n-edited\n+A1\n") {
		t.Errorf("got %+v; want a unified diff from the disk to the generated file", diffs)
	}
}

// TestCheckMissingFolder proves that a site folder that does not exist
// reports every file, MANIFEST included, as missing.
func TestCheckMissingFolder(t *testing.T) {
	root := t.TempDir()
	diffs, err := Check([]Site{newSite(filepath.Join(root, "nowhere"), v1)}, true)
	if err != nil {
		t.Fatal(err)
	}
	want := "missing nowhere/MANIFEST\nmissing nowhere/RUNBOOK.md\nmissing nowhere/a.sql\nmissing nowhere/sub/b.sql\n"
	if got := summary(t, root, diffs); got != want {
		t.Errorf("got:\n%swant:\n%s", got, want)
	}
}
