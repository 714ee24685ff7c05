package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"pchat-hadr/generator/diag"
)

// LockName is the file a generate run holds in the output root, so that
// two runs cannot write one tree at once.
const LockName = ".pchat-hadr.lock"

// held lists the lock files this process holds: its own pid in a lock file
// is a lock it holds, unless it is not in here (then an earlier process
// that had the same pid left it).
var held sync.Map

// Lock is a held lock on an output root.
type Lock struct {
	path    string
	created []string // folders created to hold the lock, deepest first
}

// LockedError says that another live run holds the lock.
type LockedError struct {
	Root string
	PID  int
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("%s is being written by another pchat-hadr run (process %d); wait for it to finish and run again (if no such process is running, delete %s)",
		filepath.ToSlash(e.Root), e.PID, filepath.ToSlash(filepath.Join(e.Root, LockName)))
}

// LockRoot takes the lock of an output root, creating the root if needed.
// A lock left by a process that no longer runs (killed with -9, or a power
// cut) is taken over; one held by a live process is a *LockedError.
func LockRoot(root string) (*Lock, error) {
	l := &Lock{path: filepath.Join(root, LockName)}
	for d := filepath.Clean(root); ; d = filepath.Dir(d) {
		if _, err := os.Lstat(d); err == nil || d == filepath.Dir(d) {
			break
		}
		l.created = append(l.created, d)
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, fmt.Errorf("%s: cannot create the output folder: %s", filepath.ToSlash(root), diag.Cause(err))
	}
	for attempt := 0; ; attempt++ {
		f, err := os.OpenFile(l.path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			_, err = fmt.Fprintf(f, "pid %d\n", os.Getpid())
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				l.Release()
				return nil, err
			}
			held.Store(l.path, true)
			return l, nil
		}
		if !errors.Is(err, fs.ErrExist) || attempt > 0 {
			l.Release()
			return nil, err
		}
		if pid, live := holder(l.path); live {
			l.release(false)
			return nil, &LockedError{Root: root, PID: pid}
		}
		// Stale: its process is gone. Two runs starting at once may both
		// see it; the O_EXCL create above lets only one of them win.
		if err := os.Remove(l.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			l.Release()
			return nil, err
		}
	}
}

// Release removes the lock, and the folders LockRoot created if they are
// still empty (a run that wrote nothing leaves nothing).
func (l *Lock) Release() { l.release(true) }

func (l *Lock) release(own bool) {
	if own {
		held.Delete(l.path)
		os.Remove(l.path)
	}
	for _, d := range l.created {
		os.Remove(d) // only succeeds while empty
	}
}

// Holder returns the process holding root's lock, when one is running.
func Holder(root string) (int, bool) { return holder(filepath.Join(root, LockName)) }

// holder reads a lock file: "pid N". A file that cannot be read or parsed
// was torn by a crash while being written, and counts as stale.
func holder(path string) (int, bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	pid, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(string(data), "pid ")))
	switch {
	case err != nil || pid <= 0:
		return 0, false
	case pid == os.Getpid():
		_, ours := held.Load(path)
		return pid, ours
	}
	return pid, alive(pid)
}
