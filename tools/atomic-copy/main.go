//go:build unix

// Command atomic-copy copies a tree as generate writes one, for
// bench-vs-copy's floor: every file's sha256 (generate's MANIFESTs), then
// its bytes into a new temporary file beside the target and a rename onto
// it (output.WriteAtomic, generate's own code), on as many goroutines as
// there are cores, each folder made once. It renders nothing: its time
// against cp -r is what writing the files the way generate must
// (atomically, hashed) costs by itself, and generate's time above it what
// producing the bytes costs. Like cp -r, and unlike
// generate, it also reads each file, with one open, read and close into a
// buffer of the size the walk found.
//
//	atomic-copy SRC DST
package main

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"syscall"

	"pchat-hadr/generator/output"
	"pchat-hadr/generator/parallel"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: atomic-copy SRC DST")
		os.Exit(2)
	}
	if err := copyTree(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "atomic-copy:", err)
		os.Exit(1)
	}
}

// file is one file to copy: its path below the tree and its size.
type file struct {
	rel  string
	size int
}

func copyTree(src, dst string) error {
	var files []file
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.Mkdir(filepath.Join(dst, rel), 0o755)
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		files = append(files, file{rel, int(info.Size())})
		return nil
	})
	if err != nil {
		return err
	}
	errs := make([]error, len(files))
	parallel.Each(len(files), runtime.GOMAXPROCS(0), func(i int) {
		errs[i] = copyFile(filepath.Join(src, files[i].rel), filepath.Join(dst, files[i].rel), files[i].size)
	})
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// copyFile copies from, of size bytes, to to through a temporary file.
func copyFile(from, to string, size int) error {
	buf := make([]byte, size+1)
	fd, err := syscall.Open(from, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return &fs.PathError{Op: "open", Path: from, Err: err}
	}
	n, err := syscall.Read(fd, buf)
	syscall.Close(fd)
	if err != nil || n != size {
		return fmt.Errorf("%s: read %d bytes of %d: %v", from, n, size, err)
	}
	data := buf[:n]
	sha256.Sum256(data) // as generate hashes every file for its MANIFEST
	return output.WriteAtomic(to, data)
}
