package output

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestLockRoot proves that a second lock on a root is refused with the
// holder's process, that a lock left by a process that no longer runs (or
// a torn lock file) is taken over, and that releasing a lock on a root it
// had to create leaves nothing behind.
func TestLockRoot(t *testing.T) {
	root := filepath.Join(t.TempDir(), "new", "out")
	l, err := LockRoot(root)
	if err != nil {
		t.Fatal(err)
	}
	var le *LockedError
	if _, err := LockRoot(root); !errors.As(err, &le) || le.PID != os.Getpid() {
		t.Fatalf("second LockRoot = %v; want a LockedError naming this process", err)
	}
	if pid, live := Holder(root); !live || pid != os.Getpid() {
		t.Errorf("Holder = %d, %v", pid, live)
	}
	l.Release()
	if exists(filepath.Dir(root)) {
		t.Error("Release left the folders LockRoot created")
	}

	for _, stale := range []string{"pid 999999999\n", "garbage", ""} {
		write(t, filepath.Join(root, LockName), stale)
		l, err := LockRoot(root)
		if err != nil {
			t.Fatalf("lock %q: %v; want a stale lock taken over", stale, err)
		}
		l.Release()
		if exists(filepath.Join(root, LockName)) {
			t.Error("Release left the lock file")
		}
	}
}
