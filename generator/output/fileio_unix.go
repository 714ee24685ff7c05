//go:build unix

package output

import (
	"io/fs"
	"os"
	"syscall"
)

// The writer and the comparison open tens of thousands of files. Through
// os.OpenFile each costs four fcntl and an epoll_ctl besides the open (it
// tries to register the file with the poller, which regular files refuse)
// and os.Rename an Lstat; these do the same work with plain system calls.

// createExcl creates name, which must not exist yet, with fileMode (less
// the umask) and writes data to it, removing it again if that fails. With
// probe it also returns the mode the file was created with.
func createExcl(name string, data []byte, probe bool) (fs.FileMode, error) {
	var fd int
	err := retry(func() (err error) {
		fd, err = syscall.Open(name, syscall.O_RDWR|syscall.O_CREAT|syscall.O_EXCL|syscall.O_CLOEXEC, fileMode)
		return err
	})
	if err != nil {
		return 0, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	for len(data) > 0 && err == nil {
		var n int
		err = retry(func() (err error) { n, err = syscall.Write(fd, data); return err })
		data = data[n:]
	}
	var mode fs.FileMode
	if probe && err == nil {
		var st syscall.Stat_t
		if retry(func() error { return syscall.Fstat(fd, &st) }) == nil {
			mode = fs.FileMode(st.Mode & 0o777)
		}
	}
	if cerr := syscall.Close(fd); err == nil {
		err = cerr
	}
	if err != nil {
		syscall.Unlink(name)
		return 0, &fs.PathError{Op: "write", Path: name, Err: err}
	}
	return mode, nil
}

// readInto reads a file into buf, grown as needed, so that comparing a
// tree with the disk does not allocate a copy of every file; size is the
// length expected, to read it in one call. The data is valid until the
// next call with the same buffer.
func readInto(name string, buf []byte, size int) (data, grown []byte, err error) {
	var fd int
	err = retry(func() (err error) {
		fd, err = syscall.Open(name, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		return err
	})
	if err != nil {
		return nil, buf, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	defer syscall.Close(fd)
	if cap(buf) <= size {
		buf = make([]byte, 0, size+4096)
	}
	buf = buf[:0]
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		var n int
		err = retry(func() (err error) { n, err = syscall.Read(fd, buf[len(buf):cap(buf)]); return err })
		if err != nil {
			return nil, buf, &fs.PathError{Op: "read", Path: name, Err: err}
		}
		if n == 0 {
			return buf, buf, nil
		}
		buf = buf[:len(buf)+n]
	}
}

// rename moves a staged file onto its target. rename(2) itself refuses to
// put a file over a folder (EISDIR), which os.Rename checks with an Lstat.
func rename(from, to string) error {
	if err := retry(func() error { return syscall.Rename(from, to) }); err != nil {
		return &os.LinkError{Op: "rename", Old: from, New: to, Err: err}
	}
	return nil
}

// retry repeats a system call that a signal interrupted.
func retry(call func() error) error {
	for {
		if err := call(); err != syscall.EINTR {
			return err
		}
	}
}
