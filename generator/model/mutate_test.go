package model

import (
	"runtime"
	"strings"
	"testing"

	"pchat-hadr/generator/plan"
)

// The findings tests show each fix twice: the operation as planned passes
// the check, and the same check fails once the fix is taken out again
// (a mutation of a copy of the plan, or the script body as it was). A
// check that passes both ways would prove nothing.

// mutated returns a model of a copy of p in which change has edited the
// named operations (copies too: the real plan is untouched).
func mutated(p *plan.Plan, change func(o *plan.Operation), names ...string) *Model {
	cp := *p
	cp.Operations = make([]*plan.Operation, len(p.Operations))
	for i, o := range p.Operations {
		cp.Operations[i] = o
		for _, n := range names {
			if o.Name == n {
				c := *o
				c.Steps = append([]*plan.Step(nil), o.Steps...)
				change(&c)
				cp.Operations[i] = &c
			}
		}
	}
	return &Model{Site: NewSite(&cp), startsFrom: p}
}

// startsOf returns the start states of m's site, built by the real
// operations with the real script bodies.
func startsOf(t *testing.T, m *Model) []Start {
	t.Helper()
	p := m.startsFrom
	if p == nil {
		p = m.Site.Plan
	}
	m0 := &Model{Site: NewSite(p)}
	starts, err := m0.Starts()
	if err != nil {
		t.Fatal(err)
	}
	more, err := m0.OutsideBackupStarts()
	if err != nil {
		t.Fatal(err)
	}
	tail, err := m0.TailThenLostStart()
	if err != nil {
		t.Fatal(err)
	}
	return append(append(starts, more...), tail)
}

// withoutSteps drops the steps for which drop is true.
func withoutSteps(drop func(*plan.Step) bool) func(*plan.Operation) {
	return func(o *plan.Operation) {
		var keep []*plan.Step
		for _, st := range o.Steps {
			if !drop(st) {
				keep = append(keep, st)
			}
		}
		o.Steps = keep
	}
}

// editSteps replaces the steps for which match is true with edited copies.
func editSteps(match func(*plan.Step) bool, edit func(*plan.Step)) func(*plan.Operation) {
	return func(o *plan.Operation) {
		for i, st := range o.Steps {
			if match(st) {
				c := *st
				edit(&c)
				o.Steps[i] = &c
			}
		}
	}
}

func opIs(op string) func(*plan.Step) bool {
	return func(st *plan.Step) bool { return st.Action.Op == op }
}

func idIs(prefix string) func(*plan.Step) bool {
	return func(st *plan.Step) bool { return strings.HasPrefix(st.ID, prefix) }
}

// explore runs the named operations on every path from the named starts
// and returns what broke.
func explore(t *testing.T, m *Model, ops []string, starts ...string) ([]Violation, Stats) {
	t.Helper()
	e := &Explorer{M: m, Starts: startsOf(t, m), Stats: Stats{States: map[uint64]struct{}{}}}
	for _, n := range ops {
		o := m.Site.Plan.Operation(n)
		if o == nil {
			t.Fatalf("no operation %s", n)
		}
		e.Ops = append(e.Ops, o)
	}
	var picked []Start
	for _, st := range e.Starts {
		for _, n := range starts {
			if st.Name == n {
				picked = append(picked, st)
			}
		}
	}
	if len(picked) != len(starts) {
		t.Fatalf("found %d of the starts %q", len(picked), starts)
	}
	e.Starts = picked
	e.MaxViolations = 50
	e.Explore(runtime.NumCPU())
	return e.Violations, e.Stats
}

// startState returns a clone of a named start.
func startState(t *testing.T, m *Model, name string) *State {
	t.Helper()
	for _, st := range startsOf(t, m) {
		if st.Name == name {
			return st.State.Clone()
		}
	}
	t.Fatalf("no start %q", name)
	return nil
}

// holdsAndBreaks asserts that check passes on the real model and fails on
// the mutated one.
func holdsAndBreaks(t *testing.T, real, broken *Model, check func(*Model) []string) {
	t.Helper()
	if probs := check(real); len(probs) > 0 {
		t.Errorf("as planned:\n  %s", strings.Join(first(probs, 5), "\n  "))
	}
	if probs := check(broken); len(probs) == 0 {
		t.Errorf("with the fix taken out the check still passes: it does not test the fix")
	} else {
		t.Logf("with the fix taken out (as expected): %s", probs[0])
	}
}

func first(s []string, n int) []string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func strs(vs []Violation) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.String()
	}
	return out
}
