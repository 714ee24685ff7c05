// Package quote is the one audited place where site values become T-SQL or
// PowerShell text. Templates reach these functions through the render
// package's function map and have no other way to emit a site value.
package quote

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxSysname is the length limit of SQL Server's sysname (nvarchar(128)).
const MaxSysname = 128

// SQLIdent quotes a T-SQL identifier the way QUOTENAME does: [name] with
// every ] doubled. Empty names and names longer than sysname are refused,
// because QUOTENAME would return NULL for them.
func SQLIdent(name string) (string, error) {
	n := utf8.RuneCountInString(name)
	if n == 0 || n > MaxSysname {
		return "", fmt.Errorf("identifier %q must be 1 to %d characters", name, MaxSysname)
	}
	if err := noControl(name); err != nil {
		return "", err
	}
	return "[" + strings.ReplaceAll(name, "]", "]]") + "]", nil
}

// SQLString quotes a T-SQL Unicode string literal: N'value' with every '
// doubled. It is used for every procedure argument and address; a value
// never appears in a double-quoted string (QUOTED_IDENTIFIER varies by client).
func SQLString(s string) (string, error) {
	if err := noControl(s); err != nil {
		return "", err
	}
	return "N'" + strings.ReplaceAll(s, "'", "''") + "'", nil
}

// SQLStringTo writes SQLString(s) to w; a value with nothing to double
// is written between the quote marks as it is, without building the
// quoted string (the template executor's path for a value it prints).
func SQLStringTo(w *bytes.Buffer, s string) error { return quoteTo(w, s, "N'", SQLString) }

// PSStringTo writes PSString(s) to w, as SQLStringTo does SQLString.
func PSStringTo(w *bytes.Buffer, s string) error { return quoteTo(w, s, "'", PSString) }

// quoteTo writes open, s and a closing quote when s is printable ASCII
// without a quote (what quote would then return), and quote(s) otherwise.
func quoteTo(w *bytes.Buffer, s, open string, quote func(string) (string, error)) error {
	if printableASCII(s) && strings.IndexByte(s, '\'') < 0 {
		w.WriteString(open)
		w.WriteString(s)
		w.WriteByte('\'')
		return nil
	}
	q, err := quote(s)
	if err == nil {
		w.WriteString(q)
	}
	return err
}

// PSString quotes a PowerShell single-quoted string: 'value' with every
// quote character doubled. PowerShell also treats the typographic single
// quotes U+2018..U+201B as quote marks, so those are doubled too.
func PSString(s string) (string, error) {
	if printableASCII(s) && strings.IndexByte(s, '\'') < 0 {
		return "'" + s + "'", nil // nothing to double: most values
	}
	if err := noControl(s); err != nil {
		return "", err
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteByte('\'')
	for _, r := range s {
		b.WriteRune(r)
		if r == '\'' || r >= '\u2018' && r <= '\u201B' {
			b.WriteRune(r)
		}
	}
	b.WriteByte('\'')
	return b.String(), nil
}

// Comment returns a value for use inside a line comment (T-SQL "--",
// PowerShell "#") or Markdown text. A line break would end the comment and
// turn the rest of the value into code, so control characters are refused.
func Comment(s string) (string, error) {
	if err := noControl(s); err != nil {
		return "", err
	}
	return s, nil
}

// printableASCII reports whether s holds only the characters from space
// to tilde: no control character, line break or typographic quote.
func printableASCII(s string) bool {
	// Eight bytes at a time: every value of a site passes here, and the
	// long ones (the step tables' texts) made the byte loop 5% of a run.
	// A word passes when no byte is below 0x20, none is 0x7f and none has
	// its high bit set (TestPrintableASCII compares it with the byte loop).
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(s); i += 8 {
		w := binary.LittleEndian.Uint64([]byte(s[i : i+8]))
		below := (w - 0x20*ones) &^ w                      // high bit where a byte is below 0x20 (or wrapped)
		del := ((w ^ 0x7f*ones) - ones) &^ (w ^ 0x7f*ones) // high bit where a byte is 0x7f
		if (w|below|del)&highs != 0 {
			return false
		}
	}
	for ; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

func noControl(s string) error {
	if printableASCII(s) {
		return nil
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == '\u2028' || r == '\u2029' || r == '\u0085' {
			return fmt.Errorf("value %q contains a control character or line break", s)
		}
	}
	return nil
}

// PSHelp returns a value for use inside a PowerShell block comment
// (<# ... #>, where comment-based help lives): a "#>" in the value would end
// the comment and turn the rest into code, so it is written "# >" (and
// "<#" as "< #"); control characters are refused as in Comment.
func PSHelp(s string) (string, error) {
	if err := noControl(s); err != nil {
		return "", err
	}
	return helpMarks.Replace(s), nil
}

var helpMarks = strings.NewReplacer("#>", "# >", "<#", "< #")

// mermaidCodes are the characters a Mermaid label cannot hold as they are,
// written as Mermaid's #NNN; entity codes: " ends the quoted label, # starts
// an entity code, < > and & are HTML in rendered labels, ` starts a
// Markdown label (and three of them would end the runbook's code fence),
// | delimits edge labels and % starts a comment.
var mermaidCodes = map[rune]string{'"': "#34;", '#': "#35;", '%': "#37;", '&': "#38;", '<': "#60;", '>': "#62;", '`': "#96;", '|': "#124;"}

// Mermaid quotes a label of a Mermaid diagram: "line<br/>line", each line
// with every character Mermaid treats specially written as an entity code.
// Line breaks inside a line are refused: they would end the statement.
func Mermaid(lines ...string) (string, error) {
	var b strings.Builder
	b.WriteByte('"')
	for i, line := range lines {
		if err := noControl(line); err != nil {
			return "", err
		}
		if i > 0 {
			b.WriteString("<br/>")
		}
		for _, r := range line {
			if code, ok := mermaidCodes[r]; ok {
				b.WriteString(code)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String(), nil
}
