package e2e

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"pchat-hadr/generator/collect"
	"pchat-hadr/generator/importer"
	"pchat-hadr/generator/pipeline"
	"pchat-hadr/generator/plan"
	"pchat-hadr/generator/render"
	"pchat-hadr/generator/site"
	"pchat-hadr/templates"
)

// roundTripSite is one site of the golden corpus and where its output is.
type roundTripSite struct {
	input    pipeline.Input
	caseName string // golden case
	dir      bool   // a folder case: golden/<case>/<site name>/ holds the site's output
	r        *render.Renderer
}

func roundTripSites(t *testing.T) []roundTripSite {
	t.Helper()
	var out []roundTripSite
	for _, c := range goldenCases(t) {
		if strings.HasPrefix(c.name, "bad-") {
			continue
		}
		r := templateRenderer(t)
		var inputs []pipeline.Input
		switch {
		case c.name == "example":
			data, err := templates.FS.ReadFile(templates.ExampleSite)
			if err != nil {
				t.Fatal(err)
			}
			inputs = append(inputs, pipeline.Input{File: "example.toml", Data: data})
		case c.dir:
			dir := filepath.Join("fixtures", c.name)
			if tdir := filepath.Join(dir, "templates"); fileExists(tdir) {
				var err error
				if r, err = render.NewWithOverrides(templates.FS, filepath.ToSlash(tdir), os.DirFS(tdir)); err != nil {
					t.Fatal(err)
				}
			}
			inputs = fixtureInputs(t, dir)
		default:
			inputs = fixtureInputs(t, c.args[0])
		}
		for _, in := range inputs {
			out = append(out, roundTripSite{input: in, caseName: c.name, dir: c.dir, r: r})
		}
	}
	return out
}

// fixtureInputs reads a site file, or the site files (not the defaults)
// below a folder.
func fixtureInputs(t *testing.T, path string) []pipeline.Input {
	t.Helper()
	var files []string
	err := filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".toml") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	var out []pipeline.Input
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(filepath.ToSlash(f), "/templates/") || site.IsDefaults(data) {
			continue
		}
		out = append(out, pipeline.Input{File: f, Data: data, Read: os.ReadFile})
	}
	return out
}

// TestImportRoundTrip: the collection a deployment set up exactly as a
// golden site describes would give (collectionOf), written as JSON and
// read back, imports to a site file whose only errors are TODOs; with the
// TODOs and the choices (importer.Choices) filled in from the original,
// it generates the golden output tree byte for byte.
func TestImportRoundTrip(t *testing.T) {
	for _, rt := range roundTripSites(t) {
		t.Run(filepath.ToSlash(rt.input.File), func(t *testing.T) {
			loaded, probs := pipeline.Validate([]pipeline.Input{rt.input})
			if len(probs.Errors()) > 0 {
				t.Fatalf("the golden site does not validate:\n%s", probs)
			}
			orig := loaded[0]
			base := filepath.Base(rt.input.File)
			golden := filepath.Join("golden", rt.caseName)
			if rt.dir {
				golden = filepath.Join(golden, orig.Site.Site.Name)
			}
			p, err := plan.Build(&orig.Site, base)
			if err != nil {
				t.Fatal(err)
			}
			text := importCollection(t, collectionOf(&orig.Site, p))
			imported, todos := onlyTODOs(t, base, text)
			filled := fillFrom(t, imported, todos, orig.Merged)
			results, probs, err := pipeline.Render([]pipeline.Input{{File: base, Data: []byte(filled)}}, rt.r)
			if err != nil || len(probs.Errors()) > 0 {
				t.Fatalf("the filled-in import does not render: %v\n%s\n%s", err, probs, filled)
			}
			got := map[string][]byte{}
			for _, f := range results[0].Files {
				got[f.Path] = f.Data
			}
			sameTree(t, golden, got)
			if t.Failed() {
				t.Logf("filled-in import:\n%s", filled)
			}
		})
	}
}

// importCollection writes the collection as the collector would, reads it
// back and imports it.
func importCollection(t *testing.T, doc *collect.Document) string {
	t.Helper()
	data, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	back, err := collect.Decode("collected.json", data)
	if err != nil {
		t.Fatal(err)
	}
	text, err := importer.Import(back, "collected.json", "")
	if err != nil {
		t.Fatal(err)
	}
	return string(text)
}

