package output

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
)

// ErrInterrupted is returned by a Stager that was cancelled, for example
// on Ctrl-C, before it committed anything.
var ErrInterrupted = errors.New("interrupted")

// Pause, when set, is called after every file the Stager stages ("staged")
// and renames or removes ("committed"), with the count so far. Tests set it
// to stop a run at a known point and interrupt it; it is nil otherwise.
var Pause func(event string, n int)

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
	dirs      []string        // folders created while staging, removed on Abort
	made      map[string]bool // folders known to exist: each is made or checked once
	cancelled atomic.Bool
	staged    atomic.Int64
}

// NewStager returns a stager; force overwrites hand-edited files.
func NewStager(force bool) *Stager { return &Stager{force: force} }

// Cancel makes every later Add fail with ErrInterrupted, between two
// files. It is safe to call at any time, from any goroutine (a signal
// handler); a Commit already under way runs to its end.
func (s *Stager) Cancel() { s.cancelled.Store(true) }

// Add plans one site and stages its new and changed files. It is safe to
// call from several goroutines. Conflicts are collected, not returned.
func (s *Stager) Add(site Site) error {
	if s.cancelled.Load() {
		return s.fail(ErrInterrupted, nil)
	}
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
		a := &acts[i]
		if a.Kind != "create" && a.Kind != "update" {
			continue
		}
		if s.cancelled.Load() {
			return s.fail(ErrInterrupted, acts[:i])
		}
		created, err := s.mkdirs(filepath.Dir(a.Path))
		if err == nil {
			a.tmp, err = writeTemp(a.Path, a.data)
			a.staged = err == nil
		}
		a.data = nil
		s.mu.Lock()
		s.dirs = append(s.dirs, created...)
		s.mu.Unlock()
		if err != nil {
			return s.fail(errors.New(a.Path+": "+unwrapPath(err)), acts[:i])
		}
		if Pause != nil {
			Pause("staged", int(s.staged.Add(1)))
		}
	}
	s.mu.Lock()
	s.acts = append(s.acts, acts...)
	s.mu.Unlock()
	return nil
}

// fail records err (the first one wins) and the actions already staged,
// so that Abort removes their files.
func (s *Stager) fail(err error, staged []Action) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.acts = append(s.acts, staged...)
	if s.err == nil {
		s.err = err
	}
	return s.err
}

// mkdirs creates dir and returns the folders it had to create. A folder
// it made or found once is not looked at again: sites hold a few folders
// and many files each.
func (s *Stager) mkdirs(dir string) ([]string, error) {
	s.mu.Lock()
	known := s.made[dir]
	s.mu.Unlock()
	if known {
		return nil, nil
	}
	var created []string
	for d := dir; ; d = filepath.Dir(d) {
		// Lstat: a link, even a dangling one, exists and is not ours to
		// remove on Abort.
		if _, err := os.Lstat(d); err == nil || d == filepath.Dir(d) {
			break
		}
		created = append(created, d)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return created, err
	}
	s.mu.Lock()
	if s.made == nil {
		s.made = map[string]bool{}
	}
	s.made[dir] = true
	s.mu.Unlock()
	return created, nil
}

// Err returns the run's conflicts (as a *ConflictError) or first error.
func (s *Stager) Err() error {
	if len(s.conflicts) > 0 {
		sort.Slice(s.conflicts, func(i, j int) bool { return s.conflicts[i].Path < s.conflicts[j].Path })
		return &ConflictError{Conflicts: s.conflicts}
	}
	return s.err
}

// Actions lists what the run does, sorted by path. The list is the
// stager's own, sorted in place: a run holds an action per file, and a
// copy of them all was the largest thing a large run kept. Callers must
// not change it.
func (s *Stager) Actions() []Action {
	sort.Slice(s.acts, func(i, j int) bool { return s.acts[i].Path < s.acts[j].Path })
	return s.acts
}

// Commit moves every staged file into place and deletes what the run no
// longer produces, in rank order (see rankContent): however it stops, the
// MANIFESTs on disk, with the ones staged beside them, vouch for every
// file pchat-hadr wrote, so the next run can finish the job.
func (s *Stager) Commit() error {
	acts := s.Actions()
	defer s.Actions() // back in path order for the report
	sort.SliceStable(acts, func(i, j int) bool {
		if acts[i].rank != acts[j].rank {
			return acts[i].rank < acts[j].rank
		}
		if acts[i].rank == rankRmdir {
			return acts[i].Path > acts[j].Path // a folder's subfolders first
		}
		return false
	})
	for n, a := range acts {
		var err error
		switch a.Kind {
		case "create", "update":
			err = rename(tempName(a.Path, a.tmp), a.Path)
		case "delete":
			err = os.Remove(a.Path)
		case "clean":
			if err = os.Remove(a.Path); errors.Is(err, os.ErrNotExist) {
				err = nil
			}
		case "rmdir":
			os.Remove(a.Path) // only succeeds once empty; the user's files stay
		default:
			continue
		}
		if err != nil {
			s.abort(true)
			return errors.New(a.Path + ": " + unwrapPath(err))
		}
		if Pause != nil {
			Pause("committed", n+1)
		}
	}
	return nil
}

// Abort removes every staged file not yet moved into place, and the
// folders staging created, leaving the output as it was.
func (s *Stager) Abort() { s.abort(false) }

// abort removes the staged files. After a failed Commit, the staged
// MANIFESTs stay: they vouch for the files already renamed, so that the
// next run does not take them for hand edits.
func (s *Stager) abort(keepManifests bool) {
	for _, a := range s.acts {
		if !a.staged || keepManifests && isManifest(a.Path) {
			continue
		}
		if tmp := tempName(a.Path, a.tmp); lstatOK(tmp) {
			os.Remove(tmp)
		}
	}
	sort.Slice(s.dirs, func(i, j int) bool { return len(s.dirs[i]) > len(s.dirs[j]) })
	for _, d := range s.dirs {
		os.Remove(d) // only succeeds while empty
	}
}
