package tsqlcheck

import (
	"errors"
	"testing"
)

func TestLexTokens(t *testing.T) {
	src := "SELECT N'a''b', [x]]y] /* c /* d */ */ -- e\r\n  go\r\nEXEC @rc = x.y 0x1F, @@SPID;\r\n"
	toks, err := Lex([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []Token{
		{Word, "SELECT", 1, 1, 0}, {String, "N'a''b'", 1, 8, 0}, {Punct, ",", 1, 15, 0},
		{Bracket, "[x]]y]", 1, 17, 0}, {Comment, "/* c /* d */ */", 1, 24, 0}, {Comment, "-- e", 1, 40, 0},
		{GoSep, "GO", 2, 3, 0},
		{Word, "EXEC", 3, 1, 1}, {Variable, "@rc", 3, 6, 1}, {Punct, "=", 3, 10, 1}, {Word, "x", 3, 12, 1},
		{Punct, ".", 3, 13, 1}, {Word, "y", 3, 14, 1}, {Number, "0x1F", 3, 16, 1}, {Punct, ",", 3, 20, 1},
		{Variable, "@@SPID", 3, 22, 1}, {Punct, ";", 3, 28, 1},
	}
	if len(toks) != len(want) {
		t.Fatalf("got %d tokens, want %d: %+v", len(toks), len(want), toks)
	}
	for i := range want {
		if toks[i] != want[i] {
			t.Errorf("token %d: got %+v, want %+v", i, toks[i], want[i])
		}
	}
}

func TestLexError(t *testing.T) {
	_, err := Lex([]byte("SELECT 'a\r\nGO\r\nSELECT [b\r\n"))
	var list ProblemList
	if !errors.As(err, &list) || len(list) != 2 {
		t.Fatalf("want two problems, got %v", err)
	}
	want := "1:8: unterminated string literal: still open at the GO on line 2\n" +
		"3:8: unterminated bracketed identifier: still open at the end of the file"
	if err.Error() != want {
		t.Fatalf("got\n%s\nwant\n%s", err, want)
	}
}

func TestProblemString(t *testing.T) {
	p := Problem{File: "a/b.sql", Line: 3, Col: 7, Message: "m"}
	if got := p.String(); got != "a/b.sql:3:7: m" {
		t.Fatalf("got %q", got)
	}
}
