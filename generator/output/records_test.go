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
// copy between folders, and paths outside it are kept whole (one copy of
// each too).
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
	if r.list.len() != len(want) {
		t.Fatalf("%d records, want %d", r.list.len(), len(want))
	}
	for i, rec := range r.list.all {
		got, w := r.action(rec), want[i]
		if got.Path != w.Path || got.Kind != w.Kind || got.Note != w.Note || got.tmp != w.tmp || got.staged != w.staged || got.rank != w.rank {
			t.Errorf("record %d: %+v, want %+v", i, got, want[i])
		}
	}
	if len(r.rels) != 7 {
		t.Errorf("%d kept paths, want 7 (RUNBOOK.md, MANIFEST, sql/x.sql, out/c/d.sql and the three folders): %v", len(r.rels), r.rels)
	}
}

// TestRecordListAcrossBlocks: a list longer than a few blocks keeps every
// record in push order and sorts them by path as one list.
func TestRecordListAcrossBlocks(t *testing.T) {
	var r records
	rng := rand.New(rand.NewSource(3))
	var paths []string
	for range 3*blockSize + 17 {
		p := filepath.Join("out", "s"+strings.Repeat("x", rng.Intn(3)), "f"+string(rune('a'+rng.Intn(26)))+string(rune('a'+rng.Intn(26))))
		paths = append(paths, p)
		r.add(filepath.Dir(p), []Action{{Path: p, Kind: "create", tmp: uint32(len(paths))}})
	}
	if r.list.len() != len(paths) || len(r.list.blocks) != 4 {
		t.Fatalf("%d records in %d blocks, want %d in 4", r.list.len(), len(r.list.blocks), len(paths))
	}
	for i, rec := range r.list.all {
		if got := r.path(rec); got != paths[i] || rec.tmp != uint32(i+1) {
			t.Fatalf("record %d: %s (tmp %d), want %s (tmp %d)", i, got, rec.tmp, paths[i], i+1)
		}
	}
	r.sortByPath()
	sort.Strings(paths)
	for i, rec := range r.list.all {
		if got := r.path(rec); got != paths[i] {
			t.Fatalf("sorted record %d: %s, want %s", i, got, paths[i])
		}
	}
}
