//go:build !unix

package output

import (
	"io"
	"io/fs"
	"os"
)

// createExcl creates name, which must not exist yet, with fileMode and
// writes data to it. With probe it also returns the file's mode.
func createExcl(name string, data []byte, probe bool) (fs.FileMode, error) {
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, fileMode)
	if err != nil {
		return 0, err
	}
	_, err = f.Write(data)
	var mode fs.FileMode
	if probe && err == nil {
		if info, serr := f.Stat(); serr == nil {
			mode = info.Mode().Perm()
		}
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name)
	}
	return mode, err
}

// readInto reads a file into buf, grown as needed; see fileio_unix.go.
func readInto(name string, buf []byte, size int) (data, grown []byte, err error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, buf, err
	}
	defer f.Close()
	if cap(buf) <= size {
		buf = make([]byte, 0, size+4096)
	}
	w := writerTo{buf[:0]}
	_, err = io.Copy(&w, f)
	return w.b, w.b, err
}

type writerTo struct{ b []byte }

func (w *writerTo) Write(p []byte) (int, error) { w.b = append(w.b, p...); return len(p), nil }

func rename(from, to string) error { return os.Rename(from, to) }
