package e2e

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"pchat-hadr/generator/cli"
)

// TestCacheIsInvisible: with the cache (a site whose inputs are unchanged
// is verified against the MANIFEST it rendered to, not rendered) generate
// and check print, exit and leave on disk exactly what they do with
// --no-cache, from every state a tree can be in after a run: as written,
// a file edited by hand, deleted, given CRLF line ends, the MANIFEST
// edited, the user's own file added, an interrupted run's temporary file
// left, a site folder removed, a site file changed since. Each state is
// made twice, and each command runs once on each copy. The cache's path
// must actually run on an untouched tree (cli.OnReuse counts it).
func TestCacheIsInvisible(t *testing.T) {
	var reused atomic.Int64
	cli.OnReuse = func(string) { reused.Add(1) }
	defer func() { cli.OnReuse = nil }()
	inputs := []struct {
		name string
		args []string
	}{
		{"rollout", []string{"fixtures/rollout"}},
		{"override", []string{"--templates", "fixtures/override-templates/templates", "fixtures/override-templates"}},
	}
	states := []struct {
		name  string
		apply func(t *testing.T, root, site string)
	}{
		{"as written", func(*testing.T, string, string) {}},
		{"edited by hand", func(t *testing.T, _, site string) { appendTo(t, firstFile(t, site, ".sql"), "-- mine\n") }},
		{"file deleted", func(t *testing.T, _, site string) { remove(t, firstFile(t, site, ".ps1")) }},
		{"CRLF line ends", func(t *testing.T, _, site string) {
			f := firstFile(t, site, ".md")
			data := readFile(t, f)
			writeFile(t, f, bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n")))
		}},
		{"MANIFEST edited", func(t *testing.T, _, site string) { appendTo(t, filepath.Join(site, "MANIFEST"), "# mine\n") }},
		{"user's file", func(t *testing.T, _, site string) { writeFile(t, filepath.Join(site, "NOTES.md"), []byte("mine\n")) }},
		{"temporary file", func(t *testing.T, _, site string) {
			writeFile(t, filepath.Join(filepath.Dir(firstFile(t, site, ".sql")), ".pchat-hadr-1.tmp"), []byte("partial"))
		}},
		{"site folder removed", func(t *testing.T, _, site string) { os.RemoveAll(site) }},
	}
	for _, in := range inputs {
		t.Run(in.name, func(t *testing.T) {
			base := filepath.Join(t.TempDir(), "base")
			if code, _, errs := runCLI(t, append([]string{"generate", "--out", base}, in.args...)...); code != cli.ExitOK {
				t.Fatalf("generate: exit %d\n%s", code, errs)
			}
			for _, st := range states {
				for _, command := range [][]string{{"check", "--diff"}, {"generate"}} {
					var got [2]string
					var trees [2]map[string][]byte
					for i, mode := range []string{"cache", "no-cache"} {
						out := filepath.Join(t.TempDir(), "out")
						copyTree(t, base, out)
						st.apply(t, out, filepath.Join(out, firstSite(t, out)))
						args := append([]string{command[0], "--out", out}, command[1:]...)
						if mode == "no-cache" {
							args = append(args, "--no-cache")
						}
						before := reused.Load()
						code, stdout, stderr := runCLI(t, append(args, in.args...)...)
						if st.name == "as written" && mode == "cache" && reused.Load() == before {
							t.Errorf("%s %s: no site was taken from the cache", command[0], st.name)
						}
						got[i] = strings.ReplaceAll(itoa(code)+"\n"+stdout+"\n"+stderr, out, "OUT")
						trees[i] = readTree(t, out)
					}
					if got[0] != got[1] {
						t.Errorf("%s, %s: with the cache:\n%s\nwithout:\n%s", st.name, command[0], got[0], got[1])
					}
					if !equalTrees(trees[0], trees[1]) {
						t.Errorf("%s, %s: the trees differ with and without the cache", st.name, command[0])
					}
				}
			}
		})
	}
}

// TestCacheFollowsTheInputs: a site file changed since the last run, or
// templates changed, is rendered again, not taken from the cache.
func TestCacheFollowsTheInputs(t *testing.T) {
	var reused atomic.Int64
	cli.OnReuse = func(string) { reused.Add(1) }
	defer func() { cli.OnReuse = nil }()
	dir := t.TempDir()
	site := filepath.Join(dir, "site.toml")
	writeFile(t, site, readFile(t, "fixtures/minimal.toml"))
	out := filepath.Join(dir, "out")
	if code, _, errs := runCLI(t, "generate", "--out", out, site); code != cli.ExitOK {
		t.Fatalf("generate: exit %d\n%s", code, errs)
	}
	reused.Store(0)
	if code, _, _ := runCLI(t, "check", "--out", out, site); code != cli.ExitOK || reused.Load() != 1 {
		t.Fatalf("check of an up-to-date tree: exit %d, %d site(s) from the cache, want 0 and 1", code, reused.Load())
	}
	data := readFile(t, site)
	writeFile(t, site, append(bytes.Clone(data), "\n# a comment changes nothing rendered\n"...))
	reused.Store(0)
	if code, _, _ := runCLI(t, "check", "--out", out, site); code != cli.ExitOK || reused.Load() != 1 {
		t.Errorf("a comment in the site file: exit %d, %d site(s) from the cache, want 0 and 1 (the key is the site as loaded)", code, reused.Load())
	}
	writeFile(t, site, bytes.Replace(data, []byte(`product = "lync2013"`), []byte(`product = "sfb2015"`), 1))
	if bytes.Equal(readFile(t, site), data) {
		t.Fatal("fixtures/minimal.toml has no product = \"lync2013\" line to change")
	}
	reused.Store(0)
	if code, _, _ := runCLI(t, "check", "--out", out, site); code != cli.ExitChanged || reused.Load() != 0 {
		t.Errorf("a changed product: exit %d, %d site(s) from the cache, want %d and 0", code, reused.Load(), cli.ExitChanged)
	}
}

// firstSite is the first site folder of an output tree.
func firstSite(t *testing.T, out string) string {
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			return e.Name()
		}
	}
	t.Fatalf("no site folder in %s", out)
	return ""
}

// firstFile is the first file (in path order) below dir with the suffix.
func firstFile(t *testing.T, dir, suffix string) string {
	var found []string
	for p := range readTree(t, dir) {
		if strings.HasSuffix(p, suffix) {
			found = append(found, p)
		}
	}
	if len(found) == 0 {
		t.Fatalf("no %s file in %s", suffix, dir)
	}
	sort.Strings(found)
	return filepath.Join(dir, filepath.FromSlash(found[0]))
}

// copyTree makes to a copy of from by hard links: creating files is slow
// on this machine's file system, linking is not. Nothing writes through a
// link: pchat-hadr replaces files by renaming, and writeFile replaces too.
func copyTree(t *testing.T, from, to string) {
	for p := range readTree(t, from) {
		dst := filepath.Join(to, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Link(filepath.Join(from, filepath.FromSlash(p)), dst); err != nil {
			t.Fatal(err)
		}
	}
}

func equalTrees(a, b map[string][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for p, data := range a {
		if other, ok := b[p]; !ok || !bytes.Equal(data, other) {
			return false
		}
	}
	return true
}

func readFile(t *testing.T, p string) []byte {
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// writeFile replaces p (a link of copyTree's is not written through).
func writeFile(t *testing.T, p string, data []byte) {
	if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func appendTo(t *testing.T, p, text string) { writeFile(t, p, append(readFile(t, p), text...)) }

func remove(t *testing.T, p string) {
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
}
