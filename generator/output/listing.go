package output

import (
	"errors"
	"io/fs"
	"path"
	"path/filepath"
)

// listing is what one walk found in a folder: its files and the folders
// below it, relative and slash-separated ("." is the folder itself).
type listing struct {
	missing bool     // the folder itself is not there
	files   []string // every entry that is not a folder, in walk order
	seen    map[string]bool
	walked  map[string]bool // folders whose entries are all in seen
}

// list walks dir (only its own entries unless deep), without following
// links to folders. Shallow, it never fails: what it could not read is
// simply not known to be absent, as the files are read one by one then.
func list(dir string, deep bool) (*listing, error) {
	l := &listing{seen: map[string]bool{}, walked: map[string]bool{}}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && p == dir {
			l.missing = true
			return filepath.SkipDir
		}
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		l.seen[rel] = true
		switch {
		case !d.IsDir():
			l.files = append(l.files, rel)
		case rel != "." && !deep:
			return filepath.SkipDir
		default:
			l.walked[rel] = true
		}
		return nil
	})
	if err != nil && !deep {
		return &listing{}, nil
	}
	return l, err
}

// absent reports whether the listing proves that nothing is at rel: the
// folder is missing, or the folder rel would be in was listed without it.
func (l *listing) absent(rel string) bool {
	return l.missing || !l.seen[rel] && l.walked[path.Dir(rel)]
}

// temps returns the clean-up actions for pchat-hadr's temporary files.
func (l *listing) temps(dir string) []Action {
	var out []Action
	for _, n := range l.files {
		if isTemp(path.Base(n)) {
			out = append(out, Action{Path: filepath.Join(dir, filepath.FromSlash(n)), Kind: "clean", rank: rankClean})
		}
	}
	return out
}