// onlyTODOs validates an imported site: every error must be a TODO, at
// the line of its value.
func onlyTODOs(t *testing.T, file, text string) (string, []site.TODO) {
	t.Helper()
	l, lprobs := site.Load(file, []byte(text), nil)
	if l == nil {
		t.Fatalf("the import does not load:\n%s\n%s", lprobs, text)
	}
	_, probs := pipeline.Validate([]pipeline.Input{{File: file, Data: []byte(text)}})
	errs := probs.Errors()
	if len(errs) != len(l.TODOs) || len(errs) == 0 {
		t.Errorf("want exactly the %d TODOs as errors, got:\n%s", len(l.TODOs), errs)
	}
	for _, e := range errs {
		if !strings.HasPrefix(e.Message, "TODO: fill in ") || e.Line == 0 {
			t.Errorf("an error that is not a TODO at a line: %s", e)
		}
	}
	return text, l.TODOs
}

// fillFrom replaces each TODO and each choice with the original site's
// value, or drops the line when the original leaves the key out.
func fillFrom(t *testing.T, text string, todos []site.TODO, orig map[string]any) string {
	t.Helper()
	lines := strings.Split(text, "\n")
	at := map[int]string{}
	for _, td := range todos {
		at[td.Line] = td.Key
	}
	pos := site.Locate(text)
	for _, k := range importer.Choices {
		if p, ok := pos[k]; ok {
			at[p.Line] = k
		}
	}
	for n, key := range at {
		v, ok := lookup(orig, key)
		i := n - 1
		switch {
		case ok:
			lines[i] = key[strings.LastIndexAny(key, ".]")+1:] + " = " + tomlValue(t, v)
		case strings.HasPrefix(strings.TrimSpace(lines[i]), key[strings.LastIndex(key, ".")+1:]) && isTODOLine(lines[i]):
			lines[i] = "# (left out, as in the original)"
		}
	}
	return strings.Join(lines, "\n")
}

func isTODOLine(l string) bool { return strings.Contains(l, `= "TODO`) }

// lookup finds a dotted key path, with [i] for array elements, in a
// decoded TOML document.
func lookup(doc map[string]any, path string) (any, bool) {
	var cur any = doc
	for _, part := range strings.Split(path, ".") {
		name, idx, indexed := strings.Cut(part, "[")
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[name]; !ok {
			return nil, false
		}
		if indexed {
			i, _ := strconv.Atoi(strings.TrimSuffix(idx, "]"))
			switch arr := cur.(type) {
			case []map[string]any:
				if i >= len(arr) {
					return nil, false
				}
				cur = arr[i]
			case []any:
				if i >= len(arr) {
					return nil, false
				}
				cur = arr[i]
			default:
				return nil, false
			}
		}
	}
	return cur, true
}

func tomlValue(t *testing.T, v any) string {
	switch x := v.(type) {
	case string:
		return tomlString(x)
	case bool:
		return strconv.FormatBool(x)
	case int64:
		return strconv.FormatInt(x, 10)
	}
	t.Fatalf("no TOML form for %T", v)
	return ""
}

// sameTree compares an output tree with a golden folder; unlike
// compareTree it never rewrites the golden files, whatever
// PCHAT_HADR_UPDATE says: the goldens are TestGolden's.
func sameTree(t *testing.T, dir string, got map[string][]byte) {
	t.Helper()
	want := readTree(t, dir)
	if len(want) == 0 {
		t.Fatalf("no golden files in %s", dir)
	}
	for _, p := range keys(want) {
		if g, ok := got[p]; !ok {
			t.Errorf("%s: not generated from the import", p)
		} else if string(want[p]) != string(g) {
			t.Errorf("%s differs (-golden +import):\n%s", p, lineDiff(string(want[p]), string(g)))
		}
	}
	for _, p := range keys(got) {
		if _, ok := want[p]; !ok {
			t.Errorf("%s: generated from the import but not in %s", p, dir)
		}
	}
}
