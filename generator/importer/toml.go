package importer

import (
	"fmt"
	"strconv"
	"strings"
)

// table is one [table] or [[array]] of the site file being written, with
// the keys in the order they are written.
type table struct {
	header string   // "[sql.primary]", "[[servers]]"; "" for the top level
	notes  []string // comment lines above the header
	lines  []line
}

// line is a key with its value and where the value came from, or a
// comment alone (key "").
type line struct {
	key   string
	value any // string, int or bool
	from  string
}

func (t *table) set(key string, value any, from string) {
	t.lines = append(t.lines, line{key: key, value: value, from: from})
}

// todo writes a placeholder: the key is written with the value "TODO: what",
// which validate reports until it is replaced.
func (t *table) todo(key, what, why string) {
	t.set(key, todoText(what), why)
}

func (t *table) note(text string) {
	t.lines = append(t.lines, line{from: text})
}

func todoText(what string) string { return "TODO: " + what }

// render writes the tables as TOML: each value preceded by a comment
// saying where it came from.
func render(head []string, tables []*table) string {
	var b strings.Builder
	for _, h := range head {
		comment(&b, h)
	}
	for i, t := range tables {
		if i > 0 || len(head) > 0 {
			b.WriteByte('\n')
		}
		for _, n := range t.notes {
			comment(&b, n)
		}
		if t.header != "" {
			b.WriteString(t.header + "\n")
		}
		for _, l := range t.lines {
			if l.from != "" {
				comment(&b, l.from)
			}
			if l.key != "" {
				fmt.Fprintf(&b, "%s = %s\n", l.key, value(l.value))
			}
		}
	}
	return b.String()
}

// comment writes text as comment lines; collected values may hold any
// character, and a line break must not end the comment.
func comment(b *strings.Builder, text string) {
	for _, l := range strings.Split(text, "\n") {
		l = strings.Map(func(r rune) rune {
			if r < 0x20 || r == 0x7f {
				return ' '
			}
			return r
		}, l)
		b.WriteString(strings.TrimRight("# "+l, " ") + "\n")
	}
}

// value encodes a TOML value. Strings without ' or control characters are
// written as literal strings, so Windows paths need no doubled backslashes,
// as in the example site; the others as basic strings with escapes.
func value(v any) string {
	switch x := v.(type) {
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.Itoa(x)
	case string:
		if strings.HasPrefix(x, "TODO") || strings.ContainsAny(x, "'") || hasControl(x) {
			return basic(x)
		}
		if strings.Contains(x, `\`) {
			return "'" + x + "'"
		}
		return basic(x)
	}
	panic(fmt.Sprintf("importer: no TOML form for %T", v))
}

func basic(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func hasControl(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return true
		}
	}
	return false
}
