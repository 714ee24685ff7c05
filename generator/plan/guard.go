package plan

import (
	"fmt"
	"strings"
)

// Guard is what a .sql file acting for a step checks itself, rendered from
// the step's table: its opening batches skip the file when the step is
// already done and stop it when a requirement does not hold; its closing
// batch reads the ensures back. Predicates read on other instances, in
// the Management Shell or on a share cannot be read from the file; they
// are listed in its header and checked by the orchestrator.
type Guard struct {
	Refs      []string     // "step 7 of DR switchover (dr-switchover\30-dr-switchover.ps1)"
	Done      *CheckGroup  // every ensure, when all are local: all hold means done
	Unneeded  []CheckGroup // the groups of unneeded predicates that are all local
	Requires  []Check      // the local requirements
	ReadBack  []Check      // the local ensures, read after the body
	Elsewhere []string     // the predicates the orchestrator checks instead
}

// CheckGroup is predicates that hold together, and the sentence saying so.
type CheckGroup struct {
	Checks []Check
	Text   string
}

func group(checks []Check) CheckGroup {
	texts := make([]string, len(checks))
	for i, c := range checks {
		texts[i] = c.Text
	}
	return CheckGroup{Checks: checks, Text: strings.Join(texts, "; ")}
}

// Check is one predicate as a guard batch reads it.
type Check struct {
	Kind   string
	DB     string
	A1, A2 string
	Want   []string
	Text   string // the predicate as a sentence
	Hint   string // what to run when it does not hold
}

func guardFor(st *Step, t Target) *Guard {
	g := &Guard{}
	for _, r := range st.UsedBy {
		g.Refs = append(g.Refs, fmt.Sprintf("step %d of %s (%s)", r.N, r.Op.Title, winPath(r.Op.Script)))
	}
	local := func(ps []Pred, out *[]Check, what string) bool {
		all := true
		for _, p := range ps {
			if !p.LocalTo(t) {
				all = false
				if what != "" {
					g.Elsewhere = append(g.Elsewhere, what+p.Text())
				}
				continue
			}
			*out = append(*out, checkOf(st, p))
		}
		return all
	}
	var done []Check
	if local(st.Ensures, &done, "") && len(done) > 0 {
		d := group(done)
		g.Done = &d
	}
	for _, u := range st.Unneeded {
		var checks []Check
		if local(u, &checks, "") && len(checks) > 0 {
			g.Unneeded = append(g.Unneeded, group(checks))
		}
	}
	local(st.Requires, &g.Requires, "requires: ")
	local(st.Ensures, &g.ReadBack, "ensures: ")
	return g
}

func checkOf(st *Step, p Pred) Check {
	return Check{Kind: p.Kind, DB: p.DB, A1: p.Arg, A2: p.Arg2, Want: p.Want, Text: p.Text(), Hint: hintFor(st, p)}
}

// hintFor names what makes a requirement true: the earlier step of the
// first operation that runs this one, or the predicate's own fix.
func hintFor(st *Step, p Pred) string {
	for _, r := range st.UsedBy {
		if n := r.Op.ProducerOf(p, r.N); n > 0 {
			return fmt.Sprintf("Run step %d of %s first: %s", n, r.Op.Title, r.Op.Continue(n))
		}
	}
	if p.Fix != "" {
		return "First: " + fixText(p.Fix) + "."
	}
	return "See RUNBOOK.md."
}
