package site

import (
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/BurntSushi/toml"

	"pchat-hadr/generator/diag"
)

// MaxFileSize bounds a site file; a real one is a few kilobytes.
const MaxFileSize = 1 << 20

// Reader reads a file that a site file extends, by path.
type Reader func(path string) ([]byte, error)

// Loaded is a site file, merged with the files it extends, that parsed and
// whose keys and value types match the schema. Its values have not been
// validated yet.
type Loaded struct {
	File    string // path as the user named it, used in every message
	Site    Site
	Merged  map[string]any // the effective document, for show
	TODOs   []TODO         // placeholders left by import, taken out of the document
	origins Origins
}

// Load parses a site file and every file it extends (read with read, which
// may be nil when extends is not allowed). It reports syntax errors, unknown
// keys and type mismatches, all of them and in source order, each against
// the file that wrote the key. Unknown keys do not stop decoding, so that
// validation can report its problems alongside them; the returned site is
// nil only when the document could not be decoded at all.
func Load(file string, data []byte, read Reader) (*Loaded, diag.List) {
	d, probs := loadChain(file, data, read, nil)
	if len(probs) > 0 {
		return nil, probs
	}
	todos := takeTODOs(d.raw, d.origins)
	probs, typeErrs := checkShape(d.raw, d.origins)
	probs.Sort()
	if typeErrs {
		return nil, probs
	}
	l := &Loaded{File: file, Merged: d.raw, TODOs: todos, origins: d.origins}
	pruneUnknown(d.raw, reflect.TypeOf(Site{}))
	decodeInto(d.raw, reflect.ValueOf(&l.Site).Elem())
	return l, probs
}

// doc is one parsed file, or several merged.
type doc struct {
	raw     map[string]any
	origins Origins
}

// loadChain parses file and, first, the file it extends. chain holds the
// files being loaded, outermost first, to refuse cycles.
func loadChain(file string, data []byte, read Reader, chain []string) (doc, diag.List) {
	d, probs := parse(file, data)
	if len(probs) > 0 {
		return doc{}, probs
	}
	ext, ok := d.raw["extends"]
	if !ok {
		return d, nil
	}
	at := d.origins["extends"]
	problem := func(format string, args ...any) (doc, diag.List) {
		return doc{}, diag.List{{File: file, Line: at.Line, Col: at.Col, Key: "extends", Message: fmt.Sprintf(format, args...)}}
	}
	name, isString := ext.(string)
	switch {
	case !isString || name == "":
		return problem("must be the path of a defaults file, relative to this file")
	case isAbsolute(name):
		return problem("%s is an absolute path; write it relative to this file (such as ../defaults.toml), so that the sites read the same on every machine", diag.Quote(name))
	case read == nil:
		return problem("extends is not available for this input")
	}
	parent := filepath.Join(filepath.Dir(file), filepath.FromSlash(name))
	chain = append(chain, filepath.Clean(file))
	for _, c := range chain {
		if c == filepath.Clean(parent) {
			return problem("%s extends itself through %s", diag.Quote(filepath.ToSlash(parent)), cycle(chain, parent))
		}
	}
	pdata, err := read(parent)
	if err != nil {
		return problem("cannot read %s: %s", diag.Quote(filepath.ToSlash(parent)), diag.Cause(err))
	}
	base, probs := loadChain(parent, pdata, read, chain)
	if len(probs) > 0 {
		return doc{}, probs
	}
	delete(base.raw, "extends")
	return merge(base, d), nil
}

// isAbsolute recognises absolute paths of every system, not only this
// one's: a site file written on Windows may be read on Linux in CI.
func isAbsolute(p string) bool {
	return filepath.IsAbs(p) || strings.HasPrefix(p, "/") || strings.HasPrefix(p, `\`) ||
		len(p) >= 2 && p[1] == ':' && (p[0] >= 'a' && p[0] <= 'z' || p[0] >= 'A' && p[0] <= 'Z')
}

func cycle(chain []string, back string) string {
	s := ""
	for _, c := range chain {
		s += filepath.ToSlash(c) + " -> "
	}
	return s + filepath.ToSlash(back)
}

// parse reads one file into a generic document with the origin of every key.
func parse(file string, data []byte) (doc, diag.List) {
	whole := func(msg string) (doc, diag.List) {
		return doc{}, diag.List{{File: file, Message: msg}}
	}
	if len(data) > MaxFileSize {
		return whole(fmt.Sprintf("file is %d bytes; a site file may be at most %d bytes", len(data), MaxFileSize))
	}
	text, err := Decode(data)
	if err != nil {
		return whole(err.Error())
	}
	var raw map[string]any
	if _, err := toml.Decode(text, &raw); err != nil {
		return doc{}, diag.List{parseProblem(file, err)}
	}
	origins := Origins{"": {File: file}}
	for k, p := range Locate(text) {
		origins[k] = Origin{File: file, Pos: p}
	}
	return doc{raw: raw, origins: origins}, nil
}

func parseProblem(file string, err error) diag.Problem {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		return diag.Problem{File: file, Line: pe.Position.Line, Col: pe.Position.Col,
			Message: "TOML syntax error: " + pe.Message}
	}
	return diag.Problem{File: file, Message: "TOML syntax error: " + err.Error()}
}

// Defined reports whether the key path was written in the file or a file
// it extends.
func (l *Loaded) Defined(path ...string) bool { return defined(l.Merged, path) }

// Origin returns where a key path, or its nearest written parent, was
// written, so that a missing key is reported at the table that lacks it.
func (l *Loaded) Origin(path string) Origin {
	o := l.origins.Lookup(path)
	if o.File == "" {
		o.File = l.File
	}
	return o
}

// Problem builds an error about a key path, positioned where it is written.
func (l *Loaded) Problem(path, format string, args ...any) diag.Problem {
	o := l.Origin(path)
	return diag.Problem{File: o.File, Line: o.Line, Col: o.Col, Key: path, Message: fmt.Sprintf(format, args...)}
}

// Warning builds a warning about a key path.
func (l *Loaded) Warning(path, format string, args ...any) diag.Problem {
	p := l.Problem(path, format, args...)
	p.Severity = diag.Warning
	return p
}
