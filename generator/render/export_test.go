package render

import (
	"bytes"
	"text/template"
)

// ExecuteBoth runs a template with the fast executor and with
// text/template alone: ok is false when the fast one gave up.
func ExecuteBoth(r *Renderer, name string, data any) (fast []byte, ok bool, slow []byte, err error) {
	var fb, sb bytes.Buffer
	if err := r.ready(); err != nil {
		return nil, false, nil, err
	}
	ok = r.fast.run(&fb, name, data)
	err = r.tmpl.Lookup(name).Execute(&sb, data)
	return fb.Bytes(), ok, sb.Bytes(), err
}

// ExecuteTemplate is ExecuteBoth for a template set of a test's own.
func ExecuteTemplate(t *template.Template, data any) (fast []byte, ok bool, slow []byte, err error) {
	var fb, sb bytes.Buffer
	ok = compile(t, Funcs()).run(&fb, t.Name(), data)
	err = t.Execute(&sb, data)
	return fb.Bytes(), ok, sb.Bytes(), err
}

// TextTemplateOnly returns a copy of r that executes every template with
// text/template, the baseline of the fast executor's benchmark.
func TextTemplateOnly(r *Renderer) *Renderer {
	r.ready()
	return &Renderer{tmpl: r.tmpl, overrides: r.overrides, display: r.display}
}

// ExecuteFile is executeFile (execute, then line ends and BOM) for the
// per-template benchmark.
func ExecuteFile(r *Renderer, path, name string, data any) ([]byte, error) {
	return r.executeFile(path, name, data)
}

// ExecuteFast runs a template with the fast executor alone, into w; ok
// is false when it gave up.
func ExecuteFast(r *Renderer, w *bytes.Buffer, name string, data any) (ok bool) {
	return r.ready() == nil && r.fast.run(w, name, data)
}
