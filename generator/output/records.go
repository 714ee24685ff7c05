package output

import (
	"path/filepath"
	"sort"
	"strings"
)

// record is how the Stager keeps an action until the run reports: a
// large run keeps one per file, and a full Action (its own full path and
// its kind and note as strings, 176 bytes with the path) was most of what
// a 10,000-site run held. A record is 32 bytes: the folder the path lies
// in is shared by the site's records, and the part below it is shared
// between sites with the same files (interned).
type record struct {
	rel    string // the path below bases[base], or the whole path when base is 0
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
	list   []record
	bases  []string          // "" first, then each folder with its trailing separator
	baseOf map[string]uint32 // bases' indexes
	rels   map[string]string // one copy of each relative path
	notes  []string          // "" first
}

// add keeps the actions of one folder (the site folder dir, or the output
// root), each path split at dir.
func (r *records) add(dir string, acts []Action) {
	if r.baseOf == nil {
		r.bases, r.baseOf, r.rels, r.notes = []string{""}, map[string]uint32{"": 0}, map[string]string{}, []string{""}
	}
	prefix := filepath.Clean(dir) + string(filepath.Separator)
	base, ok := r.baseOf[prefix]
	if !ok {
		base = uint32(len(r.bases))
		r.bases = append(r.bases, prefix)
		r.baseOf[prefix] = base
	}
	for _, a := range acts {
		rec := record{tmp: a.tmp, kind: kindCode(a.Kind), rank: a.rank, staged: a.staged, rel: a.Path}
		if rel, ok := strings.CutPrefix(a.Path, prefix); ok && rel != "" {
			// The substring would keep the whole path alive: keep one copy.
			if shared, ok := r.rels[rel]; ok {
				rel = shared
			} else {
				rel = strings.Clone(rel)
				r.rels[rel] = rel
			}
			rec.rel, rec.base = rel, base
		}
		if a.Note != "" {
			rec.note = uint32(len(r.notes))
			r.notes = append(r.notes, a.Note)
		}
		r.list = append(r.list, rec)
	}
}

// path is the record's full path (a new string).
func (r *records) path(rec record) string { return r.bases[rec.base] + rec.rel }

// action is the record as an Action (its data is gone: it is staged).
func (r *records) action(rec record) Action {
	return Action{Path: r.path(rec), Kind: kinds[rec.kind], Note: r.notes[rec.note], tmp: rec.tmp, staged: rec.staged, rank: rec.rank}
}

// less orders records by full path without building the paths.
func (r *records) less(a, b record) bool {
	return compareJoined(r.bases[a.base], a.rel, r.bases[b.base], b.rel) < 0
}

// sortByPath puts the records in path order.
func (r *records) sortByPath() {
	sort.Slice(r.list, func(i, j int) bool { return r.less(r.list[i], r.list[j]) })
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
