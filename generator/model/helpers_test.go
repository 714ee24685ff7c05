package model

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"pchat-hadr/generator/pipeline"
	"pchat-hadr/generator/plan"
	"pchat-hadr/generator/render"
	"pchat-hadr/templates"
)

// planOf plans a fixture site (or the example for "example").
func planOf(t testing.TB, name string) *plan.Plan {
	t.Helper()
	var data []byte
	var err error
	file := name + ".toml"
	if name == "example" {
		data, err = templates.FS.ReadFile(templates.ExampleSite)
	} else {
		data, err = os.ReadFile(filepath.Join("..", "..", "fixtures", file))
	}
	if err != nil {
		t.Fatal(err)
	}
	plans, probs, err := pipeline.Plans([]pipeline.Input{{File: file, Data: data}})
	if err != nil || len(probs.Errors()) > 0 {
		t.Fatalf("%s: %v %v", name, err, probs)
	}
	return plans[0]
}

// runAll runs operations in order to completion, each answering yes.
func runAll(t testing.TB, m *Model, s *State, names ...string) {
	t.Helper()
	for _, n := range names {
		o := m.Site.Plan.Operation(n)
		if o == nil {
			t.Fatalf("no operation %s", n)
		}
		r := m.Exec(s, Run{Op: o, Between: func(s *State, _ int) { m.Busy(s) }})
		if r.Outcome != Completed {
			t.Fatalf("%s: %s at step %d: %s (continue: %s; fix: %s)", n, r.Outcome, r.Step, r.Reason, r.Continue, r.Fix)
		}
	}
}

// renderOne renders the plan and returns one of its files.
func renderOne(t testing.TB, p *plan.Plan, path string) (string, error) {
	t.Helper()
	r, err := render.New(templates.FS)
	if err != nil {
		return "", err
	}
	files, err := r.Render(p)
	if err != nil {
		return "", err
	}
	for _, f := range files {
		if f.Path == path {
			return string(f.Data), nil
		}
	}
	return "", fmt.Errorf("no file %s", path)
}
