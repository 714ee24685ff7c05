//go:build unix

// Command atomic-copy copies a tree as generate writes one, for
// bench-vs-copy's floor: every file's sha256 (generate's MANIFESTs), then
// its bytes into a new temporary file beside the target (O_EXCL) and a
// rename onto it, on as many goroutines as there are cores, each folder
// made once, with the plain system calls generator/output uses. It renders
// nothing: its time against cp -r is what writing the files the way
// generate must (atomically, hashed) costs by itself, and generate's time
// above it what producing the bytes costs. Like cp -r, and unlike
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
	"sync"
	"syscall"
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
	workers := runtime.GOMAXPROCS(0)
	next := make(chan file)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf []byte
			var first error
			for f := range next {
				if first == nil {
					buf, first = copyFile(filepath.Join(src, f.rel), filepath.Join(dst, f.rel), f.size, buf)
				}
			}
			errs <- first
		}()
	}
	for _, f := range files {
		next <- f
	}
	close(next)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// copyFile copies from to to through a temporary file, reading into buf
// (grown as needed, and returned for the next file).
func copyFile(from, to string, size int, buf []byte) ([]byte, error) {
	if cap(buf) < size+1 {
		buf = make([]byte, size+1)
	}
	fd, err := syscall.Open(from, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return buf, &fs.PathError{Op: "open", Path: from, Err: err}
	}
	n, err := syscall.Read(fd, buf[:size+1])
	syscall.Close(fd)
	if err != nil || n != size {
		return buf, fmt.Errorf("%s: read %d bytes of %d: %v", from, n, size, err)
	}
	data := buf[:n]
	sha256.Sum256(data) // as generate hashes every file for its MANIFEST
	tmp := to + ".tmp"
	fd, err = syscall.Open(tmp, syscall.O_RDWR|syscall.O_CREAT|syscall.O_EXCL|syscall.O_CLOEXEC, 0o644)
	if err != nil {
		return buf, &fs.PathError{Op: "open", Path: tmp, Err: err}
	}
	for len(data) > 0 && err == nil {
		n, err = syscall.Write(fd, data)
		data = data[n:]
	}
	if cerr := syscall.Close(fd); err == nil {
		err = cerr
	}
	if err != nil {
		syscall.Unlink(tmp)
		return buf, &fs.PathError{Op: "write", Path: tmp, Err: err}
	}
	if err := syscall.Rename(tmp, to); err != nil {
		return buf, &os.LinkError{Op: "rename", Old: tmp, New: to, Err: err}
	}
	return buf, nil
}
