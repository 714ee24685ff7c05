package model

import (
	"fmt"
	"strings"

	"pchat-hadr/generator/plan"
)

// This file is the step engine of templates/ps/engine.ps1.tmpl, in Go, run
// on the model: the same order of checks (already done, not needed,
// requirements, the prompt, the action, the read-back), the same handling
// of switches, -FromStep, -WhatIf, declined prompts and points of no
// return. Keep the two in step: a change to one is a change to both.

// Run is one run of an orchestrator, and how its operator answers.
type Run struct {
	Op       *plan.Operation
	FromStep int
	Switches map[string]bool
	WhatIf   bool
	// DeclineAt declines the prompt of that step (0: answers yes). For a
	// point of no return it declines the second question.
	DeclineAt int
	// StopAfter ends the run after that step, as Ctrl-C or a lost session
	// would (0: runs to the end).
	StopAfter      int
	AcceptNoReturn bool
	// NoAssume makes -WhatIf forget what the steps it lists would make
	// true: the dry run as it was before the engine (a test's mutation).
	NoAssume bool
	// Between is called after every step that ran: the environment's turn
	// (chat writes, Agent jobs, a host failing).
	Between func(s *State, step int)
}

// Outcome kinds.
const (
	Completed   = "completed"
	Stopped     = "stopped"     // a requirement, an action or a read-back stopped it
	Declined    = "declined"    // the operator answered no
	Interrupted = "interrupted" // Ctrl-C, or the session ended
	Refused     = "refused"     // the pre-flight: nothing changed
)

// Result is what a run printed that matters: how it ended, at which step,
// and the commands it named.
type Result struct {
	Outcome  string
	Step     int
	Reason   string
	Continue string // the command that continues, as printed
	Fix      string // what to run first, when a requirement names it
	BackOut  string
	// Listed counts the steps a -WhatIf run listed, and WouldStop is the
	// step it says a real run would stop at (-1: the pre-flight; 0: none).
	Listed    int
	WouldStop int
	// Outage says the run printed that no server is active and the command
	// that ends it.
	Outage bool
}

// Exec runs r on s.
func (m *Model) Exec(s *State, r Run) Result {
	res := m.exec(s, r)
	// The engine's Add-RunArguments: a command that runs this script again
	// carries the switches and -Database of this run.
	if args := runArguments(r); args != "" {
		cmd := r.Op.Command()
		res.Continue = strings.Replace(res.Continue, cmd, cmd+args, 1)
		res.Fix = strings.Replace(res.Fix, cmd, cmd+args, 1)
	}
	if res.Outcome != Completed && !r.WhatIf && m.Live(s, plan.Pred{Kind: plan.KActive}) == "" {
		// The engine's top-level handler reads the active list after any
		// stop and says that chat is down until the command above runs.
		res.Outage = res.Continue != "" || res.Fix != ""
	}
	return res
}

