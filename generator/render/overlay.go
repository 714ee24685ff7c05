package render

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
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
	sum     string // sha256 of text
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
		into[p] = source{text: string(b), display: display(p), sum: manifest.Sum(b)}
		return nil
	})
}

// NewWithOverrides parses the built-in templates with a folder laid over
// them: a file there replaces the built-in one of the same path, and a new
// file is rendered for every site to its path without .tmpl (unless its
// name starts with _, which marks a file of partials only).
func NewWithOverrides(builtin fs.FS, dir string, overlay fs.FS) (*Renderer, error) {
	r := &Renderer{}
	paths, all, err := r.prepare(builtin, dir, overlay)
	if err != nil {
		return nil, err
	}
	if err := r.parse(paths, all); err != nil {
		return nil, err
	}
	return r, nil
}

// NewInBackground is New for templates that are known to parse (the
// built-in ones, which every test parses): it returns at once, and reads
// and parses them on another core while the caller loads, validates and
// plans its sites, which take as long. A file is rendered once the parse
// is done, and Fingerprint answers once the templates are read; an error
// reading or parsing them is then the error of every file.
func NewInBackground(builtin fs.FS) *Renderer {
	r := &Renderer{}
	read, parsed := make(chan struct{}), make(chan struct{})
	r.read, r.parsed = read, parsed
	go func() {
		defer close(parsed)
		paths, all, err := r.prepare(builtin, "", nil)
		close(read)
		if err == nil {
			err = r.parse(paths, all)
		}
		r.parseErr = err
	}()
	return r
}

// prepare reads the templates, with the overlay laid over them, into r:
// everything but the parsed templates (the overrides, the files errors
// name, and the fingerprint).
func (r *Renderer) prepare(builtin fs.FS, dir string, overlay fs.FS) ([]string, map[string]source, error) {
	all := map[string]source{}
	if err := collect(builtin, func(p string) string { return "templates/" + p }, all); err != nil {
		return nil, nil, err
	}
	base := map[string]bool{}
	for p := range all {
		base[p] = true
	}
	if overlay != nil {
		over := map[string]source{}
		if err := collect(overlay, func(p string) string { return path.Join(dir, p) }, over); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", dir, err)
		}
		for p, s := range over {
			all[p] = s
			r.overrides = append(r.overrides, Override{Path: p, Sum: s.sum, Added: !base[p]})
		}
	}
	sort.Slice(r.overrides, func(i, j int) bool { return r.overrides[i].Path < r.overrides[j].Path })
	r.display = make(map[string]string, len(all))
	paths := make([]string, 0, len(all))
	for p := range all {
		paths = append(paths, p)
	}
	sort.Strings(paths) // parse order decides which of two equal defines wins
	fp := sha256.New()
	for _, p := range paths {
		fmt.Fprintf(fp, "%q %q %s\n", p, all[p].display, all[p].sum)
		r.display[p] = all[p].display
	}
	r.fingerprint = hex.EncodeToString(fp.Sum(nil))
	return paths, all, nil
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
// and its text's sha256. Two renderers with one fingerprint, in one
// binary, render the same plan to the same bytes. For NewInBackground it
// waits for the templates to be read, and is empty if they could not be
// (then no file renders, so no cache entry is made with it).
func (r *Renderer) Fingerprint() string {
	r.wait()
	return r.fingerprint
}

// Overrides lists the templates the --templates folder replaced or added.
func (r *Renderer) Overrides() []Override {
	r.wait()
	return r.overrides
}

// extras are the added templates rendered once per site.
func (r *Renderer) extras() []string {
	r.wait()
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
