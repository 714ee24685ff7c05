package output

import (
	"math/rand"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestCompareJoined holds compareJoined to comparing the joined strings.
func TestCompareJoined(t *testing.T) {
	parts := []string{"", "a", "a/", "a-b", "ab", "b", "a/b", "/", "z", "aa"}
	rng := rand.New(rand.NewSource(2))
	sign := func(n int) int {
		switch {
		case n < 0:
			return -1
		case n > 0:
			return 1
		}
		return 0
	}
	for i := 0; i < 20000; i++ {
		p := func() string { return parts[rng.Intn(len(parts))] + parts[rng.Intn(len(parts))] }
		a1, a2, b1, b2 := p(), p(), p(), p()
		if got, want := sign(compareJoined(a1, a2, b1, b2)), strings.Compare(a1+a2, b1+b2); got != want {
			t.Fatalf("compareJoined(%q, %q, %q, %q) = %d, want %d", a1, a2, b1, b2, got, want)
		}
	}
}

// TestRecordsKeepActions: actions kept as records come back as they went
// in, in path order, with their notes; paths below the folder share one
// copy between folders, and paths outside it are kept whole.
func TestRecordsKeepActions(t *testing.T) {
	var r records
	var want []Action
	for _, site := range []string{"out/b", "out/a-b", "out/a"} {
		dir := filepath.FromSlash(site)
		acts := []Action{
			{Path: filepath.Join(dir, "RUNBOOK.md"), Kind: "create", tmp: 7, staged: true, rank: rankContent},
			{Path: filepath.Join(dir, "MANIFEST"), Kind: "update", tmp: 9, staged: true, rank: rankManifest},
			{Path: filepath.Join(dir, "sql", "x.sql"), Kind: "keep", Note: "edited in " + site},
			{Path: dir, Kind: "rmdir", rank: rankRmdir},
			{Path: filepath.FromSlash("out/c/d.sql"), Kind: "delete", rank: rankDelete},
		}
		r.add(dir, acts)
		want = append(want, acts...)
	}
	sort.SliceStable(want, func(i, j int) bool { return want[i].Path < want[j].Path })
	r.sortByPath()
	if len(r.list) != len(want) {
		t.Fatalf("%d records, want %d", len(r.list), len(want))
	}
	for i, rec := range r.list {
		got, w := r.action(rec), want[i]
		if got.Path != w.Path || got.Kind != w.Kind || got.Note != w.Note || got.tmp != w.tmp || got.staged != w.staged || got.rank != w.rank {
			t.Errorf("record %d: %+v, want %+v", i, got, want[i])
		}
	}
	if len(r.rels) != 3 {
		t.Errorf("%d shared relative paths, want 3 (RUNBOOK.md, MANIFEST, sql/x.sql): %v", len(r.rels), r.rels)
	}
}
