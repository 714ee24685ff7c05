package e2e

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path"
	"sort"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"pchat-hadr/generator/diag"
	"pchat-hadr/generator/pipeline"
	"pchat-hadr/generator/render"
	"pchat-hadr/generator/tsqlcheck"
	"pchat-hadr/templates"
)

// Helpers shared by the hostile-value, malformed-input, secrets and fuzz
// tests: render a site in memory and run every output check on the result.

var (
	catalogueOnce sync.Once
	catalogue     tsqlcheck.Catalogue
	catalogueErr  error
	rendererOnce  sync.Once
	renderer      *render.Renderer
	rendererErr   error
)

// signatureCatalogue loads the procedure signatures TestTSQL checks against.
func signatureCatalogue(t testing.TB) tsqlcheck.Catalogue {
	t.Helper()
	catalogueOnce.Do(func() {
		var data []byte
		data, catalogueErr = os.ReadFile("generator/tsqlcheck/testdata/signatures.txt")
		if catalogueErr == nil {
			catalogue, catalogueErr = tsqlcheck.ParseCatalogue(data)
		}
	})
	if catalogueErr != nil {
		t.Fatal(catalogueErr)
	}
	return catalogue
}

func templateRenderer(t testing.TB) *render.Renderer {
	t.Helper()
	rendererOnce.Do(func() { renderer, rendererErr = render.New(templates.FS) })
	if rendererErr != nil {
		t.Fatal(rendererErr)
	}
	return renderer
}

// renderSite runs load, validate, plan and render on one site file. files
// is nil when the site was refused (probs then holds its errors) or when
// rendering failed (err).
func renderSite(t testing.TB, file string, data []byte) (files map[string][]byte, probs diag.List, err error) {
	t.Helper()
	results, probs, err := pipeline.Render([]pipeline.Input{{File: file, Data: data}}, templateRenderer(t))
	if err != nil || len(probs.Errors()) > 0 {
		return nil, probs, err
	}
	files = map[string][]byte{}
	for _, res := range results {
		for _, f := range res.Files {
			files[f.Path] = f.Data
		}
	}
	return files, probs, nil
}

// outputProblems runs the checks every generated file must pass: the T-SQL
// structure and signature checks on .sql files and the byte rules
// (encoding, line ends, header) on every file. It returns one line per
// problem, sorted.
func outputProblems(t testing.TB, files map[string][]byte) []string {
	t.Helper()
	cat := signatureCatalogue(t)
	var out []string
	for name, data := range files {
		if path.Ext(name) == ".sql" {
			out = append(out, sqlProblems(name, data, cat)...)
		}
		if err := checkBytes(name, data); err != nil {
			out = append(out, fmt.Sprintf("%s: %v", name, err))
		}
		if (path.Ext(name) == ".ps1" || path.Ext(name) == ".md") && !utf8.Valid(data) {
			out = append(out, name+": not valid UTF-8")
		}
	}
	sort.Strings(out)
	return out
}

// sqlChecked holds the T-SQL checks' verdicts by file name and content:
// the checks are pure, and the hostile-value cases render most files
// byte for byte alike, so each distinct file is checked once per run.
var sqlChecked sync.Map

func sqlProblems(name string, data []byte, cat tsqlcheck.Catalogue) []string {
	key := sha256.Sum256(append([]byte(name+"\x00"), data...))
	if v, ok := sqlChecked.Load(key); ok {
		return v.([]string)
	}
	var out []string
	for _, p := range append(tsqlcheck.Check(name, data), tsqlcheck.CheckSignatures(name, data, cat)...) {
		out = append(out, p.String())
	}
	sqlChecked.Store(key, out)
	return out
}

// tomlString writes s as a TOML basic string, escaping what TOML requires.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// span is a byte range [start, end) of a file.
type span struct{ start, end int }

func inSpans(spans []span, start, end int) bool {
	for _, s := range spans {
		if start >= s.start && end <= s.end {
			return true
		}
	}
	return false
}

// sqlQuotedSpans returns where a .sql file holds a string literal, a
// bracketed identifier or a comment, by the T-SQL checker's lexer: the
// only places a site value may stand.
func sqlQuotedSpans(src []byte) []span {
	toks, _ := tsqlcheck.Lex(src)
	lineStart := []int{0}
	for i, c := range src {
		if c == '\n' {
			lineStart = append(lineStart, i+1)
		}
	}
	var out []span
	for _, t := range toks {
		if t.Kind != tsqlcheck.String && t.Kind != tsqlcheck.Bracket && t.Kind != tsqlcheck.Comment {
			continue
		}
		if t.Line < 1 || t.Line > len(lineStart) {
			continue
		}
		start := lineStart[t.Line-1] + t.Col - 1
		out = append(out, span{start, start + len(t.Text)})
	}
	return out
}

// psQuotedSpans returns where a .ps1 file holds a single-quoted string or
// a comment: the only places a site value may stand (domain reference,
// section 5: never in double-quoted text or a here-string). It is a small
// scanner for the shapes the templates use, not a PowerShell parser:
// 'single' with ” inside, "double" with ` escapes, @'...'@ and @"..."@
// here-strings, # line comments and <# #> block comments.
func psQuotedSpans(src []byte) []span {
	s := string(src)
	var out []span
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], "<#"):
			end := strings.Index(s[i+2:], "#>")
			if end < 0 {
				return append(out, span{i, len(s)})
			}
			out = append(out, span{i, i + 2 + end + 2})
			i += 2 + end + 2
		case s[i] == '#':
			end := strings.IndexByte(s[i:], '\n')
			if end < 0 {
				end = len(s) - i
			}
			out = append(out, span{i, i + end})
			i += end
		case strings.HasPrefix(s[i:], "@'") || strings.HasPrefix(s[i:], `@"`):
			// A here-string: not a place for a value, so not a span.
			closer := "\n" + s[i+1:i+2] + "@"
			end := strings.Index(s[i+2:], closer)
			if end < 0 {
				return out
			}
			i += 2 + end + len(closer)
		case s[i] == '\'':
			j := i + 1
			for j < len(s) {
				if s[j] == '\'' {
					if j+1 < len(s) && s[j+1] == '\'' {
						j += 2
						continue
					}
					break
				}
				j++
			}
			out = append(out, span{i, j + 1})
			i = j + 1
		case s[i] == '"':
			j := i + 1
			for j < len(s) && s[j] != '"' {
				if s[j] == '`' {
					j++
				}
				j++
			}
			i = j + 1
		default:
			i++
		}
	}
	return out
}

// unquotedUses reports each place in a generated .sql or .ps1 file where
// one of forms occurs outside the spans where a value may stand.
func unquotedUses(name string, data []byte, forms ...string) []string {
	var spans []span
	switch path.Ext(name) {
	case ".sql":
		spans = sqlQuotedSpans(data)
	case ".ps1":
		spans = psQuotedSpans(data)
	default:
		return nil
	}
	var out []string
	s := string(data)
	for _, f := range forms {
		if f == "" {
			continue
		}
		for off := 0; ; {
			i := strings.Index(s[off:], f)
			if i < 0 {
				break
			}
			start := off + i
			if !inSpans(spans, start, start+len(f)) {
				line := strings.Count(s[:start], "\n") + 1
				out = append(out, fmt.Sprintf("%s:%d: %q outside a quoted string, identifier or comment", name, line, f))
			}
			off = start + 1
		}
	}
	return out
}
