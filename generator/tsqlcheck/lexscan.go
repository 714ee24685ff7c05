package tsqlcheck

import "fmt"

func (lx *lexer) peek(i int) byte {
	if lx.pos+i < len(lx.src) {
		return lx.src[lx.pos+i]
	}
	return 0
}

// unterminated reports a literal or comment that started at line:col and
// was still open at a GO line or at the end of the file.
func (lx *lexer) unterminated(what string, line, col int) {
	where := "the end of the file"
	if lx.pos < len(lx.src) {
		where = fmt.Sprintf("the GO on line %d", lx.line)
	}
	lx.probs = append(lx.probs, Problem{Line: line, Col: col,
		Message: fmt.Sprintf("unterminated %s: still open at %s", what, where)})
}

// quoted consumes a literal that opens at lx.pos and closes with end; a
// doubled end character is an escaped one (” in strings, ]] in
// identifiers, "" in double-quoted text).
func (lx *lexer) quoted(end byte, what string, line, col int) {
	lx.advance(1)
	for lx.pos < len(lx.src) {
		if lx.atSeparator() {
			break
		}
		if lx.src[lx.pos] == end {
			if lx.peek(1) != end {
				lx.advance(1)
				return
			}
			lx.advance(1)
		}
		lx.advance(1)
	}
	lx.unterminated(what, line, col)
}

// blockComment consumes a /* */ comment. T-SQL nests them: every /* inside
// needs its own */, unlike C, so "/* a /* b */" is still open.
func (lx *lexer) blockComment(line, col int) {
	depth := 0
	for lx.pos < len(lx.src) {
		if lx.atSeparator() {
			break
		}
		switch {
		case lx.src[lx.pos] == '/' && lx.peek(1) == '*':
			depth++
			lx.advance(2)
		case lx.src[lx.pos] == '*' && lx.peek(1) == '/':
			depth--
			lx.advance(2)
			if depth == 0 {
				return
			}
		default:
			lx.advance(1)
		}
	}
	lx.unterminated("/* */ comment", line, col)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '#'
}

// isIdentPart follows T-SQL's regular identifiers: letters, digits, _, @,
// # and $ after the first character. Non-ASCII letters are left to the
// byte check, which refuses them anyway.
func isIdentPart(c byte) bool {
	return isIdentStart(c) || isDigit(c) || c == '@' || c == '$'
}
