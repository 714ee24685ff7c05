// Package render executes the templates for a plan and returns the files in
// memory, encoded and with their MANIFEST. It performs no I/O beyond reading
// the template tree it was given once: at construction, or for
// NewInBackground on a goroutine of its own once it has returned.
package render

import (
	"bytes"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"sync/atomic"
	"text/template"

	"pchat-hadr/generator/manifest"
	"pchat-hadr/generator/parallel"
	"pchat-hadr/generator/plan"
)

// File is one rendered output file.
type File struct {
	Path string // slash-separated, relative to the site's output folder
	Data []byte
	Sum  string // sha256 of Data, as MANIFEST lists it
}

// RunbookName is the runbook's file name in each site's output folder.
const RunbookName = "RUNBOOK.md"

// Renderer holds the parsed templates; it is safe for concurrent use.
type Renderer struct {
	// Set when the templates are read (prepare).
	overrides   []Override
	display     map[string]string // template path -> file shown in errors
	fingerprint string            // see Fingerprint
	// Set when they are parsed (parse).
	tmpl *template.Template
	fast *program // nil: text/template executes everything

	fallbacks atomic.Int64 // executions the fast executor left to text/template
	// read and parsed, when set (NewInBackground), are closed once the
	// templates are read and once they are parsed, with parseErr the error
	// of either step.
	read, parsed chan struct{}
	parseErr     error
}

// wait waits for the templates to be read.
func (r *Renderer) wait() {
	if r.read != nil {
		<-r.read
	}
}

// ready waits for the templates to be parsed.
func (r *Renderer) ready() error {
	if r.parsed != nil {
		<-r.parsed
	}
	return r.parseErr
}

// Fallbacks counts the files whose templates the fast executor handed to
// text/template (for benchmarks: such a file is correct, only slower).
func (r *Renderer) Fallbacks() int64 { return r.fallbacks.Load() }

// New parses every *.tmpl file of fsys, naming each by its full path so
// that two templates with the same base name never collide.
func New(fsys fs.FS) (*Renderer, error) {
	return NewWithOverrides(fsys, "", nil)
}

// Runbook is the data of the runbook template.
type Runbook struct {
	*plan.Plan
}

// Render renders every file of a plan, the runbook and the MANIFEST.
func (r *Renderer) Render(p *plan.Plan) ([]File, error) { return r.RenderWith(p, 1) }

// job is one file of a plan to render.
type job struct {
	path, tmpl string
	data       any
}

// RenderWith is Render with up to workers files executed at once. A run of
// one site has nothing else for the other cores to do; a run of many
// renders its sites side by side instead (pipeline). The files, their
// order and the first error in that order are the same for any workers.
func (r *Renderer) RenderWith(p *plan.Plan, workers int) ([]File, error) {
	rb := Runbook{Plan: p}
	jobs := make([]job, 0, len(p.Files)+4)
	for _, f := range p.Files {
		jobs = append(jobs, job{f.Path, f.Template, f.Data})
	}
	jobs = append(jobs, job{RunbookName, "runbook.md.tmpl", rb})
	for _, t := range r.extras() {
		jobs = append(jobs, job{strings.TrimSuffix(t, ".tmpl"), t, rb})
	}
	// A path planned twice fails where the serial render reached it: after
	// the files before it, whose errors come first.
	var twice error
	seen := make(map[string]bool, len(jobs))
	for i, j := range jobs {
		if seen[j.path] {
			twice, jobs = fmt.Errorf("%s: planned twice", j.path), jobs[:i]
			break
		}
		seen[j.path] = true
	}
	out := make([]File, len(jobs), len(jobs)+1)
	errs := make([]error, len(jobs))
	one := func(i int) {
		j := jobs[i]
		enc, err := r.executeFile(j.path, j.tmpl, j.data)
		out[i], errs[i] = File{Path: j.path, Data: enc, Sum: manifest.Sum(enc)}, err
	}
	// Last file first: the runbook, the slowest to render, is last in plan
	// order (before any added template), and started last it kept one core
	// busy while the other waited.
	parallel.Each(len(jobs), workers, func(k int) { one(len(jobs) - 1 - k) })
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	if twice != nil {
		return nil, twice
	}
	sums := make(map[string]string, len(out))
	for _, f := range out {
		sums[f.Path] = f.Sum
	}
	m := manifest.BuildSums(p.Source, sums, r.overrideNotes()...)
	return append(out, File{Path: manifest.Name, Data: m, Sum: manifest.Sum(m)}), nil
}

