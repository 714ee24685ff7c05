package output

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"sync"
)

// Stager writes a run site by site without holding every site in memory,
// and still changes nothing unless the whole run succeeds: each new or
// changed file is first written to a temporary file beside its target
// (staged); Commit renames them all into place, Abort removes them.
type Stager struct {
	force     bool
	mu        sync.Mutex
	acts      []Action // staged: data already on disk in tmp
	conflicts []Conflict
	err       error
	dirs      []string // folders created while staging, removed on Abort
}

// NewStager returns a stager; force overwrites hand-edited files.
func NewStager(force bool) *Stager { return &Stager{force: force} }

// Add plans one site and stages its new and changed files. It is safe to
// call from several goroutines. Conflicts are collected, not returned.
func (s *Stager) Add(site Site) error {
	acts, conflicts, err := planSite(site, s.force)
	if err != nil || len(conflicts) > 0 {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.conflicts = append(s.conflicts, conflicts...)
		if s.err == nil {
			s.err = err
		}
		return err
	}
	for i := range acts {
		if a := &acts[i]; a.Kind == "create" || a.Kind == "update" {
			created, err := s.mkdirs(filepath.Dir(a.Path))
			if err == nil {
				a.tmp, err = writeTemp(a.Path, a.data)
			}
			a.data = nil
			s.mu.Lock()
			s.dirs = append(s.dirs, created...)
			s.mu.Unlock()
			if err != nil {
				s.mu.Lock()
				s.acts = append(s.acts, acts[:i]...)
				if s.err == nil {
					s.err = errors.New(a.Path + ": " + unwrapPath(err))
				}
				s.mu.Unlock()
				return s.err
			}
		}
	}
	s.mu.Lock()
	s.acts = append(s.acts, acts...)
	s.mu.Unlock()
	return nil
}

// mkdirs creates dir and returns the folders it had to create.
func (s *Stager) mkdirs(dir string) ([]string, error) {
	var created []string
	for d := dir; ; d = filepath.Dir(d) {
		// Lstat: a link, even a dangling one, exists and is not ours to
		// remove on Abort.
		if _, err := os.Lstat(d); err == nil || d == filepath.Dir(d) {
			break
		}
		created = append(created, d)
	}
	return created, os.MkdirAll(dir, 0o755)
}

// Err returns the run's conflicts (as a *ConflictError) or first error.
func (s *Stager) Err() error {
	if len(s.conflicts) > 0 {
		sort.Slice(s.conflicts, func(i, j int) bool { return s.conflicts[i].Path < s.conflicts[j].Path })
		return &ConflictError{Conflicts: s.conflicts}
	}
	return s.err
}

// Actions lists what the run does, sorted by path.
func (s *Stager) Actions() []Action {
	out := append([]Action(nil), s.acts...)
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// Commit moves every staged file into place, MANIFESTs last, then deletes
// the generated files the run no longer produces.
func (s *Stager) Commit() error {
	acts := s.Actions()
	sort.SliceStable(acts, func(i, j int) bool { return !isManifest(acts[i].Path) && isManifest(acts[j].Path) })
	for _, a := range acts {
		var err error
		switch a.Kind {
		case "create", "update":
			err = os.Rename(a.tmp, a.Path)
		case "delete":
			err = os.Remove(a.Path)
		}
		if err != nil {
			s.Abort()
			return errors.New(a.Path + ": " + unwrapPath(err))
		}
	}
	return nil
}

// Abort removes every staged file not yet moved into place, and the
// folders staging created, leaving the output as it was.
func (s *Stager) Abort() {
	for _, a := range s.acts {
		if a.tmp != "" {
			os.Remove(a.tmp)
		}
	}
	sort.Slice(s.dirs, func(i, j int) bool { return len(s.dirs[i]) > len(s.dirs[j]) })
	for _, d := range s.dirs {
		os.Remove(d) // only succeeds while empty
	}
}
