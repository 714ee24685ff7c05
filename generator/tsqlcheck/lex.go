// Package tsqlcheck is a small, deliberately conservative checker for the
// T-SQL scripts pchat-hadr generates. It is not a T-SQL parser: it lexes the
// text the way sqlcmd and SQL Server split it (GO lines, strings, bracketed
// identifiers, comments) and checks the structural rules our output must
// keep, so that a template slip fails a Go test instead of a DBA's run.
package tsqlcheck

import (
	"bytes"
	"strings"
)

// Kind is the class of a Token.
type Kind uint8

// Token kinds. Comments are tokens too, so that callers can tell what a
// line holds; the structural checks skip them.
const (
	Word     Kind = iota + 1 // identifier or keyword, unquoted
	Variable                 // @name, or @@name for a system function
	Number                   // 42, 1.5, 0x1F
	String                   // 'text' or N'text', quotes included
	Bracket                  // [identifier], brackets included
	Quoted                   // "text": never valid in our output
	Comment                  // -- to end of line, or a (nested) /* */ block
	Punct                    // any other single byte: ( ) , ; = . + - ...
	GoSep                    // a line holding only GO: the batch separator
)

// Token is one lexical element. Line and Col are 1-based; Col counts bytes.
type Token struct {
	Kind  Kind
	Text  string
	Line  int
	Col   int
	Batch int // index of the GO-separated batch the token belongs to
}

// Is reports whether t is the unquoted word w, ignoring case.
func (t Token) Is(w string) bool { return t.Kind == Word && strings.EqualFold(t.Text, w) }

// Lex splits src into tokens. Batches are split first, on every line that
// holds only GO, whatever surrounds it: splitting is the client's
// line-based job, done before SQL Server sees the text, and the strict
// reading is that a GO line ends a batch even inside a literal or comment.
// So a literal or comment must close in its own batch; one still open at a
// GO line or at the end is reported as unterminated, at its start.
// The error, if any, is a ProblemList with every lexical problem.
func Lex(src []byte) ([]Token, error) {
	toks, probs := lex(src)
	if len(probs) > 0 {
		return toks, probs
	}
	return toks, nil
}

type lexer struct {
	src   []byte
	pos   int
	line  int
	bol   int // offset of the current line's first byte
	batch int
	text  string // src as one string, so that tokens slice it without a copy each
	toks  []Token
	probs ProblemList
}

func lex(src []byte) ([]Token, ProblemList) {
	// Generated scripts hold about one token per six bytes; sizing the
	// slice once keeps the lexer from regrowing it on large files.
	lx := &lexer{src: src, text: string(src), line: 1, toks: make([]Token, 0, len(src)/6+16)}
	for lx.pos < len(src) {
		if lx.pos == lx.bol && lx.goLine() {
			continue
		}
		lx.next()
	}
	return lx.toks, lx.probs
}

// goLine consumes the current line if it is a batch separator.
func (lx *lexer) goLine() bool {
	n, col, ok := goLineAt(lx.src, lx.pos)
	if !ok {
		return false
	}
	lx.toks = append(lx.toks, Token{Kind: GoSep, Text: "GO", Line: lx.line, Col: col, Batch: lx.batch})
	lx.batch++
	lx.advance(n)
	return true
}

// goLineAt reports whether the line starting at pos holds only GO (any
// case, blanks around it), its length without the line end, and GO's column.
func goLineAt(src []byte, pos int) (n, col int, ok bool) {
	n = bytes.IndexByte(src[pos:], '\n')
	if n < 0 {
		n = len(src) - pos
	}
	text := bytes.TrimRight(src[pos:pos+n], "\r")
	if !strings.EqualFold(string(bytes.Trim(text, " \t")), "GO") {
		return 0, 0, false
	}
	return n, bytes.IndexAny(text, "Gg") + 1, true
}

// advance moves n bytes ahead, keeping the line count.
func (lx *lexer) advance(n int) {
	for i := 0; i < n && lx.pos < len(lx.src); i++ {
		if lx.src[lx.pos] == '\n' {
			lx.line++
			lx.bol = lx.pos + 1
		}
		lx.pos++
	}
}

// atSeparator reports whether the scan stands at the start of a GO line,
// which ends any open literal or comment.
func (lx *lexer) atSeparator() bool {
	if lx.pos != lx.bol {
		return false
	}
	_, _, ok := goLineAt(lx.src, lx.pos)
	return ok
}

func (lx *lexer) emit(k Kind, start, line, col int) {
	lx.toks = append(lx.toks, Token{Kind: k, Text: lx.text[start:lx.pos], Line: line, Col: col, Batch: lx.batch})
}

func (lx *lexer) next() {
	c, start, line, col := lx.src[lx.pos], lx.pos, lx.line, lx.pos-lx.bol+1
	kind := Punct
	switch {
	case c == ' ' || c == '\t' || c == '\r' || c == '\n':
		lx.advance(1)
		return
	case c == '-' && lx.peek(1) == '-':
		kind = Comment
		for lx.pos < len(lx.src) && lx.src[lx.pos] != '\n' && lx.src[lx.pos] != '\r' {
			lx.advance(1)
		}
	case c == '/' && lx.peek(1) == '*':
		kind = Comment
		lx.blockComment(line, col)
	case c == '\'':
		kind = String
		lx.quoted('\'', "string literal", line, col)
	case (c == 'N' || c == 'n') && lx.peek(1) == '\'':
		kind = String
		lx.advance(1)
		lx.quoted('\'', "N'...' string literal", line, col)
	case c == '[':
		kind = Bracket
		lx.quoted(']', "bracketed identifier", line, col)
	case c == '"':
		kind = Quoted
		lx.quoted('"', "double-quoted string", line, col)
	case c == '@' || isIdentStart(c):
		kind = Word
		if c == '@' {
			kind = Variable
		}
		lx.advance(1)
		for lx.pos < len(lx.src) && isIdentPart(lx.src[lx.pos]) {
			lx.advance(1)
		}
	case isDigit(c) || c == '.' && isDigit(lx.peek(1)):
		kind = Number
		for lx.pos < len(lx.src) && (isIdentPart(lx.src[lx.pos]) || lx.src[lx.pos] == '.') {
			lx.advance(1)
		}
	default:
		lx.advance(1)
	}
	lx.emit(kind, start, line, col)
}
