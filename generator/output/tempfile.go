package output

import (
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
)

// fileMode is the mode of every file pchat-hadr writes.
const fileMode = 0o644

// umaskKeepsMode is set once a file created with fileMode came out with
// exactly that mode: the process's umask (the usual 022 or 002) leaves it
// alone, so later files need no chmod. Until then, and under a stricter
// umask, each file is chmodded after it is written, as before.
var umaskKeepsMode atomic.Bool

// writeTemp writes data to a new temporary file beside path and returns
// its number (see tempName).
func writeTemp(path string, data []byte) (uint32, error) {
	probe := !umaskKeepsMode.Load()
	// No fsync: the rename makes each file appear whole to every reader,
	// and a power cut can at worst leave a file that check reports and
	// generate rewrites. Syncing every file made a 1,000-site run take
	// minutes (docs/performance.md).
	for try := 0; ; try++ {
		n := rand.Uint32()
		name := tempName(path, n)
		mode, err := createExcl(name, data, probe)
		if errors.Is(err, fs.ErrExist) && try < 10000 {
			continue
		}
		if err != nil {
			return 0, err
		}
		if probe && mode == fileMode {
			umaskKeepsMode.Store(true)
		} else if probe {
			if err := os.Chmod(name, fileMode); err != nil {
				os.Remove(name)
				return 0, err
			}
		}
		return n, nil
	}
}

// WriteAtomic writes data to path as a run commits a file: staged in a new
// temporary file beside it and renamed onto it, with the same system
// calls. It is for tools/atomic-copy, the floor of make bench-vs-copy,
// which must write as generate writes; a run stages every file before it
// renames any (Stager), which a single call cannot.
func WriteAtomic(path string, data []byte) error {
	n, err := writeTemp(path, data)
	if err != nil {
		return err
	}
	tmp := tempName(path, n)
	if err := rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// tempName is the path of temporary file number n for the target path:
// beside it, named like every temporary file of pchat-hadr's.
func tempName(path string, n uint32) string {
	prefix := tempPrefix
	if isManifest(path) {
		prefix = pendingPrefix
	}
	return filepath.Join(filepath.Dir(path), prefix+strconv.FormatUint(uint64(n), 10)+tempSuffix)
}

func lstatOK(name string) bool {
	_, err := os.Lstat(name)
	return err == nil
}
