package model

import (
	"regexp"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"
)

// TestExplore runs every operation of the example site on every path from
// every start state and checks the invariants on each.
func TestExplore(t *testing.T) {
	p := planOf(t, "example")
	m := &Model{Site: NewSite(p)}
	e, err := NewExplorer(m)
	if err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	e.Explore(runtime.NumCPU())
	t.Logf("explored %d states, %d paths, %d runs, %d steps from %d starts in %s",
		len(e.Stats.States), e.Stats.Paths, e.Stats.Runs, e.Stats.Steps, len(e.Starts), time.Since(began).Round(time.Millisecond))
	examples := map[string]string{}
	for _, v := range e.Violations {
		op := v.Path
		if i := strings.Index(op, ":"); i > 0 {
			op = op[:i]
		}
		what := v.What
		if i := strings.Index(what, ":"); i > 0 {
			what = what[:i]
		}
		k := op + " | " + digits.ReplaceAllString(what, "N")
		if _, ok := examples[k]; !ok {
			examples[k] = v.String()
		}
	}
	for k, n := range summary(e.Violations) {
		t.Logf("%6d  %s\n        e.g. %s", n, k, examples[k])
	}
	seen := map[string]int{}
	var keys []string
	for _, v := range e.Violations {
		k := v.Path + " | " + v.What
		if seen[k] == 0 {
			keys = append(keys, v.String())
		}
		seen[k]++
	}
	sort.Strings(keys)
	for i, k := range keys {
		if i >= 20 {
			t.Errorf("... and %d more", len(keys)-i)
			break
		}
		t.Error(k)
	}
}

// summary groups violations by operation and kind of failure.
func summary(vs []Violation) map[string]int {
	out := map[string]int{}
	for _, v := range vs {
		op := v.Path
		if i := strings.Index(op, ":"); i > 0 {
			op = op[:i]
		}
		what := v.What
		if i := strings.Index(what, ":"); i > 0 {
			what = what[:i]
		}
		out[op+" | "+digits.ReplaceAllString(what, "N")]++
	}
	return out
}

var digits = regexp.MustCompile(`[0-9]+`)
