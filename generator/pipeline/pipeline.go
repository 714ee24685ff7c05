// Package pipeline runs the stages for a set of site files: load, validate,
// plan and render. It is pure: inputs are bytes, outputs are files in
// memory, and nothing is written.
package pipeline

import (
	"fmt"
	"path/filepath"

	"pchat-hadr/generator/diag"
	"pchat-hadr/generator/plan"
	"pchat-hadr/generator/render"
	"pchat-hadr/generator/site"
	"pchat-hadr/generator/validate"
)

// Input is one site file as read from disk.
type Input struct {
	File string // path as the user named it
	Data []byte
	// Read reads the files a site extends; nil refuses extends.
	Read site.Reader
}

// Result is one rendered site.
type Result struct {
	Input
	Name  string // site.name: the output folder
	Site  *site.Site
	Files []render.File
}

// Validate loads and validates every input. It returns the loaded sites
// (nil for invalid ones) and all problems, warnings included, in order.
func Validate(inputs []Input) ([]*site.Loaded, diag.List) {
	var all diag.List
	loaded := make([]*site.Loaded, len(inputs))
	firstFile := map[string]string{}
	for i, in := range inputs {
		l, probs := site.Load(in.File, in.Data, in.Read)
		if l != nil {
			l.ApplyDefaults()
			probs = append(probs, validate.Site(l)...)
			if len(probs.Errors()) == 0 {
				loaded[i] = l
			}
			if n := l.Site.Site.Name; n != "" {
				if other, dup := firstFile[n]; dup {
					probs = append(probs, l.Problem("site.name", "%q is also the name of the site in %s; site names must be unique because they name the output folders", n, other))
					loaded[i] = nil
				} else {
					firstFile[n] = in.File
				}
			}
			probs.Sort()
		}
		all = append(all, probs...)
	}
	return loaded, all
}

// Render validates and renders every input. When any input has an error it
// renders nothing and returns every problem.
func Render(inputs []Input, r *render.Renderer) ([]Result, diag.List, error) {
	loaded, probs := Validate(inputs)
	if len(probs.Errors()) > 0 {
		return nil, probs, nil
	}
	out := make([]Result, 0, len(inputs))
	for i, l := range loaded {
		p, err := plan.Build(&l.Site, filepath.Base(inputs[i].File))
		if err != nil {
			return nil, probs, fmt.Errorf("%s: %w", inputs[i].File, err)
		}
		files, err := r.Render(p)
		if err != nil {
			return nil, probs, fmt.Errorf("%s: %w", inputs[i].File, err)
		}
		out = append(out, Result{Input: inputs[i], Name: l.Site.Site.Name, Site: &l.Site, Files: files})
	}
	return out, probs, nil
}

// Root renders the files at the root of the output for a run: ROLLOUT.md
// and the MANIFEST of the whole tree.
func Root(results []Result, r *render.Renderer) ([]render.File, error) {
	sites := make([]*site.Site, len(results))
	names := make([]string, len(results))
	files := map[string][]render.File{}
	for i, res := range results {
		sites[i], names[i] = res.Site, displayName(res.File)
		files[res.Name] = res.Files
	}
	return r.RenderRoot(plan.BuildRollout(sites, names), files)
}

// displayName is how ROLLOUT.md names a site file: as given when relative,
// by base name when absolute, so that no machine's paths reach the output.
func displayName(file string) string {
	if filepath.IsAbs(file) {
		return filepath.Base(file)
	}
	return filepath.ToSlash(file)
}
