package output

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"

	"pchat-hadr/generator/diag"
	"pchat-hadr/generator/parallel"
)

// ErrInterrupted is returned by a Stager that was cancelled, for example
// on Ctrl-C, before it committed anything.
var ErrInterrupted = errors.New("interrupted")

// Pause, when set, is called after every file the Stager stages ("staged")
// and renames or removes ("committed"), with the count so far. Tests set it
// to stop a run at a known point and interrupt it; it is nil otherwise.
// Files are staged on several goroutines at once (sites side by side, or
// a lone site's files, Site.Workers): "staged" calls can come at once,
// each with its own count, not necessarily in order.
var Pause func(event string, n int)

// stageFile writes a file's staged copy (writeTemp); tests replace it to
// make files fail in an order of their choosing.
var stageFile = writeTemp

// Stager writes a run site by site without holding every site in memory,
// and still changes nothing unless the whole run succeeds: each new or
// changed file is first written to a temporary file beside its target
// (staged); Commit renames them all into place, Abort removes them.
type Stager struct {
	force     bool
	mu        sync.Mutex
	recs      records // the run's actions; staged ones have their data on disk in tmp
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
		return s.fail(ErrInterrupted, "", nil)
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
	var todo []int // the actions whose files are staged
	for i := range acts {
		if a := &acts[i]; a.Kind == "create" || a.Kind == "update" {
			todo = append(todo, i)
		}
	}
	// Folders first, on one goroutine: a site holds a few, each made once,
	// and the files can then be staged side by side. So a folder that
	// cannot be made is reported before any file of the site is staged.
	for _, i := range todo {
		if s.cancelled.Load() {
			return s.fail(ErrInterrupted, site.Dir, nil)
		}
		created, err := s.mkdirs(filepath.Dir(acts[i].Path))
		s.mu.Lock()
		s.dirs = append(s.dirs, created...)
		s.mu.Unlock()
		if err != nil {
			return s.fail(errors.New(acts[i].Path+": "+diag.Cause(err)), site.Dir, nil)
		}
	}
	// After a failure no file after it in plan order is started, but the
	// ones before it still are: one of them may fail too, and the first
	// failure in plan order is the one reported, as when the files are
	// staged one by one. After a Cancel, no file is started.
	errs := make([]error, len(todo))
	var failed atomic.Int64 // the lowest index that failed
	failed.Store(int64(len(todo)))
	var interrupted atomic.Bool
	parallel.Each(len(todo), site.Workers, func(k int) {
		if int64(k) > failed.Load() {
			return
		}
		if s.cancelled.Load() {
			interrupted.Store(true)
			return
		}
		a := &acts[todo[k]]
		var err error
		a.tmp, err = stageFile(a.Path, a.data)
		a.staged, a.data = err == nil, nil
		if err != nil {
			errs[k] = errors.New(a.Path + ": " + diag.Cause(err))
			for f := failed.Load(); int64(k) < f && !failed.CompareAndSwap(f, int64(k)); f = failed.Load() {
			}
			return
		}
		if Pause != nil {
			Pause("staged", int(s.staged.Add(1)))
		}
	})
	// Every staged file is recorded, so that Abort removes it.
	for _, err := range errs {
		if err != nil {
			return s.fail(err, site.Dir, acts)
		}
	}
	if interrupted.Load() {
		return s.fail(ErrInterrupted, site.Dir, acts)
	}
	s.mu.Lock()
	s.recs.add(site.Dir, acts)
	s.mu.Unlock()
	return nil
}

// fail records err (the first one wins) and the actions already staged,
// so that Abort removes their files.
func (s *Stager) fail(err error, dir string, staged []Action) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.recs.add(dir, staged)
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

// Actions lists what the run does, sorted by path. It builds every
// action's path: a caller that only counts should use Each.
func (s *Stager) Actions() []Action {
	out := make([]Action, 0, s.recs.list.len())
	s.Each(func(a Action) { out = append(out, a) })
	return out
}

// Each calls fn with every action of the run, in path order, building
// one at a time.
func (s *Stager) Each(fn func(Action)) {
	s.recs.sortByPath()
	for _, rec := range s.recs.list.all {
		fn(s.recs.action(rec))
	}
}

// Commit moves every staged file into place and deletes what the run no
// longer produces, in rank order (see rankContent): however it stops, the
// MANIFESTs on disk, with the ones staged beside them, vouch for every
// file pchat-hadr wrote, so the next run can finish the job.
func (s *Stager) Commit() error {
	r := &s.recs
	r.sortByPath()
	sort.Stable(sorter{&r.list, func(a, b *record) bool {
		if a.rank != b.rank {
			return a.rank < b.rank
		}
		if a.rank == rankRmdir {
			return r.less(*b, *a) // a folder's subfolders first
		}
		return false
	}})
	for n, rec := range r.list.all {
		var err error
		path := r.path(rec)
		switch kinds[rec.kind] {
		case "create", "update":
			err = rename(tempName(path, rec.tmp), path)
		case "delete":
			err = os.Remove(path)
		case "clean":
			if err = os.Remove(path); errors.Is(err, os.ErrNotExist) {
				err = nil
			}
		case "rmdir":
			os.Remove(path) // only succeeds once empty; the user's files stay
		default:
			continue
		}
		if err != nil {
			s.abort(true)
			return errors.New(path + ": " + diag.Cause(err))
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
	for _, rec := range s.recs.list.all {
		if !rec.staged {
			continue
		}
		path := s.recs.path(rec)
		if keepManifests && isManifest(path) {
			continue
		}
		if tmp := tempName(path, rec.tmp); lstatOK(tmp) {
			os.Remove(tmp)
		}
	}
	sort.Slice(s.dirs, func(i, j int) bool { return len(s.dirs[i]) > len(s.dirs[j]) })
	for _, d := range s.dirs {
		os.Remove(d) // only succeeds while empty
	}
}
