package pipeline

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"pchat-hadr/generator/render"
	"pchat-hadr/templates"
)

// rolloutCopy copies fixtures/rollout (three sites, two of them extending
// a region file that extends the company's defaults) into a new folder
// and returns its inputs as the CLI makes them: read from disk, once.
func rolloutCopy(t *testing.T, reads *atomic.Int64) []Input {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join("..", "..", "fixtures", "rollout")
	for _, f := range []string{"defaults.toml", "us.toml", "emea/region.toml", "emea/de.toml", "emea/uk.toml"} {
		data, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, f)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	read := func(p string) ([]byte, error) {
		reads.Add(1)
		return os.ReadFile(p)
	}
	var inputs []Input
	for _, f := range []string{"emea/de.toml", "emea/uk.toml", "us.toml"} {
		inputs = append(inputs, Input{File: filepath.Join(dir, f), Read: read, Once: true})
	}
	return inputs
}

func withHold(t *testing.T, hold, parallel int) {
	t.Helper()
	oldHold, oldPar := HoldSites, Parallelism
	HoldSites, Parallelism = hold, parallel
	t.Cleanup(func() { HoldSites, Parallelism = oldHold, oldPar })
}

func newRenderer(t *testing.T) *render.Renderer {
	t.Helper()
	r, err := render.New(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestDroppedSitesRenderTheSame: a site dropped after validation and
// loaded again for rendering gives the same files, byte for byte, as one
// held in memory, and its files are read twice instead of once.
func TestDroppedSitesRenderTheSame(t *testing.T) {
	r := newRenderer(t)
	render := func(hold int) ([]Result, int64) {
		withHold(t, hold, 4)
		var reads atomic.Int64
		res, probs, err := Render(rolloutCopy(t, &reads), r)
		if err != nil || len(probs.Errors()) > 0 {
			t.Fatalf("hold %d: %v %v", hold, err, probs)
		}
		return res, reads.Load()
	}
	held, heldReads := render(1000)
	dropped, droppedReads := render(0)
	// de and uk: the site, region.toml, defaults.toml; us: the site,
	// defaults.toml. Eight reads a load.
	if heldReads != 8 || droppedReads != 16 {
		t.Errorf("reads: %d held (want 8), %d dropped (want 16)", heldReads, droppedReads)
	}
	for i := range held {
		a, b := held[i], dropped[i]
		if a.Name != b.Name || len(a.Files) != len(b.Files) || len(a.Files) == 0 {
			t.Fatalf("site %d: %s with %d files held, %s with %d dropped", i, a.Name, len(a.Files), b.Name, len(b.Files))
		}
		for j := range a.Files {
			if a.Files[j].Path != b.Files[j].Path || !bytes.Equal(a.Files[j].Data, b.Files[j].Data) {
				t.Errorf("%s: %s differs when the site is loaded again", a.Name, a.Files[j].Path)
			}
		}
	}
}

// TestSiteChangedAfterValidation: a site file, or a file it extends, that
// changes between validation and the second load stops the run with an
// error naming the site file, so that no site is validated in one form
// and rendered in another. The first site's visit makes the change, so the
// sites after it (rendered one at a time) meet it.
func TestSiteChangedAfterValidation(t *testing.T) {
	r := newRenderer(t)
	for _, tc := range []struct{ name, file, want string }{
		{"the site file", "us.toml", "us.toml: changed, or a file it extends changed, after this run validated it"},
		{"a file it extends", "emea/region.toml", "uk.toml: changed, or a file it extends changed, after this run validated it"},
		{"deleted", "us.toml", "us.toml: cannot be read"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			withHold(t, 0, 1)
			var reads atomic.Int64
			inputs := rolloutCopy(t, &reads)
			dir := filepath.Dir(filepath.Dir(inputs[0].File))
			visited := 0
			_, probs, err := Stream(inputs, r, func(res Result) error {
				visited++
				if visited == 1 {
					p := filepath.Join(dir, tc.file)
					if tc.name == "deleted" {
						return os.Remove(p)
					}
					data, err := os.ReadFile(p)
					if err != nil {
						return err
					}
					return os.WriteFile(p, append(data, "\n# edited\n"...), 0o644)
				}
				return nil
			})
			if len(probs.Errors()) > 0 {
				t.Fatalf("problems: %v", probs)
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "the output was left as it was") {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// TestBytesGivenAreHeld: a site given as bytes (the example, a pipe) is
// never dropped, since it cannot be read again: its file is not read, even
// with a reader for the files it could extend.
func TestBytesGivenAreHeld(t *testing.T) {
	withHold(t, 0, 1)
	data, err := templates.FS.ReadFile(templates.ExampleSite)
	if err != nil {
		t.Fatal(err)
	}
	var reads atomic.Int64
	read := func(p string) ([]byte, error) {
		reads.Add(1)
		return os.ReadFile(p)
	}
	res, probs, err := Render([]Input{{File: "example.toml", Data: data, Read: read, Once: true}}, newRenderer(t))
	if err != nil || len(probs.Errors()) > 0 || len(res) != 1 || len(res[0].Files) == 0 {
		t.Fatalf("%v %v %d", err, probs, len(res))
	}
	if reads.Load() != 0 {
		t.Errorf("%d reads of a site given as bytes: it was dropped and loaded again", reads.Load())
	}
}
