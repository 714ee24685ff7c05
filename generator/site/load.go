package site

import (
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"pchat-hadr/generator/diag"
)

// MaxFileSize bounds a site file; a real one is a few kilobytes.
const MaxFileSize = 1 << 20

// Loaded is a site file that parsed and whose keys and value types match
// the schema. Its values have not been validated yet.
type Loaded struct {
	File string // path as the user named it, used in every message
	Site Site
	pos  map[string]Pos
	meta toml.MetaData
}

// Load parses a site file. It reports syntax errors, unknown keys and type
// mismatches, all of them and in source order. Unknown keys do not stop
// decoding, so that validation can report its problems alongside them; the
// returned site is nil only when the file could not be decoded at all.
func Load(file string, data []byte) (*Loaded, diag.List) {
	whole := func(msg string) (*Loaded, diag.List) {
		return nil, diag.List{{File: file, Message: msg}}
	}
	switch {
	case len(data) > MaxFileSize:
		return whole(fmt.Sprintf("file is %d bytes; a site file may be at most %d bytes", len(data), MaxFileSize))
	case !utf8.Valid(data):
		return whole("file is not valid UTF-8 text")
	}
	var raw map[string]any
	if _, err := toml.Decode(string(data), &raw); err != nil {
		return nil, diag.List{parseProblem(file, err)}
	}
	pos := Locate(string(data))
	probs, typeErrs := checkShape(file, raw, pos)
	probs.Sort()
	if typeErrs {
		return nil, probs
	}
	l := &Loaded{File: file, pos: pos}
	meta, err := toml.Decode(string(data), &l.Site)
	if err != nil {
		// checkShape accepts exactly what the decoder accepts; reaching
		// this is a bug in checkShape, reported rather than hidden.
		return whole(fmt.Sprintf("internal error: shape check passed but decode failed: %v", err))
	}
	l.meta = meta
	return l, probs
}

func parseProblem(file string, err error) diag.Problem {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		return diag.Problem{File: file, Line: pe.Position.Line, Col: pe.Position.Col,
			Message: "TOML syntax error: " + pe.Message}
	}
	return diag.Problem{File: file, Message: "TOML syntax error: " + err.Error()}
}

// Defined reports whether the key path was written in the file.
func (l *Loaded) Defined(path ...string) bool { return l.meta.IsDefined(path...) }

// Pos returns the position of a key path, or of its nearest written parent,
// so that a missing key is reported at the table that lacks it.
func (l *Loaded) Pos(path string) Pos {
	return lookup(l.pos, path)
}

// Problem builds an error about a key path, positioned where it is written.
func (l *Loaded) Problem(path, format string, args ...any) diag.Problem {
	p := l.Pos(path)
	return diag.Problem{File: l.File, Line: p.Line, Col: p.Col, Key: path, Message: fmt.Sprintf(format, args...)}
}

// Warning builds a warning about a key path.
func (l *Loaded) Warning(path, format string, args ...any) diag.Problem {
	p := l.Problem(path, format, args...)
	p.Severity = diag.Warning
	return p
}
