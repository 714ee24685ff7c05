package tsqlcheck

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
)

// Problem is one rule broken at a position in a file.
type Problem struct {
	File    string // the name given to Check; empty from Lex
	Line    int    // 1-based
	Col     int    // 1-based, in bytes
	Message string
}

// String gives "file:line:col: message", or "line:col: message" without a file.
func (p Problem) String() string {
	if p.File == "" {
		return fmt.Sprintf("%d:%d: %s", p.Line, p.Col, p.Message)
	}
	return fmt.Sprintf("%s:%d:%d: %s", p.File, p.Line, p.Col, p.Message)
}

// ProblemList is a list of problems; it is the error Lex returns.
type ProblemList []Problem

// Error gives one problem per line.
func (l ProblemList) Error() string {
	s := make([]string, len(l))
	for i, p := range l {
		s[i] = p.String()
	}
	return strings.Join(s, "\n")
}

// sorted names every problem after file and orders them by position.
func (l ProblemList) sorted(file string) []Problem {
	for i := range l {
		l[i].File = file
	}
	sort.SliceStable(l, func(i, j int) bool {
		if l[i].Line != l[j].Line {
			return l[i].Line < l[j].Line
		}
		return l[i].Col < l[j].Col
	})
	return l
}

func (l *ProblemList) at(t Token, format string, args ...any) {
	*l = append(*l, Problem{Line: t.Line, Col: t.Col, Message: fmt.Sprintf(format, args...)})
}

// Check applies every structural rule to one .sql file and returns the
// problems in file order; none means the file passed.
func Check(name string, src []byte) []Problem {
	var probs ProblemList
	checkBytes(src, &probs)
	checkLines(src, &probs)
	toks, lexProbs := lex(src)
	probs = append(probs, lexProbs...)
	for _, b := range batches(toks) {
		checkBatch(b, &probs)
		checkVars(b, &probs)
	}
	return probs.sorted(name)
}

// checkBytes requires ASCII and CRLF line ends: sqlcmd reads a file without
// a BOM in the client's code page, and our runbooks diff CRLF files.
// Repeated offences are counted into one problem to keep reports short.
func checkBytes(src []byte, probs *ProblemList) {
	type first struct {
		line, col, count int
	}
	var nonASCII, bareLF, bareCR first
	note := func(f *first, line, col int) {
		if f.count == 0 {
			f.line, f.col = line, col
		}
		f.count++
	}
	line, bol := 1, 0
	for i, c := range src {
		col := i - bol + 1
		switch {
		case c >= 0x80:
			note(&nonASCII, line, col)
		case c == '\n' && (i == 0 || src[i-1] != '\r'):
			note(&bareLF, line, col)
		case c == '\r' && (i+1 == len(src) || src[i+1] != '\n'):
			note(&bareCR, line, col)
		}
		if c == '\n' {
			line, bol = line+1, i+1
		}
	}
	for _, f := range []struct {
		first
		what string
	}{{nonASCII, "non-ASCII byte (.sql files are ASCII)"}, {bareLF, "bare LF line end (CRLF only)"}, {bareCR, "bare CR (CRLF only)"}} {
		if f.count > 0 {
			*probs = append(*probs, Problem{Line: f.line, Col: f.col, Message: fmt.Sprintf("%s; %d in the file", f.what, f.count)})
		}
	}
	if !bytes.HasSuffix(src, []byte("\r\n")) {
		*probs = append(*probs, Problem{Line: line, Col: len(src) - bol + 1, Message: "the file does not end with CRLF"})
	}
}

// checkLines refuses SQLCMD-mode commands and scripting variables. sqlcmd
// acts on a command at the start of any line, and substitutes $(name) even
// inside string literals unless run with -x; we never emit either, so the
// files behave the same in sqlcmd and SSMS (design decision f).
func checkLines(src []byte, probs *ProblemList) {
	for n, line := range strings.Split(string(src), "\n") {
		line = strings.TrimRight(line, "\r")
		trimmed := strings.TrimLeft(line, " \t")
		col := len(line) - len(trimmed) + 1
		word := strings.ToUpper(strings.TrimRight(trimmed, " \t"))
		switch {
		case strings.HasPrefix(trimmed, ":") || strings.HasPrefix(trimmed, "!!"):
			*probs = append(*probs, Problem{Line: n + 1, Col: col, Message: fmt.Sprintf("SQLCMD-mode command %q; the scripts use none", trimmed)})
		case word == "RESET" || word == "ED" || word == "QUIT" || word == "EXIT" || strings.HasPrefix(word, "EXIT("):
			*probs = append(*probs, Problem{Line: n + 1, Col: col, Message: fmt.Sprintf("%q alone on a line is an sqlcmd command, not T-SQL", trimmed)})
		}
		for i := strings.Index(line, "$("); i >= 0; i = next(line, i) {
			*probs = append(*probs, Problem{Line: n + 1, Col: i + 1, Message: "$( starts an sqlcmd scripting variable, which sqlcmd expands wherever it stands, string literals included"})
		}
	}
}

func next(line string, i int) int {
	j := strings.Index(line[i+2:], "$(")
	if j < 0 {
		return -1
	}
	return i + 2 + j
}

// batches groups the significant tokens (no comments, no separators) by batch.
func batches(toks []Token) [][]Token {
	var out [][]Token
	for _, t := range toks {
		for len(out) <= t.Batch {
			out = append(out, nil)
		}
		if t.Kind != Comment && t.Kind != GoSep {
			out[t.Batch] = append(out[t.Batch], t)
		}
	}
	return out
}