func (m *Model) exec(s *State, r Run) Result {
	// Under -WhatIf, what the listed steps would make true, and the files
	// they would write again (what a predicate on one reads is unknown).
	// Assumed values are kept per subject (Pred.Subject): a later
	// predicate on the same subject holds when it wants one of them.
	assumed, changed := map[string][]string{}, map[string]bool{}
	isAssumed := func(p plan.Pred) bool {
		_, ok := assumed[p.Subject()]
		return r.WhatIf && !r.NoAssume && ok
	}
	unknown := func(p plan.Pred) bool { return r.WhatIf && !r.NoAssume && changed[p.File()] && !isAssumed(p) }
	holds := func(p plan.Pred) bool {
		if isAssumed(p) {
			for _, w := range assumed[p.Subject()] {
				if want(w, p.Want) {
					return true
				}
			}
			return false
		}
		if unknown(p) {
			return false
		}
		return want(m.Live(s, p), p.Want)
	}
	waived := func(p plan.Pred) bool {
		if p.Unless == "" || !r.Switches[p.Unless] || !r.Op.HasSwitch(p.Unless) {
			return false
		}
		if r.WhatIf {
			return true
		}
		for _, sw := range r.Op.Switches {
			if sw.Name == p.Unless && sw.DataLoss {
				s.LossAccepted = true
			}
		}
		return true
	}
	res := Result{Outcome: Completed}
	for _, p := range r.Op.Preflight {
		if r.Op.Databases != nil && p.DB != "" && !m.selected(r, p.DB) {
			continue
		}
		if p.When != "" && m.Live(s, plan.Pred{Kind: plan.KPoolState}) != p.When {
			continue
		}
		if want(m.Live(s, p), p.Want) || waived(p) {
			continue
		}
		if r.WhatIf {
			res.WouldStop = -1
			continue
		}
		return Result{Outcome: Refused, Reason: "requires " + p.Text() + "; found " + m.Live(s, p), Fix: plan.FixText(p.Fix)}
	}
	from := r.FromStep
	if from < 1 {
		from = 1
	}
	for i, st := range r.Op.Steps {
		n := i + 1
		if n < from {
			continue
		}
		res.Listed++
		if r.Op.Databases != nil && st.Action.DB != "" && !m.selected(r, st.Action.DB) {
			continue
		}
		if len(st.Ensures) > 0 && all(st.Ensures, holds) {
			continue
		}
		if unneeded(st, holds) {
			continue
		}
		cont := r.Op.Continue(n)
		for _, p := range st.Requires {
			if holds(p) || waived(p) {
				continue
			}
			if r.WhatIf {
				if res.WouldStop == 0 && !unknown(p) {
					res.WouldStop, res.Reason = n, "requires "+p.Text()+"; found "+m.Live(s, p)
				}
				continue
			}
			fix := ""
			if k := r.Op.ProducerOf(p, n); k > 0 {
				// The engine's Assert-Requirement: resuming at a step that
				// is not needed now would do nothing, so the predicate's own
				// fix is printed (none: the operator makes it true by hand).
				fix = r.Op.Continue(k)
				if unneeded(r.Op.Steps[k-1], holds) {
					fix = plan.FixText(p.Fix)
				}
			} else if p.Fix != "" {
				fix = plan.FixText(p.Fix)
			}
			return stop(Stopped, n, st, "requires "+p.Text()+"; found "+m.Live(s, p), cont, fix)
		}
		if r.WhatIf {
			for _, e := range st.Ensures {
				assumed[e.Subject()] = e.Want
				if e.Writes() {
					changed[e.File()] = true
				}
			}
			continue
		}
		if r.DeclineAt == n {
			return stop(Declined, n, st, "declined", cont, "")
		}
		for _, sw := range r.Op.Switches {
			// An operation chosen by a data-loss switch (forced service)
			// says so in its prompt before it acts.
			if sw.DataLoss && r.Op.Select[sw.Name] == "true" {
				s.LossAccepted = true
			}
		}
		if err := m.act(s, st, r); err != nil && !allWaived(st, r, waived) {
			return stop(Stopped, n, st, "failed: "+err.Error(), cont, "")
		}
		for _, e := range st.Ensures {
			if !want(m.Live(s, e), e.Want) && !waived(e) {
				return stop(Stopped, n, st, "it did not make this true: "+e.Text()+"; found "+m.Live(s, e), cont, "")
			}
		}
		if r.Between != nil {
			r.Between(s, n)
		}
		if r.StopAfter == n {
			res = Result{Outcome: Interrupted, Step: n, Continue: r.Op.Continue(n + 1)}
			if n == len(r.Op.Steps) {
				res = Result{Outcome: Completed}
			}
			return res
		}
	}
	if r.WhatIf {
		return res
	}
	for _, p := range r.Op.Ends {
		if r.Op.Databases != nil && p.DB != "" && !m.selected(r, p.DB) {
			continue
		}
		if !want(m.Live(s, p), p.Want) && !waived(p) {
			return Result{Outcome: Stopped, Step: len(r.Op.Steps), Reason: "every step ran, but not " + p.Text(), Continue: r.Op.Continue(1)}
		}
	}
	return res
}

func stop(kind string, n int, st *plan.Step, reason, cont, fix string) Result {
	return Result{Outcome: kind, Step: n, Reason: reason, Continue: cont, Fix: fix, BackOut: st.BackOut}
}

func (m *Model) selected(r Run, db string) bool {
	sel, ok := r.Switches["db:"+db]
	return !ok || sel
}

func want(live string, w []string) bool {
	for _, x := range w {
		if strings.EqualFold(live, x) {
			return true
		}
	}
	return false
}

