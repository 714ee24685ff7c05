// Command atomic-copy copies a tree as generate writes one, for
// bench-vs-copy's floor: every file's sha256 (generate's MANIFESTs), then
// its bytes into a new temporary file beside the target and a rename onto
// it, on as many goroutines as there are cores, each folder made once.
// It renders nothing: its time against cp -r is what writing the files
// the way generate must (atomically, hashed) costs by itself, and
// generate's time above it is the cost of producing the bytes.
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

func copyTree(src, dst string) error {
	var files []string
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
		files = append(files, rel)
		return nil
	})
	if err != nil {
		return err
	}
	next := make(chan string)
	errs := make(chan error, runtime.GOMAXPROCS(0))
	sums := make([][32]byte, runtime.GOMAXPROCS(0)) // kept, so the hashing is done
	var wg sync.WaitGroup
	for w := range sums {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var first error
			for rel := range next {
				if first == nil {
					var sum [32]byte
					sum, first = copyFile(filepath.Join(src, rel), filepath.Join(dst, rel))
					for i := range sum {
						sums[w][i] ^= sum[i]
					}
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

func copyFile(from, to string) (sum [32]byte, err error) {
	b, err := os.ReadFile(from)
	if err != nil {
		return sum, err
	}
	sum = sha256.Sum256(b)
	tmp := to + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return sum, err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return sum, err
	}
	if err := f.Close(); err != nil {
		return sum, err
	}
	return sum, os.Rename(tmp, to)
}
