package e2e

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"pchat-hadr/generator/render"
	"pchat-hadr/generator/tsqlcheck"
	"pchat-hadr/templates"
)

// TestTSQL runs the T-SQL structure and signature checks on every .sql
// file: the committed goldens, and every valid fixture rendered in memory,
// so a template change is checked even before the goldens are rewritten.
// A failure here is a bug in templates/, not in the checker's input.
func TestTSQL(t *testing.T) {
	data, err := os.ReadFile("generator/tsqlcheck/testdata/signatures.txt")
	if err != nil {
		t.Fatal(err)
	}
	cat, err := tsqlcheck.ParseCatalogue(data)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	err = filepath.WalkDir("golden", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".sql" {
			return err
		}
		files[filepath.ToSlash(p)], err = os.ReadFile(p)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	goldens := len(files)
	r, err := render.New(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	for _, res := range renderEach(t, r, validInputs(t)) {
		for _, f := range res.Files {
			if path.Ext(f.Path) == ".sql" {
				files["rendered:"+res.Name+"/"+f.Path] = f.Data
			}
		}
	}
	if goldens == 0 || len(files) == goldens {
		t.Fatalf("found %d golden and %d rendered .sql files; want both", goldens, len(files)-goldens)
	}
	t.Logf("checking %d golden and %d rendered .sql files", goldens, len(files)-goldens)
	for name, src := range files {
		found := append(tsqlcheck.Check(name, src), tsqlcheck.CheckSignatures(name, src, cat)...)
		if len(found) > 0 {
			lines := make([]string, len(found))
			for i, p := range found {
				lines[i] = p.String()
			}
			t.Errorf("%d problem(s):\n%s", len(found), strings.Join(lines, "\n"))
		}
	}
}
