package quote

import (
	"bytes"
	"strings"
	"testing"
)

func TestSQLIdent(t *testing.T) {
	for in, want := range map[string]string{
		"mgc":                    `[mgc]`,
		`CONTOSO\svc-sql`:        `[CONTOSO\svc-sql]`,
		"a]b":                    `[a]]b]`,
		"x[y":                    `[x[y]`,
		"it's":                   `[it's]`,
		strings.Repeat("a", 128): "[" + strings.Repeat("a", 128) + "]",
	} {
		got, err := SQLIdent(in)
		if err != nil || got != want {
			t.Errorf("SQLIdent(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", strings.Repeat("a", 129), "a\nb", "a\x00"} {
		if got, err := SQLIdent(bad); err == nil {
			t.Errorf("SQLIdent(%q) = %q; want an error", bad, got)
		}
	}
}

func TestSQLString(t *testing.T) {
	for in, want := range map[string]string{
		`\\fs01\seed`:    `N'\\fs01\seed'`,
		"O'Brien":        `N'O''Brien'`,
		"''":             `N''''''`,
		`"; DROP --`:     `N'"; DROP --'`,
		"":               `N''`,
		"TCP://a.b:5022": `N'TCP://a.b:5022'`,
	} {
		got, err := SQLString(in)
		if err != nil || got != want {
			t.Errorf("SQLString(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := SQLString("a\r\nb"); err == nil {
		t.Error("SQLString accepted a line break")
	}
}

func TestPSString(t *testing.T) {
	for in, want := range map[string]string{
		"pool.contoso.com": `'pool.contoso.com'`,
		"it's":             `'it''s'`,
		"$(calc)`n":        "'$(calc)`n'",
		"a\u2019b":         "'a\u2019\u2019b'",
		"\u201Bx":          "'\u201B\u201Bx'",
	} {
		got, err := PSString(in)
		if err != nil || got != want {
			t.Errorf("PSString(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := PSString("a\nb"); err == nil {
		t.Error("PSString accepted a line break")
	}
}

func TestComment(t *testing.T) {
	if _, err := Comment("x\u2028y"); err == nil {
		t.Error("Comment accepted a Unicode line separator")
	}
	if got, _ := Comment(`sql01\RTC`); got != `sql01\RTC` {
		t.Errorf("Comment changed a plain value: %q", got)
	}
}

func TestMermaid(t *testing.T) {
	for in, want := range map[string]string{
		`ATL-SQL-01\PCHAT`:         `"ATL-SQL-01\PCHAT"`,
		`a"] --> x["b`:             `"a#34;] --#62; x[#34;b"`,
		"St John's & Co (East)/1,": `"St John's #38; Co (East)/1,"`,
		"<img src=x onerror=1>":    `"#60;img src=x onerror=1#62;"`,
		"```\n":                    "",
		"``` end":                  `"#96;#96;#96; end"`,
		"#quot; #35;":              `"#35;quot; #35;35;"`,
		"a|b%%c":                   `"a#124;b#37;#37;c"`,
		"end; click n1 call x()":   `"end; click n1 call x()"`,
		"":                         `""`,
	} {
		got, err := Mermaid(in)
		if want == "" {
			if err == nil {
				t.Errorf("Mermaid(%q) = %q; want an error for the line break", in, got)
			}
			continue
		}
		if err != nil || got != want {
			t.Errorf("Mermaid(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if got, err := Mermaid("primary", `\\fs\share`, "a\u2028b"); err == nil {
		t.Errorf("Mermaid accepted a Unicode line separator: %q", got)
	}
	if got, _ := Mermaid("primary", `\\fs\share`); got != `"primary<br/>\\fs\share"` {
		t.Errorf("two lines: %q", got)
	}
}

// TestPSStringPlainValues proves that the short path for values with
// nothing to double gives what doubling every quote character gives.
func TestPSStringPlainValues(t *testing.T) {
	double := strings.NewReplacer("'", "''", "\u2018", "\u2018\u2018", "\u2019", "\u2019\u2019", "\u201A", "\u201A\u201A", "\u201B", "\u201B\u201B")
	for _, s := range []string{"", "a", "pool.contoso.com", `C:\x y`, "~!@#$%^&*()", "it's", "a\u2019b", "\u201A\u201B", "é"} {
		got, err := PSString(s)
		if want := "'" + double.Replace(s) + "'"; err != nil || got != want {
			t.Errorf("PSString(%q) = %q, %v; want %q", s, got, err, want)
		}
	}
	for _, bad := range []string{"a\x7fb", "tab\there", "line\u2028"} {
		if got, err := PSString(bad); err == nil {
			t.Errorf("PSString(%q) = %q; want an error", bad, got)
		}
	}
}

// TestWritersMatchQuoting: the writers the template executor prints
// through give exactly the quoting functions' text and errors.
func TestWritersMatchQuoting(t *testing.T) {
	values := []string{"", "plain", "it's", "O'Brien''", "tab\there", "line\nbreak", "‘curly’", "ünïcode", "\x7f", "N'x'", "]", `C:\Path\`}
	for _, v := range values {
		for _, c := range []struct {
			name string
			q    func(string) (string, error)
			to   func(*bytes.Buffer, string) error
		}{{"PSString", PSString, PSStringTo}, {"SQLString", SQLString, SQLStringTo}} {
			want, werr := c.q(v)
			var b bytes.Buffer
			b.WriteString("before ")
			gerr := c.to(&b, v)
			if (werr == nil) != (gerr == nil) || werr != nil && werr.Error() != gerr.Error() {
				t.Errorf("%sTo(%q) error %v, want %v", c.name, v, gerr, werr)
			}
			if werr == nil && b.String() != "before "+want {
				t.Errorf("%sTo(%q) wrote %q, want %q", c.name, v, b.String(), "before "+want)
			}
		}
	}
}

// TestPrintableASCII holds the word-at-a-time check to the byte loop, for
// every byte value at every position of strings of every length to 17.
func TestPrintableASCII(t *testing.T) {
	slow := func(s string) bool {
		for i := 0; i < len(s); i++ {
			if s[i] < 0x20 || s[i] >= 0x7f {
				return false
			}
		}
		return true
	}
	for n := 0; n <= 17; n++ {
		base := []byte(strings.Repeat("a", n))
		if !printableASCII(string(base)) {
			t.Fatalf("%q is printable", base)
		}
		for pos := 0; pos < n; pos++ {
			for c := 0; c < 256; c++ {
				b := append([]byte(nil), base...)
				b[pos] = byte(c)
				if got, want := printableASCII(string(b)), slow(string(b)); got != want {
					t.Fatalf("printableASCII(%q) = %v, want %v", b, got, want)
				}
				for _, other := range []byte{0x1f, 0x20, 0x7e, 0x7f, 0x80, 0xff} {
					if pos+1 < n {
						b[pos+1] = other
						if got, want := printableASCII(string(b)), slow(string(b)); got != want {
							t.Fatalf("printableASCII(%q) = %v, want %v", b, got, want)
						}
					}
				}
			}
		}
	}
}
