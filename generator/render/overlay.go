package render

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
	"text/template"

	"pchat-hadr/generator/manifest"
)

// Override is a template that a --templates folder replaced or added.
type Override struct {
	Path  string // template path, e.g. sql/mirroring/seed.sql.tmpl
	Sum   string // sha256 of its text
	Added bool   // not a built-in template: rendered as an extra output
}

// source is one template file and where it came from, for messages.
type source struct {
	text    string
	display string // path shown in errors: the file the user can open
}

// collect reads every *.tmpl below fsys into sources keyed by path.
func collect(fsys fs.FS, display func(string) string, into map[string]source) error {
	return fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".tmpl") {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		into[p] = source{text: string(b), display: display(p)}
		return nil
	})
}

// NewWithOverrides parses the built-in templates with a folder laid over
// them: a file there replaces the built-in one of the same path, and a new
// file is rendered for every site to its path without .tmpl (unless its
// name starts with _, which marks a file of partials only).
func NewWithOverrides(builtin fs.FS, dir string, overlay fs.FS) (*Renderer, error) {
	r, paths, all, err := prepare(builtin, dir, overlay)
	if err != nil {
		return nil, err
	}
	if err := r.parse(paths, all); err != nil {
		return nil, err
	}
	return r, nil
}

// NewInBackground is New for templates that are known to parse (the
// built-in ones, which every test parses): it reads them and returns at
// once, and parses them on another core while the caller loads, validates
// and plans its sites, which take as long. A file is rendered once the
// parse is done; a parse error is then the error of every file.
func NewInBackground(builtin fs.FS) (*Renderer, error) {
	r, paths, all, err := prepare(builtin, "", nil)
	if err != nil {
		return nil, err
	}
	done := make(chan struct{})
	r.parsed = done
	go func() {
		defer close(done)
		r.parseErr = r.parse(paths, all)
	}()
	return r, nil
}

// prepare reads the templates, with the overlay laid over them, and makes
// a renderer with everything but the parsed templates: the overrides, the
// files errors name, and the fingerprint.
func prepare(builtin fs.FS, dir string, overlay fs.FS) (*Renderer, []string, map[string]source, error) {
	all := map[string]source{}
	if err := collect(builtin, func(p string) string { return "templates/" + p }, all); err != nil {
		return nil, nil, nil, err
	}
	base := map[string]bool{}
	for p := range all {
		base[p] = true
	}
	var overrides []Override
	if overlay != nil {
		over := map[string]source{}
		if err := collect(overlay, func(p string) string { return path.Join(dir, p) }, over); err != nil {
			return nil, nil, nil, fmt.Errorf("%s: %w", dir, err)
		}
		for p, s := range over {
			all[p] = s
			overrides = append(overrides, Override{Path: p, Sum: manifest.Sum([]byte(s.text)), Added: !base[p]})
		}
	}
	sort.Slice(overrides, func(i, j int) bool { return overrides[i].Path < overrides[j].Path })
	r := &Renderer{overrides: overrides, display: map[string]string{}}
	paths := make([]string, 0, len(all))
	for p := range all {
		paths = append(paths, p)
	}
	sort.Strings(paths) // parse order decides which of two equal defines wins
	fp := sha256.New()
	for _, p := range paths {
		fmt.Fprintf(fp, "%q %q %d\n", p, all[p].display, len(all[p].text))
		io.WriteString(fp, all[p].text)
		r.display[p] = all[p].display
	}
	r.fingerprint = hex.EncodeToString(fp.Sum(nil))
	return r, paths, all, nil
}

// parse parses the templates in path order and compiles them for the fast
// executor.
func (r *Renderer) parse(paths []string, all map[string]source) error {
	funcs := Funcs()
	tmpl := template.New("").Funcs(funcs).Option("missingkey=error")
	for _, p := range paths {
		if _, err := tmpl.New(p).Parse(all[p].text); err != nil {
			return r.explain(err)
		}
	}
	r.tmpl, r.fast = tmpl, compile(tmpl, funcs)
	return nil
}

// explain rewrites template names in an error into the files they came
// from, so that "template: sql/x.sql.tmpl:12: ..." names the user's file.
func (r *Renderer) explain(err error) error {
	msg := err.Error()
	for name, display := range r.display {
		if name != display {
			msg = strings.ReplaceAll(msg, "template: "+name+":", "template: "+display+":")
		}
	}
	return fmt.Errorf("%s", msg)
}

// Fingerprint identifies the templates the renderer executes: a hash of
// every template's path, the file it came from (error messages name it)
// and its text. Two renderers with one fingerprint, in one binary, render
// the same plan to the same bytes.
func (r *Renderer) Fingerprint() string { return r.fingerprint }

// Overrides lists the templates the --templates folder replaced or added.
func (r *Renderer) Overrides() []Override { return r.overrides }

// extras are the added templates rendered once per site.
func (r *Renderer) extras() []string {
	var out []string
	for _, o := range r.overrides {
		if o.Added && !strings.HasPrefix(path.Base(o.Path), "_") {
			out = append(out, o.Path)
		}
	}
	return out
}

// List returns the paths of the built-in templates.
func List(builtin fs.FS) ([]string, error) {
	all := map[string]source{}
	if err := collect(builtin, func(p string) string { return p }, all); err != nil {
		return nil, err
	}
	out := make([]string, 0, len(all))
	for p := range all {
		out = append(out, p)
	}
	sort.Strings(out)
	return out, nil
}
