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
	// NoReturn: the step is a point of no return, which the orchestrator
	// asks about twice; the file says so before anything else.
	NoReturn bool
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
	g := &Guard{NoReturn: st.NoReturn}
	for _, r := range st.UsedBy {
		g.Refs = append(g.Refs, fmt.Sprintf("step %d of %s (%s)", r.N, r.Op.Title, winPath(r.Op.Script)))
	}
	// A predicate a switch can waive is the orchestrator's: the file
	// cannot see the switch, and would refuse what it allows.
	elsewhere := func(p Pred) bool { return !p.LocalTo(t) || p.Unless != "" }
	local := func(ps []Pred, out *[]Check, what string) bool {
		all := true
		for _, p := range ps {
			if elsewhere(p) {
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
	// The local ensures are both the "already done" test and the read-back
	// (one slice, which the templates only read); the ones read elsewhere
	// are listed after the requirements read elsewhere.
	var ensures []Check
	if local(st.Ensures, &ensures, "") && len(ensures) > 0 {
		d := group(ensures)
		g.Done = &d
	}
	for _, u := range st.Unneeded {
		var checks []Check
		if local(u, &checks, "") && len(checks) > 0 {
			g.Unneeded = append(g.Unneeded, group(checks))
		}
	}
	local(st.Requires, &g.Requires, "requires: ")
	for _, p := range st.Ensures {
		if elsewhere(p) {
			g.Elsewhere = append(g.Elsewhere, "ensures: "+p.Text())
		}
	}
	g.ReadBack = ensures
	return g
}

func checkOf(st *Step, p Pred) Check {
	return Check{Kind: p.Kind, DB: p.DB, A1: p.Arg, A2: p.Arg2, Want: p.Want, Text: p.Text(), Hint: hintFor(st, p)}
}

// hintFor names what makes a requirement true in each operation that
// runs the step: the earlier step that ensures it, or else the
// predicate's own fix. A step shared by operations names each, since the
// operator running one must not be sent into the middle of another.
func hintFor(st *Step, p Pred) string {
	var hints, ops, alone []string
	add := func(op, h, single string) {
		for _, x := range hints {
			if x == h {
				return
			}
		}
		hints, ops, alone = append(hints, h), append(ops, op), append(alone, single)
	}
	for _, r := range st.UsedBy {
		if n := r.Op.ProducerOf(p, r.N); n > 0 {
			h := fmt.Sprintf("first: %s", r.Op.Continue(n))
			add(r.Op.Title, h, fmt.Sprintf("run step %d of %s first: %s", n, r.Op.Title, r.Op.Continue(n)))
		} else if p.Fix != "" {
			h := "first: " + FixText(p.Fix)
			add(r.Op.Title, h, h)
		}
	}
	switch len(hints) {
	case 0:
		return "See RUNBOOK.md."
	case 1:
		return upperFirst(alone[0]) + "."
	}
	parts := make([]string, len(hints))
	for i, h := range hints {
		parts[i] = "during " + ops[i] + ", " + h
	}
	return upperFirst(strings.Join(parts, "; ")) + "."
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
