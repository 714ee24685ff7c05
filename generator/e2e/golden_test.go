package e2e

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/pmezard/go-difflib/difflib"

	"pchat-hadr/generator/cli"
)

// update rewrites the golden files instead of comparing with them. It is
// read from the environment, not a flag, so that "go test ./..." works in
// every package: PCHAT_HADR_UPDATE=1 go test ./generator/e2e -run TestGolden
var update = os.Getenv("PCHAT_HADR_UPDATE") == "1"

// goldenCase is one fixture: a site file, and either an expected output
// tree (golden/<name>/) or the expected error output (golden/<name>.err).
type goldenCase struct {
	name string
	args []string // generate arguments after --out
	dir  bool     // a folder of site files: the whole output tree is compared
}

func goldenCases(t *testing.T) []goldenCase {
	t.Helper()
	files, err := filepath.Glob("fixtures/*.toml")
	if err != nil {
		t.Fatal(err)
	}
	cases := []goldenCase{{name: "example", args: []string{"--example"}}}
	for _, f := range files {
		cases = append(cases, goldenCase{name: strings.TrimSuffix(filepath.Base(f), ".toml"), args: []string{filepath.ToSlash(f)}})
	}
	entries, err := os.ReadDir("fixtures")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		c := goldenCase{name: e.Name(), args: []string{"fixtures/" + e.Name()}, dir: true}
		// A templates folder inside a case is its --templates override.
		if fileExists(filepath.Join("fixtures", e.Name(), "templates")) {
			c.args = append([]string{"--templates", "fixtures/" + e.Name() + "/templates"}, c.args...)
		}
		cases = append(cases, c)
	}
	return cases
}

// TestGolden runs "pchat-hadr generate" on every fixture, as a user would,
// and compares the tree it writes (or the errors it prints) byte for byte.
func TestGolden(t *testing.T) {
	for _, c := range goldenCases(t) {
		t.Run(c.name, func(t *testing.T) {
			out := t.TempDir()
			var stdout, stderr bytes.Buffer
			code := cli.Main(append([]string{"pchat-hadr", "generate", "--out", out}, c.args...), &stdout, &stderr)
			errFile := filepath.Join("golden", c.name+".err")
			if strings.HasPrefix(c.name, "bad-") {
				if code != cli.ExitBadInput {
					t.Fatalf("exit code %d, want %d; stderr:\n%s", code, cli.ExitBadInput, stderr.String())
				}
				if got := readTree(t, out); len(got) != 0 {
					t.Errorf("an invalid site wrote files: %v", keys(got))
				}
				compareFile(t, errFile, stderr.Bytes())
				return
			}
			if code != cli.ExitOK {
				t.Fatalf("exit code %d; stderr:\n%s", code, stderr.String())
			}
			dirs := siteFolders(t, out)
			if c.dir {
				compareTree(t, filepath.Join("golden", c.name), readTree(t, out))
			} else if len(dirs) != 1 {
				t.Fatalf("want one site folder in the output, got %v", dirs)
			} else {
				compareTree(t, filepath.Join("golden", c.name), readTree(t, filepath.Join(out, dirs[0])))
			}
			// Warnings go to stderr; a site without any has no .warn file.
			warnFile := filepath.Join("golden", c.name+".warn")
			if stderr.Len() > 0 || fileExists(warnFile) {
				compareFile(t, warnFile, stderr.Bytes())
			}
		})
	}
}

func compareFile(t *testing.T, path string, got []byte) {
	t.Helper()
	if update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run PCHAT_HADR_UPDATE=1 go test ./generator/e2e -run TestGolden to create it, then review it)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs:\n%s", path, lineDiff(string(want), string(got)))
	}
}

func compareTree(t *testing.T, dir string, got map[string][]byte) {
	t.Helper()
	if update {
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		for p, data := range got {
			full := filepath.Join(dir, filepath.FromSlash(p))
			if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(full, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	want := readTree(t, dir)
	for _, p := range keys(want) {
		if g, ok := got[p]; !ok {
			t.Errorf("%s: not generated any more", p)
		} else if !bytes.Equal(want[p], g) {
			t.Errorf("%s differs (-want +got):\n%s", p, lineDiff(string(want[p]), string(g)))
		}
	}
	for _, p := range keys(got) {
		if _, ok := want[p]; !ok {
			t.Errorf("%s: generated but not in %s", p, dir)
		}
	}
}

// readTree reads every file below dir, keyed by slash-separated path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = data
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return out
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// lineDiff is a unified diff of two texts (-want +got).
func lineDiff(want, got string) string {
	d, _ := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A: difflib.SplitLines(want), B: difflib.SplitLines(got),
		FromFile: "want", ToFile: "got", Context: 2,
	})
	return d
}

// siteFolders lists the folders at the top of an output tree.
func siteFolders(t *testing.T, out string) []string {
	t.Helper()
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, e := range entries {
		if e.IsDir() {
			dirs = append(dirs, e.Name())
		}
	}
	return dirs
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
