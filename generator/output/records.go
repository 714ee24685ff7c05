package output

import (
	"path/filepath"
	"sort"
	"strings"
)

// record is how the Stager keeps an action until the run reports: a
// large run keeps one per file, and a full Action (its own full path and
// its kind and note as strings, 176 bytes with the path) was most of what
// a 10,000-site run held. A record is 20 bytes: the folder the path lies
// in is shared by the site's records, and the part below it is shared
// between sites with the same files (interned, by index: a string header
// would make it 32 bytes, 17 MB more at 10,000 sites).
type record struct {
	rel    uint32 // index into records.rels: the path below bases[base], or the whole path when base is 0
	base   uint32 // index into records.bases
	tmp    uint32 // the staged copy, as in Action
	note   uint32 // index into records.notes (keep), 0 for none
	kind   uint8  // index into kinds
	rank   int8
	staged bool
}

// kinds are the Action kinds, in the order their codes number them.
var kinds = [...]string{"create", "update", "unchanged", "delete", "keep", "clean", "rmdir"}

func kindCode(kind string) uint8 {
	for i, k := range kinds {
		if k == kind {
			return uint8(i)
		}
	}
	panic("output: unknown action kind " + kind)
}

// records holds a run's records and what they share. Not safe for
// concurrent use: the Stager locks around it.
type records struct {
	list   recordList
	bases  []string          // "" first, then each folder with its trailing separator
	baseOf map[string]uint32 // bases' indexes
	rels   []string          // one copy of each relative path
	relOf  map[string]uint32 // rels' indexes
	notes  []string          // "" first
}

// add keeps the actions of one folder (the site folder dir, or the output
// root), each path split at dir.
func (r *records) add(dir string, acts []Action) {
	if r.baseOf == nil {
		r.bases, r.baseOf, r.relOf, r.notes = []string{""}, map[string]uint32{"": 0}, map[string]uint32{}, []string{""}
	}
	prefix := filepath.Clean(dir) + string(filepath.Separator)
	base, ok := r.baseOf[prefix]
	if !ok {
		base = uint32(len(r.bases))
		r.bases = append(r.bases, prefix)
		r.baseOf[prefix] = base
	}
	for _, a := range acts {
		rec := record{tmp: a.tmp, kind: kindCode(a.Kind), rank: a.rank, staged: a.staged}
		rel := a.Path
		if below, ok := strings.CutPrefix(a.Path, prefix); ok && below != "" {
			rel, rec.base = below, base
		}
		rec.rel = r.intern(rel)
		if a.Note != "" {
			rec.note = uint32(len(r.notes))
			r.notes = append(r.notes, a.Note)
		}
		r.list.push(rec)
	}
}

// intern returns the index of rel in r.rels, adding a copy of it (a
// substring would keep the whole path alive) if it is new.
func (r *records) intern(rel string) uint32 {
	if i, ok := r.relOf[rel]; ok {
		return i
	}
	i := uint32(len(r.rels))
	rel = strings.Clone(rel)
	r.rels = append(r.rels, rel)
	r.relOf[rel] = i
	return i
}

// path is the record's full path (a new string).
func (r *records) path(rec record) string { return r.bases[rec.base] + r.rels[rec.rel] }

// action is the record as an Action (its data is gone: it is staged).
func (r *records) action(rec record) Action {
	return Action{Path: r.path(rec), Kind: kinds[rec.kind], Note: r.notes[rec.note], tmp: rec.tmp, staged: rec.staged, rank: rec.rank}
}

// less orders records by full path without building the paths.
func (r *records) less(a, b record) bool {
	return compareJoined(r.bases[a.base], r.rels[a.rel], r.bases[b.base], r.rels[b.rel]) < 0
}

// sortByPath puts the records in path order.
func (r *records) sortByPath() {
	sort.Sort(sorter{&r.list, func(a, b *record) bool { return r.less(*a, *b) }})
}

// blockSize is how many records a block of a recordList holds.
const blockSize = 4096

// recordList is a list of records in blocks of blockSize, so that growing
// it never copies it: a slice of 1.3 million records (10,000 sites) grew
// by copying itself into one a quarter larger, and for that moment held
// both, 50 MB where the records are 26.
type recordList struct {
	blocks [][]record
	n      int
}

func (l *recordList) push(rec record) {
	if l.n%blockSize == 0 {
		l.blocks = append(l.blocks, make([]record, 0, blockSize))
	}
	b := &l.blocks[len(l.blocks)-1]
	*b = append(*b, rec)
	l.n++
}

func (l *recordList) len() int { return l.n }

func (l *recordList) at(i int) *record { return &l.blocks[i/blockSize][i%blockSize] }

// all yields every record, in order.
func (l *recordList) all(yield func(int, record) bool) {
	for i := range l.n {
		if !yield(i, *l.at(i)) {
			return
		}
	}
}

// sorter sorts a recordList in place by less.
type sorter struct {
	l    *recordList
	less func(a, b *record) bool
}

func (s sorter) Len() int           { return s.l.n }
func (s sorter) Less(i, j int) bool { return s.less(s.l.at(i), s.l.at(j)) }
func (s sorter) Swap(i, j int) {
	a, b := s.l.at(i), s.l.at(j)
	*a, *b = *b, *a
}

// compareJoined compares a1+a2 with b1+b2 as strings.
func compareJoined(a1, a2, b1, b2 string) int {
	for {
		switch {
		case a1 == "" && a2 != "":
			a1, a2 = a2, ""
			continue
		case b1 == "" && b2 != "":
			b1, b2 = b2, ""
			continue
		case a1 == "" || b1 == "":
			return len(a1) - len(b1) // 0, or the one with text left is greater
		}
		n := min(len(a1), len(b1))
		if c := strings.Compare(a1[:n], b1[:n]); c != 0 {
			return c
		}
		a1, b1 = a1[n:], b1[n:]
	}
}
