package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"pchat-hadr/templates"
)

// FuzzPipeline feeds arbitrary site files through load, validate, plan and
// render. It proves that no input makes the pipeline panic, that an input
// validation accepts also renders, and that whatever renders passes every
// output check: T-SQL structure and signatures on .sql files, and the
// byte rules on all files. The seeds are every fixture, the embedded
// example and the files in testdata/fuzz/FuzzPipeline/.
//
//	go test -run '^$' -fuzz FuzzPipeline -fuzztime 90s ./generator/e2e
func FuzzPipeline(f *testing.F) {
	ex, err := templates.FS.ReadFile(templates.ExampleSite)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(ex)
	top, _ := filepath.Glob("fixtures/*.toml")
	nested, _ := filepath.Glob("fixtures/*/*.toml")
	if len(top) == 0 {
		f.Fatal("no fixtures found")
	}
	for _, p := range append(top, nested...) {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	// The tests run from the repository root, but the fuzzing engine reads
	// and writes its corpus under this package's testdata/fuzz: load what
	// the checks need, then fuzz from the package's folder.
	signatureCatalogue(f)
	f.Chdir(pkgDir)
	f.Fuzz(func(t *testing.T, data []byte) {
		files, probs, err := renderSite(t, "fuzz.toml", data)
		if err != nil {
			t.Fatalf("validation accepted the site but rendering failed: %v", err)
		}
		if files == nil {
			if len(probs.Errors()) == 0 {
				t.Fatal("nothing rendered and no problem reported")
			}
			for _, p := range probs.Errors() {
				if p.Message == "" || strings.Contains(p.Message, "internal error") {
					t.Errorf("refused with a bad problem: %s", clip(p.String()))
				}
			}
			return
		}
		if len(files) == 0 {
			t.Fatal("an accepted site rendered no files")
		}
		if p := outputProblems(t, files); len(p) > 0 {
			t.Errorf("accepted site's output fails the checks:\n%s", clip(strings.Join(p, "\n")))
		}
	})
}

// TestFuzzSeedsReadable proves every committed seed of FuzzPipeline is in
// the "go test fuzz v1" format with one []byte value, so that none is
// silently skipped.
func TestFuzzSeedsReadable(t *testing.T) {
	seeds, _ := filepath.Glob(filepath.Join(pkgDir, "testdata", "fuzz", "FuzzPipeline", "*"))
	if len(seeds) == 0 {
		t.Fatal("no committed seeds in testdata/fuzz/FuzzPipeline")
	}
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
		if len(lines) != 2 || lines[0] != "go test fuzz v1" || !strings.HasPrefix(lines[1], "[]byte(") {
			t.Errorf("%s: not a one-value go test fuzz v1 file: %s", s, clip(fmt.Sprintf("%q", data)))
		}
	}
}
