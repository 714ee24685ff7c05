package output

import (
	"os"
	"path/filepath"
	"testing"
)

// TestWriteAtomic: the file holds the bytes with pchat-hadr's mode, an
// existing one is replaced, and no temporary file is left beside it.
func TestWriteAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.sql")
	for _, data := range []string{"first\r\n", "second, longer\r\n"} {
		if err := WriteAtomic(path, []byte(data)); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(path)
		if err != nil || string(got) != data {
			t.Fatalf("read %q, %v; want %q", got, err, data)
		}
		if info, err := os.Stat(path); err != nil || info.Mode().Perm() != fileMode {
			t.Errorf("mode %v, %v; want %v", info.Mode().Perm(), err, os.FileMode(fileMode))
		}
		entries, err := os.ReadDir(dir)
		if err != nil || len(entries) != 1 {
			t.Errorf("folder holds %v, %v; want only x.sql", entries, err)
		}
	}
	if err := WriteAtomic(filepath.Join(dir, "missing", "y.sql"), []byte("x")); err == nil {
		t.Error("writing into a missing folder succeeded")
	}
}
