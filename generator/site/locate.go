package site

import (
	"strconv"
	"strings"
)

// Pos is a 1-based line and column in a site file.
type Pos struct{ Line, Col int }

// Locate maps every key path in a TOML document to the position where the
// key is written. Paths use dots between keys and [i] for the elements of
// arrays of tables and arrays of inline tables: "sql.primary.port",
// "servers[2].fqdn". BurntSushi/toml has no public API for key positions
// (upstream issue #462), so semantic errors need this small scanner. It is
// only run on text the decoder has accepted, but it never panics on bad input.
func Locate(src string) map[string]Pos {
	l := &locator{src: src, line: 1, col: 1, out: map[string]Pos{}, arrays: map[string]int{}}
	if strings.HasPrefix(src, "\uFEFF") {
		l.i = len("\uFEFF") // a byte-order mark is not a column
	}
	l.document()
	return l.out
}

type locator struct {
	src       string
	i         int
	line, col int
	out       map[string]Pos
	arrays    map[string]int // array-of-tables path -> elements seen so far
	table     string         // current table path
}

func (l *locator) eof() bool { return l.i >= len(l.src) }

func (l *locator) peek() byte {
	if l.eof() {
		return 0
	}
	return l.src[l.i]
}

func (l *locator) next() byte {
	c := l.peek()
	if l.eof() {
		return 0
	}
	l.i++
	if c == '\n' {
		l.line++
		l.col = 1
	} else if c < 0x80 || c >= 0xC0 {
		l.col++ // count runes, not continuation bytes
	}
	return c
}

func (l *locator) hasPrefix(s string) bool { return strings.HasPrefix(l.src[l.i:], s) }

// skipSpace skips blanks, comments and, when lines is true, newlines.
func (l *locator) skipSpace(lines bool) {
	for !l.eof() {
		switch c := l.peek(); {
		case c == ' ' || c == '\t' || c == '\r':
			l.next()
		case c == '\n' && lines:
			l.next()
		case c == '#':
			for !l.eof() && l.peek() != '\n' {
				l.next()
			}
		default:
			return
		}
	}
}

func (l *locator) document() {
	for {
		l.skipSpace(true)
		if l.eof() {
			return
		}
		start := l.i
		switch {
		case l.hasPrefix("[["):
			l.header(true)
		case l.peek() == '[':
			l.header(false)
		default:
			l.keyValue(l.table)
		}
		if l.i == start { // malformed input: make progress regardless
			l.next()
		}
	}
}

func (l *locator) header(array bool) {
	pos := Pos{l.line, l.col}
	l.next()
	if array {
		l.next()
	}
	parts := l.key()
	l.skipSpace(false)
	for !l.eof() && l.peek() == ']' {
		l.next()
	}
	path := l.resolve(parts, array)
	// The tables a header implies ([a.b] implies a) are located at their
	// first header, so problems with them get a line too.
	for i := range parts {
		l.record(l.resolvePrefix(parts[:i+1]), pos)
	}
	if array {
		n := l.arrays[path]
		l.arrays[path] = n + 1
		path = path + "[" + strconv.Itoa(n) + "]"
	}
	l.record(path, pos)
	l.table = path
}

// resolvePrefix resolves a header prefix without claiming a new element.
func (l *locator) resolvePrefix(parts []string) string {
	return l.resolve(parts, false)
}

// resolve joins header keys, stepping into the latest element of any array
// of tables on the way ("[servers.x]" after "[[servers]]" is servers[n].x).
func (l *locator) resolve(parts []string, array bool) string {
	path := ""
	for i, p := range parts {
		path = join(path, p)
		last := i == len(parts)-1
		if n, ok := l.arrays[path]; ok && n > 0 && !(last && array) {
			path += "[" + strconv.Itoa(n-1) + "]"
		}
	}
	return path
}

func (l *locator) keyValue(prefix string) {
	pos := Pos{l.line, l.col}
	parts := l.key()
	if len(parts) == 0 {
		return
	}
	path := prefix
	for _, p := range parts {
		path = join(path, p)
		l.record(path, pos)
	}
	l.skipSpace(false)
	if l.peek() == '=' {
		l.next()
	}
	l.skipSpace(false)
	l.value(path)
}

func (l *locator) value(path string) {
	switch {
	case l.hasPrefix(`"""`):
		l.string(`"""`, true)
	case l.hasPrefix(`'''`):
		l.string(`'''`, false)
	case l.peek() == '"':
		l.string(`"`, true)
	case l.peek() == '\'':
		l.string(`'`, false)
	case l.peek() == '{':
		l.inlineTable(path)
	case l.peek() == '[':
		l.array(path)
	default:
		for !l.eof() && !strings.ContainsRune(",]}\n#", rune(l.peek())) {
			l.next()
		}
	}
}

func (l *locator) inlineTable(path string) {
	l.next()
	for {
		l.skipSpace(true)
		if l.eof() {
			return
		}
		if l.peek() == '}' {
			l.next()
			return
		}
		if l.peek() == ',' {
			l.next()
			continue
		}
		start := l.i
		l.keyValue(path)
		if l.i == start {
			l.next()
		}
	}
}

func (l *locator) array(path string) {
	l.next()
	for n := 0; ; {
		l.skipSpace(true)
		if l.eof() {
			return
		}
		switch l.peek() {
		case ']':
			l.next()
			return
		case ',':
			l.next()
			continue
		}
		elem := path + "[" + strconv.Itoa(n) + "]"
		if l.peek() == '{' {
			l.record(elem, Pos{l.line, l.col})
		}
		start := l.i
		l.value(elem)
		if l.i == start {
			l.next()
		}
		n++
	}
}

// string skips a string value; basic strings honour backslash escapes.
func (l *locator) string(delim string, escapes bool) {
	for range len(delim) {
		l.next()
	}
	for !l.eof() {
		if escapes && l.peek() == '\\' {
			l.next()
			l.next()
			continue
		}
		if l.hasPrefix(delim) {
			for range len(delim) {
				l.next()
			}
			// A multi-line string may end with up to two extra quotes.
			for len(delim) == 3 && l.hasPrefix(delim[:1]) {
				l.next()
			}
			return
		}
		l.next()
	}
}

// key reads a dotted key of bare and quoted parts.
func (l *locator) key() []string {
	var parts []string
	for {
		l.skipSpace(false)
		var part string
		switch c := l.peek(); {
		case c == '"' || c == '\'':
			start := l.i
			l.string(string(c), c == '"')
			part = unquoteKey(l.src[start:l.i])
		case isBare(c):
			start := l.i
			for !l.eof() && isBare(l.peek()) {
				l.next()
			}
			part = l.src[start:l.i]
		default:
			return parts
		}
		parts = append(parts, part)
		l.skipSpace(false)
		if l.peek() != '.' {
			return parts
		}
		l.next()
	}
}

func isBare(c byte) bool {
	return c == '_' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func (l *locator) record(path string, pos Pos) {
	if _, seen := l.out[path]; !seen {
		l.out[path] = pos
	}
}

func join(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

// unquoteKey decodes a quoted key as the decoder does, so that "n\u0061me"
// is located as name. Undecodable text is kept as written.
func unquoteKey(q string) string {
	if len(q) < 2 {
		return q
	}
	if q[0] == '\'' {
		return q[1 : len(q)-1]
	}
	if u, err := strconv.Unquote(q); err == nil {
		return u
	}
	return q[1 : len(q)-1]
}
