package e2e

import (
	"os"
	"path/filepath"
	"testing"
	"unicode/utf16"

	"pchat-hadr/generator/cli"
	"pchat-hadr/templates"
)

// TestWindowsPowerShellExample proves that the example saved the way
// Windows PowerShell 5.1 saves "pchat-hadr example > sites\emea.toml"
// (UTF-16 LE with a byte-order mark, CRLF) validates and renders the very
// same files as the UTF-8 original.
func TestWindowsPowerShellExample(t *testing.T) {
	ex, err := templates.FS.ReadFile(templates.ExampleSite)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	utf8File, utf16File := filepath.Join(dir, "u8", "emea.toml"), filepath.Join(dir, "u16", "emea.toml")
	enc := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(string(ex))) {
		enc = append(enc, byte(u), byte(u>>8))
	}
	for file, data := range map[string][]byte{utf8File: ex, utf16File: enc} {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if code, _, stderr := runCLI(t, "validate", utf16File); code != cli.ExitOK {
		t.Fatalf("validate of the UTF-16 file: exit %d\n%s", code, stderr)
	}
	for _, f := range []string{utf8File, utf16File} {
		if code, _, stderr := runCLI(t, "generate", "--out", filepath.Join(filepath.Dir(f), "out"), f); code != cli.ExitOK {
			t.Fatalf("generate %s: exit %d\n%s", f, code, stderr)
		}
	}
	want, got := readTree(t, filepath.Join(dir, "u8", "out")), readTree(t, filepath.Join(dir, "u16", "out"))
	if len(got) == 0 || len(got) != len(want) {
		t.Fatalf("UTF-16 input rendered %d files, UTF-8 %d", len(got), len(want))
	}
	for p, data := range want {
		if string(got[p]) != string(data) {
			t.Errorf("%s differs between the UTF-8 and the UTF-16 input", p)
		}
	}
}
