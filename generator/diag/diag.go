// Package diag holds the problems that loading and validating a site file
// report, and formats them the way compilers do: path:line:col: key: message.
package diag

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strconv"
	"strings"
)

// Severity says whether a problem stops generation.
type Severity int

const (
	// Error stops generation; nothing is written.
	Error Severity = iota
	// Warning is printed but does not stop generation.
	Warning
)

// Problem is one finding about one key of one site file.
type Problem struct {
	File     string // path of the site file as the user named it
	Line     int    // 1-based; 0 when the key has no line (missing key, whole file)
	Col      int    // 1-based; 0 when unknown
	Key      string // dotted key path such as sql.primary.port; empty for the whole file
	Message  string
	Severity Severity
}

// String formats the problem as file:line:col: key: message.
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
		if p.Col > 0 {
			fmt.Fprintf(&b, ":%d", p.Col)
		}
	}
	b.WriteString(": ")
	if p.Severity == Warning {
		b.WriteString("warning: ")
	}
	if p.Key != "" {
		b.WriteString(p.Key)
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// List is an ordered collection of problems.
type List []Problem

// Sort orders problems by file, line, column, key and message so that the
// report is the same on every run whatever order the checks ran in.
func (l List) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		if a.Key != b.Key {
			return a.Key < b.Key
		}
		return a.Message < b.Message
	})
}

// Errors returns only the problems that stop generation.
func (l List) Errors() List {
	var out List
	for _, p := range l {
		if p.Severity == Error {
			out = append(out, p)
		}
	}
	return out
}

// Warnings returns only the problems that do not stop generation.
func (l List) Warnings() List {
	var out List
	for _, p := range l {
		if p.Severity == Warning {
			out = append(out, p)
		}
	}
	return out
}

// String joins the problems one per line, each line ending in a newline.
func (l List) String() string {
	var b strings.Builder
	for _, p := range l {
		b.WriteString(p.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// Quote puts a value in double quotes for a message. Unlike %q it leaves
// backslashes alone, so DOMAIN\name and \\server\share read as written;
// values with control or non-ASCII characters fall back to Go escapes.
func Quote(s string) string {
	for _, r := range s {
		if r < 0x20 || r > 0x7e || r == '"' {
			return strconv.Quote(s)
		}
	}
	return `"` + s + `"`
}

// Cause is an error's message without the path that an os error repeats
// (open x: permission denied -> permission denied): a problem names the
// file already.
func Cause(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err.Error()
	}
	return err.Error()
}