func all(ps []plan.Pred, holds func(plan.Pred) bool) bool {
	for _, p := range ps {
		if !holds(p) {
			return false
		}
	}
	return true
}

func unneeded(st *plan.Step, holds func(plan.Pred) bool) bool {
	for _, g := range st.Unneeded {
		if all(g, holds) {
			return true
		}
	}
	return false
}

// allWaived is the engine's Test-Waived: every ensure waived by a switch
// given, so a failed action is a warning.
func allWaived(st *plan.Step, r Run, waived func(plan.Pred) bool) bool {
	if len(st.Ensures) == 0 {
		return false
	}
	for _, p := range st.Ensures {
		if !(p.Unless != "" && r.Switches[p.Unless] && waived(p)) {
			return false
		}
	}
	return true
}

// act runs a step's action on the model: the .sql file's body on its
// instance (an instance that does not answer fails sqlcmd), or the cmdlet.
func (m *Model) act(s *State, st *plan.Step, r Run) error {
	a := st.Action
	switch a.Kind {
	case plan.ActionSQL:
		f := a.Files[0]
		i := m.Site.idx(f.Target)
		if err := s.up(i); err != nil {
			return err
		}
		body, ok := m.Bodies[a.Op]
		if !ok {
			body, ok = ops[a.Op]
		}
		if !ok {
			panic("model: no body for op " + a.Op)
		}
		return body(&opCtx{m: m, s: s, st: st, i: i, data: m.fileData(f.Path)})
	case plan.ActionPoolState:
		return s.SetPoolState(a.Value == "FailedOver")
	case plan.ActionActive:
		return s.SetActive(a.Servers)
	case plan.ActionMirror:
		if w := m.InstallMirror(s, a.DB, m.Site.idx(*a.Principal), a.Folder); len(w) > 0 && !m.IgnoreWarnings {
			return fmt.Errorf("Install-CsMirrorDatabase warned: %s", strings.Join(w, "; "))
		}
		return nil
	case plan.ActionCsFailover:
		return m.DatabaseFailover(s, a.DB, a.Value, r.Switches["Force"] && r.Op.HasSwitch("Force"))
	case plan.ActionArchive:
		return m.archive(s, st)
	case plan.ActionMakeFolder:
		if !s.reachable(a.Folder + `\x`) {
			return fmt.Errorf("%s does not answer", a.Folder)
		}
		s.Folders[a.Folder] = true
		return nil
	}
	panic("model: no action for kind " + a.Kind)
}

func (m *Model) fileData(path string) plan.Data {
	for _, f := range m.Site.Plan.Files {
		if f.Path == path {
			return f.Data
		}
	}
	panic("model: no planned file " + path)
}

// archive is Move-OldChain: the old chain's files leave both folders.
func (m *Model) archive(s *State, st *plan.Step) error {
	a := st.Action
	i := m.Site.idx(*a.Principal)
	if !s.Inst[i].Up || !s.reachable(m.Site.LSFolder+`\x`) {
		return fmt.Errorf("the share or %s does not answer", a.Principal.Server)
	}
	cut, found := 0, false
	for _, b := range s.Inst[i].Backups {
		if b.DB == a.DB && b.Kind == "L" && b.Path == a.Pattern {
			cut, found = b.Time, true
		}
	}
	if !found {
		return fmt.Errorf("the failback tail-log backup is not in the msdb of %s", a.Principal.Server)
	}
	s.Folders[a.To] = true
	for _, p := range m.oldFiles(s, a.DB, cut) {
		s.Files[a.To+`\`+p[strings.LastIndexByte(p, '\\')+1:]] = s.Files[p]
		delete(s.Files, p)
	}
	return nil
}

// runArguments are the switches (those that do not select the table) and
// the -Database of a run, as the orchestrator appends them.
func runArguments(r Run) string {
	out := ""
	for _, sw := range r.Op.Switches {
		if _, sel := r.Op.Select[sw.Name]; r.Switches[sw.Name] && !sel {
			out += " -" + sw.Name
		}
	}
	var dbs []string
	for _, d := range r.Op.Databases {
		if sel, ok := r.Switches["db:"+d]; ok && sel {
			dbs = append(dbs, d)
		}
	}
	if len(dbs) > 0 && len(dbs) < len(r.Op.Databases) {
		out += " -Database " + strings.Join(dbs, ",")
	}
	return out
}
