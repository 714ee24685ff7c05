package e2e

import (
	"bytes"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"pchat-hadr/generator/cli"
)

// minimalFixture returns fixtures/minimal.toml, the valid site the
// malformed inputs are cut from.
func minimalFixture(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("fixtures/minimal.toml")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// withoutSQL is the minimal site with its [sql...] tables taken out, so
// that another value can stand where the sql table belongs.
func withoutSQL(t *testing.T) string {
	t.Helper()
	src := minimalFixture(t)
	start := strings.Index(src, "[sql]")
	end := strings.Index(src, "[shares]")
	if start < 0 || end < start {
		t.Fatal("fixtures/minimal.toml no longer has [sql] before [shares]")
	}
	return src[:start] + src[end:]
}

// malformedCase is a site file no valid site can be read from, and a
// fragment of the message that must explain why.
type malformedCase struct {
	name string
	data []byte
	want string
}

// malformedInputs are the malformed site files.
func malformedInputs(t *testing.T) []malformedCase {
	t.Helper()
	src := minimalFixture(t)
	cut := strings.Index(src, `pool_fqdn = "pchat.fab`)
	if cut < 0 {
		t.Fatal("fixtures/minimal.toml no longer has the pool_fqdn this test cuts")
	}
	garbage := make([]byte, 4096)
	rand.New(rand.NewSource(1)).Read(garbage)
	garbage[0], garbage[100], garbage[4095] = 0, 0, 0
	big := []byte(src)
	for pad := []byte("# " + strings.Repeat("padding ", 12) + "\n"); len(big) < 10<<20; {
		big = append(big, pad...)
	}
	return []malformedCase{
		{"truncated-in-string", []byte(src[:cut+len(`pool_fqdn = "pchat.fab`)]), "unexpected EOF"},
		{"truncated-in-key", []byte(src[:cut+4]), "unexpected EOF"},
		{"duplicate-key", []byte(strings.Replace(src, `name = "fabrikam"`, "name = \"fabrikam\"\nname = \"other\"", 1)), "already been defined"},
		{"duplicate-table", []byte(src + "\n[site]\nwave = 1\n"), "already been defined"},
		{"wrong-type-string", []byte(strings.Replace(src, "schema_version = 1", `schema_version = "1"`, 1)), "schema_version: expected an integer"},
		{"wrong-type-bool", []byte(strings.Replace(src, "low_latency_link = false", `low_latency_link = "no"`, 1)), "low_latency_link: expected true or false"},
		{"wrong-type-table", []byte(strings.Replace(src, `product = "lync2013"`, "product = { name = \"lync2013\" }", 1)), "site.product: expected a string"},
		{"array-for-sql-table", []byte(strings.Replace(withoutSQL(t), "schema_version = 1", "schema_version = 1\nsql = [1]", 1)), "sql: expected a table, found an array"},
		{"array-of-site", []byte(strings.Replace(src, "[site]", "[[site]]", 1)), "site: expected a table, found an array"},
		{"servers-as-table", []byte(strings.Replace(src, "[[servers]]", "[servers]", 1)), "TOML syntax error"},
		{"empty", nil, "missing"},
		{"only-whitespace", []byte(" \n\t\r\n"), "missing"},
		{"binary-garbage", garbage, "not valid UTF-8"},
		{"utf8-with-nul", []byte("schema_version = 1\x00\n[site]\x00name = \"x\"\n"), "control characters"},
		{"nul-in-string", []byte(strings.Replace(src, `"fabrikam"`, "\"fab\x00rikam\"", 1)), "control characters"},
		{"10MB", big, "a site file may be at most"},
		{"case-variant-key-of-another-type", []byte(strings.Replace(src, `name = "fabrikam"`, "name = \"fabrikam\"\nNAME = 5", 1)), "site.NAME: unknown key"},
	}
}

// TestMalformedInput runs "pchat-hadr generate" in process on each
// malformed site file and proves it fails cleanly: no panic, exit code 2,
// stderr naming the file and the reason, and nothing written under --out.
func TestMalformedInput(t *testing.T) {
	for _, c := range malformedInputs(t) {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, c.name+".toml")
			if err := os.WriteFile(file, c.data, 0o644); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, "out")
			code, stdout, stderr := runCLI(t, "generate", "--out", out, file)
			if code != cli.ExitBadInput {
				t.Errorf("exit code %d, want %d; stderr:\n%s", code, cli.ExitBadInput, clip(stderr))
			}
			if !strings.Contains(stderr, file) {
				t.Errorf("stderr does not name %s:\n%s", file, clip(stderr))
			}
			if stdout != "" {
				t.Errorf("stdout not empty:\n%s", clip(stdout))
			}
			if got := readTree(t, out); len(got) != 0 {
				t.Errorf("files written under --out: %v", keys(got))
			}
			if fileExists(out) {
				t.Errorf("%s was created", out)
			}
			if !strings.Contains(stderr, c.want) {
				t.Errorf("stderr lacks %q:\n%s", c.want, clip(stderr))
			}
		})
	}
}

// runCLI runs pchat-hadr in process and turns a panic into a test failure
// that shows the arguments, so that a panic is reported, not a crash.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var so, se bytes.Buffer
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("pchat-hadr %s panicked: %v", clip(fmt.Sprint(args)), r)
			}
		}()
		code = cli.Main(append([]string{"pchat-hadr"}, args...), &so, &se)
	}()
	return code, so.String(), se.String()
}