// buffers are reused across executions: growing a fresh buffer for each
// was a large share of a run's garbage. Each starts with room for the
// largest script of the example (400 KB): a buffer made of fresh pages
// (a run of one site collects nothing, heapfloor) has its pages touched
// only as far as it is written, where growing one by doubling copies it
// and clears every page of the new one. A run of one site grew them by
// 1.5 MB, at 3 to 4 us a fresh page (docs/performance.md, fifth round).
// A run of many, which collects, reuses memory that the runtime clears
// whole; its peak memory was the same (1,000 and 2,000 sites).
var buffers = sync.Pool{New: func() any { return bytes.NewBuffer(make([]byte, 0, 512<<10)) }}

func (r *Renderer) execute(name string, data any) ([]byte, error) {
	return r.executeFile("", name, data)
}

// executeFile executes a template and encodes its output for the file at
// path ("" for none): the conversion to CRLF makes the file's own copy,
// so the text is copied out of the pooled buffer only when it stays as is.
func (r *Renderer) executeFile(path, name string, data any) ([]byte, error) {
	if err := r.ready(); err != nil {
		return nil, err
	}
	t := r.tmpl.Lookup(name)
	if t == nil {
		return nil, fmt.Errorf("template %s does not exist", name)
	}
	b := buffers.Get().(*bytes.Buffer)
	defer buffers.Put(b)
	b.Reset()
	if r.fast == nil || !r.fast.run(b, name, data) {
		r.fallbacks.Add(1)
		b.Reset()
		if err := t.Execute(b, data); err != nil {
			return nil, r.explain(err)
		}
	}
	text := b.Bytes()
	enc := text
	if path != "" {
		var err error
		if enc, err = Encode(path, text); err != nil {
			return nil, err
		}
	}
	if len(enc) == 0 || len(text) > 0 && &enc[0] == &text[0] {
		return bytes.Clone(enc), nil
	}
	return enc, nil
}

// RolloutName is the rollout overview at the root of the output.
const RolloutName = "ROLLOUT.md"

// RenderRoot renders the files at the root of the output: ROLLOUT.md and
// the root MANIFEST, given each site folder's MANIFEST sum (site name ->
// sha256). The root MANIFEST lists the root's own files and each site's
// MANIFEST, which lists that site's files: every generated file is vouched
// for by a chain of sums, and the root MANIFEST grows by a line a site,
// not by a line a file (1.3 million lines at 10,000 sites).
func (r *Renderer) RenderRoot(ro plan.Rollout, sites map[string]string) ([]File, error) {
	text, err := r.execute("rollout.md.tmpl", ro)
	if err != nil {
		return nil, err
	}
	rollout := File{Path: RolloutName, Data: text, Sum: manifest.Sum(text)}
	sums := make(map[string]string, len(sites)+1)
	sums[rollout.Path] = rollout.Sum
	for name, sum := range sites {
		sums[name+"/"+manifest.Name] = sum
	}
	notes := append([]string{RootNote}, r.overrideNotes()...)
	m := manifest.BuildSums(fmt.Sprintf("%d site file(s)", len(sites)), sums, notes...)
	return []File{rollout, {Path: manifest.Name, Data: m, Sum: manifest.Sum(m)}}, nil
}

// RootNote is the root MANIFEST's note on what it lists.
const RootNote = "site folders: each one's MANIFEST is listed here, and lists that site's files"

// overrideNotes describes the template overrides for MANIFEST, so that a
// reviewer sees that the outputs come from customised templates.
func (r *Renderer) overrideNotes() []string {
	r.wait()
	var notes []string
	for _, o := range r.overrides {
		kind := "replaced"
		if o.Added {
			kind = "added"
		}
		notes = append(notes, fmt.Sprintf("template %s: %s  %s", kind, o.Sum, o.Path))
	}
	return notes
}
