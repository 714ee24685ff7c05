package plan

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"pchat-hadr/generator/site"
	"pchat-hadr/templates"
)

// TestProducerOfIndexMatchesScan: the subject index gives ProducerOf the
// answer the scan of every earlier step gives, for every predicate of
// every operation of the example and of each single-file fixture, at
// every step; a predicate whose parts hold a "/" and a stale index too.
func TestProducerOfIndexMatchesScan(t *testing.T) {
	sources := map[string][]byte{}
	ex, err := templates.FS.ReadFile(templates.ExampleSite)
	if err != nil {
		t.Fatal(err)
	}
	sources["example.toml"] = ex
	files, _ := filepath.Glob(filepath.Join("..", "..", "fixtures", "*.toml"))
	for _, f := range files {
		if strings.HasPrefix(filepath.Base(f), "bad-") {
			continue // invalid: validation stops them before planning
		}
		if data, err := os.ReadFile(f); err == nil {
			sources[filepath.Base(f)] = data
		}
	}
	plans := 0
	for name, data := range sources {
		l, probs := site.Load(name, data, nil)
		if l == nil || len(probs.Errors()) > 0 {
			continue
		}
		l.ApplyDefaults()
		p, err := Build(&l.Site, name)
		if err != nil {
			continue // invalid fixtures fail validation, not here
		}
		plans++
		for _, o := range p.Operations {
			if o.producers == nil || !o.producers.fresh(o) {
				t.Fatalf("%s: %s has no fresh index", name, o.Name)
			}
			var all []Pred
			all = append(all, o.Preflight...)
			all = append(all, o.Ends...)
			for _, st := range o.Steps {
				all = append(all, st.Requires...)
				all = append(all, st.Ensures...)
				for _, g := range st.Unneeded {
					all = append(all, g...)
				}
			}
			for _, q := range all {
				for n := 1; n <= len(o.Steps)+1; n++ {
					ix := o.producers
					got := o.ProducerOf(q, n)
					o.producers = nil
					want := o.ProducerOf(q, n)
					o.producers = ix
					if got != want {
						t.Errorf("%s: %s: ProducerOf(%s, %d) = %d with the index, %d by scan", name, o.Name, q.Key(), n, got, want)
					}
				}
			}
		}
	}
	if plans < 2 {
		t.Fatalf("only %d plans built", plans)
	}

	// Parts that hold a "/": the subjects join equal though the parts differ.
	o := &Operation{Steps: []*Step{{Ensures: []Pred{{Kind: "k", DB: "a/b", Arg: "c", Want: []string{"x"}}}}, {}}}
	o.indexProducers()
	q := Pred{Kind: "k", DB: "a", Arg: "b/c", Want: []string{"x"}}
	if got := o.ProducerOf(q, 3); got != 1 {
		t.Errorf("subject a/b + c against a + b/c: step %d, want 1 (the subjects join equal)", got)
	}
	// Steps swapped in a copy of an indexed operation, and a step's
	// ensures replaced by as many others: the index is stale and not used.
	l, _ := site.Load("example.toml", sources["example.toml"], nil)
	l.ApplyDefaults()
	p, err := Build(&l.Site, "example.toml")
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range p.Operations {
		if len(op.Steps) < 2 {
			continue
		}
		c := *op
		c.Steps = append([]*Step(nil), op.Steps...)
		last := len(c.Steps) - 1
		c.Steps[0], c.Steps[last] = c.Steps[last], c.Steps[0]
		if c.producers.fresh(&c) {
			t.Fatalf("%s: steps swapped in a copy, the index still counts as fresh", op.Name)
		}
		st := *op.Steps[0]
		st.Ensures = append([]Pred(nil), st.Ensures...)
		c.Steps = append([]*Step(nil), op.Steps...)
		c.Steps[0] = &st
		if c.producers.fresh(&c) {
			t.Fatalf("%s: a step replaced in a copy, the index still counts as fresh", op.Name)
		}
		orig := op.Steps[0].Ensures
		op.Steps[0].Ensures = append([]Pred(nil), orig...)
		if op.producers.fresh(op) {
			t.Fatalf("%s: ensures replaced by as many, the index still counts as fresh", op.Name)
		}
		op.Steps[0].Ensures = orig
		if !op.producers.fresh(op) {
			t.Fatalf("%s: the index is stale with nothing changed", op.Name)
		}
	}
	// A step added after indexing: the index is stale and not used.
	o.Steps = append(o.Steps, &Step{Ensures: []Pred{{Kind: "k", DB: "z", Want: []string{"x"}}}})
	if got := o.ProducerOf(Pred{Kind: "k", DB: "z", Want: []string{"x"}}, 4); got != 3 {
		t.Errorf("stale index: step %d, want 3", got)
	}
}
