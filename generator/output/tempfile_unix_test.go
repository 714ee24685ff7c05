//go:build unix

package output

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestFilesAre0644UnderAnyUmask proves that files are written 0644 both
// under the usual umask, where they are created with that mode, and under
// a stricter one, where the writer chmods them.
func TestFilesAre0644UnderAnyUmask(t *testing.T) {
	for _, mask := range []int{0o022, 0o077} {
		old := syscall.Umask(mask)
		umaskKeepsMode.Store(false)
		dir := t.TempDir()
		generate(t, false, newSite(dir, v1))
		syscall.Umask(old)
		for p := range v1 {
			info, err := os.Stat(filepath.Join(dir, p))
			if err != nil {
				t.Fatal(err)
			}
			if info.Mode().Perm() != fileMode {
				t.Errorf("umask %03o: %s has mode %v; want %v", mask, p, info.Mode().Perm(), os.FileMode(fileMode))
			}
		}
	}
	umaskKeepsMode.Store(false)
}
