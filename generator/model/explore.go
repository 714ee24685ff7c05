package model

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"pchat-hadr/generator/plan"
)

// Violation is a path on which an invariant does not hold.
type Violation struct {
	Start, Path, What string
}

func (v Violation) String() string { return fmt.Sprintf("%s; %s: %s", v.Start, v.Path, v.What) }

// Stats counts what the exploration visited.
type Stats struct {
	States map[uint64]struct{}
	Paths  int
	Runs   int
	Steps  int
}

// Explorer runs every operation on every path from every start.
type Explorer struct {
	M          *Model
	Starts     []Start
	Ops        []*plan.Operation
	Violations []Violation
	Stats      Stats
	// MaxViolations stops recording after that many (0: no limit).
	MaxViolations int
}

// NewExplorer prepares an exploration of a model's plan.
func NewExplorer(m *Model) (*Explorer, error) {
	starts, err := m.Starts()
	if err != nil {
		return nil, err
	}
	return &Explorer{M: m, Starts: starts, Ops: m.Site.Plan.Operations, Stats: Stats{States: map[uint64]struct{}{}}}, nil
}

// path is one path of one operation from one start: the first run's
// answers, then what the operator does after it stops.
type path struct {
	desc   string
	first  Run
	resume func(n int, res Result) (Run, bool) // the second run, if any, from the first's result
	quiet  bool
}

// Paths lists the paths of an operation with n steps: run to the end;
// stop after any step, then run again from step 1, resume from the next
// step, or resume from any -FromStep; decline any prompt, then follow the
// printed command; run it twice.
func paths(o *plan.Operation) []path {
	n := len(o.Steps)
	out := []path{
		{desc: "run to the end", first: Run{Op: o}},
		{desc: "run to the end, nobody writing", first: Run{Op: o}, quiet: true},
		{desc: "run twice", first: Run{Op: o}, resume: func(int, Result) (Run, bool) { return Run{Op: o}, true }},
	}
	for k := 1; k <= n; k++ {
		k := k
		out = append(out,
			path{desc: fmt.Sprintf("stopped after step %d, run again from step 1", k), first: Run{Op: o, StopAfter: k},
				resume: func(int, Result) (Run, bool) { return Run{Op: o}, true }},
			path{desc: fmt.Sprintf("declined at step %d, then the printed command", k), first: Run{Op: o, DeclineAt: k}},
		)
		for j := 1; j <= n; j++ {
			j := j
			out = append(out, path{desc: fmt.Sprintf("stopped after step %d, resumed with -FromStep %d", k, j), first: Run{Op: o, StopAfter: k},
				resume: func(int, Result) (Run, bool) { return Run{Op: o, FromStep: j}, true }})
		}
	}
	return out
}

// Explore runs everything and records violations and counts, the starts
// shared out among workers (each path clones its start, so they share
// nothing but the history, which grows under a lock).
func (e *Explorer) Explore(workers int) {
	if workers < 1 {
		workers = 1
	}
	// One job per start and operation: the operations differ a lot in
	// length, so whole starts would leave a worker idle at the end.
	type job struct {
		st Start
		o  *plan.Operation
	}
	jobs := make(chan job)
	parts := make([]*Explorer, workers)
	var wg sync.WaitGroup
	for w := range parts {
		part := &Explorer{M: e.M, Ops: e.Ops, Stats: Stats{States: map[uint64]struct{}{}}, MaxViolations: e.MaxViolations}
		parts[w] = part
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				part.whatIf(j.st, j.o)
				for _, p := range paths(j.o) {
					part.walk(j.st, j.o, p)
				}
			}
		}()
	}
	for _, st := range e.Starts {
		for _, o := range e.Ops {
			jobs <- job{st, o}
		}
	}
	close(jobs)
	wg.Wait()
	for _, part := range parts {
		e.Violations = append(e.Violations, part.Violations...)
		for h := range part.Stats.States {
			e.Stats.States[h] = struct{}{}
		}
		e.Stats.Paths += part.Stats.Paths
		e.Stats.Runs += part.Stats.Runs
		e.Stats.Steps += part.Stats.Steps
	}
}

func (e *Explorer) violate(st Start, desc, format string, args ...any) {
	if e.MaxViolations > 0 && len(e.Violations) >= e.MaxViolations {
		return
	}
	e.Violations = append(e.Violations, Violation{Start: st.Name, Path: desc, What: fmt.Sprintf(format, args...)})
}

func (e *Explorer) seen(s *State) { e.Stats.States[s.Hash()] = struct{}{} }

// whatIf: -WhatIf completes for every operation, lists every step and
// changes nothing.
func (e *Explorer) whatIf(st Start, o *plan.Operation) {
	s := st.State.Clone()
	before := s.Hash()
	res := e.M.Exec(s, Run{Op: o, WhatIf: true})
	e.Stats.Paths++
	e.Stats.Runs++
	desc := o.Name + " -WhatIf"
	switch {
	case res.Outcome != Completed:
		e.violate(st, desc, "-WhatIf did not complete: %s at step %d: %s", res.Outcome, res.Step, res.Reason)
	case res.Listed != len(o.Steps):
		e.violate(st, desc, "-WhatIf listed %d of %d steps", res.Listed, len(o.Steps))
	case s.Hash() != before:
		e.violate(st, desc, "-WhatIf changed the state")
	case res.WouldStop != 0:
		// The dry run must not cry wolf: if a real run from here completes,
		// -WhatIf has to say so.
		real := st.State.Clone()
		if r := e.M.Exec(real, Run{Op: o}); r.Outcome == Completed {
			e.violate(st, desc, "-WhatIf says a run would stop at step %d, but a run completes (%s)", res.WouldStop, res.Reason)
		}
	}
}

func (e *Explorer) walk(st Start, o *plan.Operation, p path) {
	s := st.State.Clone()
	desc := o.Name + ": " + p.desc
	e.Stats.Paths++
	between := func(s *State, step int) {
		e.Stats.Steps++
		if !p.quiet {
			e.M.Busy(s)
		} else {
			e.M.Quiet(s)
		}
		e.seen(s)
		e.checkSafety(st, s, desc, step)
	}
	run := p.first
	run.Between = between
	var acted map[int]bool
	res := e.M.Exec(s, run)
	e.Stats.Runs++
	if p.resume != nil && (res.Outcome == Completed && p.desc == "run twice" || res.Outcome == Interrupted) {
		next, ok := p.resume(0, res)
		if ok {
			acted = map[int]bool{}
			next.Between = func(s *State, step int) { acted[step] = true; between(s, step) }
			res = e.M.Exec(s, next)
			e.Stats.Runs++
			if p.desc == "run twice" && res.Outcome == Completed {
				for n := range acted {
					if len(o.Steps[n-1].Ensures) > 0 {
						e.violate(st, desc, "the second run acted again at step %d (%s)", n, o.Steps[n-1].Title)
					}
				}
			}
		}
	}
	res = e.follow(st, s, o, res, between, desc)
	if res.Outcome == Completed {
		e.checkEnd(st, s, desc)
	}
}

// follow does what each stop's message says until the operation
// completes: the command it names (after repairing what did not answer,
// as "fix the cause" asks), then the operation again from where it
// stopped.
func (e *Explorer) follow(st Start, s *State, o *plan.Operation, res Result, between func(*State, int), desc string) Result {
	refused := map[string]bool{}
	for tries := 0; tries < 16; tries++ {
		switch res.Outcome {
		case Completed:
			return res
		case Refused:
			if refused[res.Reason] {
				// The command a refusal named ran to its end, and the
				// operation still does not apply: it was advice to run that
				// instead, and nothing was changed by this one.
				return res
			}
			refused[res.Reason] = true
			if res.Fix == "" || !strings.Contains(res.Fix, ".ps1") {
				// The operation does not apply to this state, and said so
				// before changing anything.
				if !e.M.manualFix(s, res.Fix) {
					return res
				}
				break
			}
			fallthrough
		case Stopped, Declined, Interrupted:
			if res.Continue == "" && res.Fix == "" {
				e.violate(st, desc, "the run stopped at step %d without naming a command (%s)", res.Step, res.Reason)
				return res
			}
			if res.Outcome != Completed && e.M.Live(s, plan.Pred{Kind: plan.KActive}) == "" && !res.Outage && res.Outcome != Refused && res.Outcome != Interrupted {
				e.violate(st, desc, "no server is active after the stop at step %d, and the run did not say so", res.Step)
			}
		}
		if res.Outcome == Stopped || res.Outcome == Refused {
			e.M.repair(s)
		}
		cmd := res.Continue
		if res.Fix != "" {
			fo, from, sw := e.M.command(res.Fix)
			switch {
			case fo == nil:
				if !e.M.manualFix(s, res.Fix) {
					return res
				}
			case fo == o:
				cmd = res.Fix
			default:
				r := e.M.Exec(s, Run{Op: fo, FromStep: from, Switches: sw, Between: between})
				e.Stats.Runs++
				if r = e.follow(st, s, fo, r, between, desc+" > "+fo.Name); r.Outcome != Completed {
					return r
				}
			}
		}
		next, from, sw := e.M.command(cmd)
		if next == nil {
			next, from = o, 1
		}
		res = e.M.Exec(s, Run{Op: next, FromStep: from, Switches: sw, Between: between})
		e.Stats.Runs++
	}
	if res.Outcome != Completed {
		e.violate(st, desc, "following the printed commands did not complete: %s at step %d: %s (continue %q, fix %q)", res.Outcome, res.Step, res.Reason, res.Continue, res.Fix)
	}
	return res
}

// checkSafety: after every step, no two copies the pool reaches accept
// writes, and no acknowledged write is gone from every copy and backup
// (unless a data-loss switch was given and the script said so).
func (e *Explorer) checkSafety(st Start, s *State, desc string, step int) {
	if e.M.SplitBrain(s) {
		e.violate(st, desc, "after step %d two copies of mgc the pool reaches accept writes", step)
	}
	if s.LossAccepted {
		return
	}
	for _, w := range e.M.Lost(s) {
		if !s.Stranded[w] {
			e.violate(st, desc, "after step %d an acknowledged chat write (%d) is in no copy and no backup", step, w)
			return
		}
	}
}

// checkEnd: once an operation completed, the copy that serves holds every
// acknowledged write that was not stranded in a failed data center.
func (e *Explorer) checkEnd(st Start, s *State, desc string) {
	if s.LossAccepted || !e.M.anyServing(s) {
		// No copy serves: an outage, which Lost covers, not a loss.
		return
	}
	for _, w := range e.M.MissingFromServing(s) {
		if !s.Stranded[w] {
			e.violate(st, desc, "at the end the copy that serves lacks acknowledged write %d", w)
			return
		}
	}
}

var flagRE = regexp.MustCompile(`-(\w+)(?: (\w+))?`)

// command parses a printed command (".\dir\script.ps1 -FromStep 3 ...")
// into the operation it runs, its -FromStep and its switches.
func (m *Model) command(text string) (*plan.Operation, int, map[string]bool) {
	i := strings.Index(text, `.\`)
	if i < 0 {
		return nil, 0, nil
	}
	fields := strings.Fields(text[i:])
	script := strings.ReplaceAll(strings.TrimPrefix(fields[0], `.\`), `\`, "/")
	script = strings.TrimRight(script, ".,;")
	params := map[string]string{}
	sw := map[string]bool{}
	from := 1
	for _, mt := range flagRE.FindAllStringSubmatch(strings.Join(fields[1:], " "), -1) {
		switch {
		case mt[1] == "FromStep":
			from, _ = strconv.Atoi(mt[2])
		case mt[2] != "" && mt[2][0] >= 'A' && mt[2][0] <= 'Z':
			params[mt[1]] = mt[2]
		default:
			sw[mt[1]] = true
			if mt[2] != "" {
				break
			}
		}
	}
	// -Database a,b selects databases: db:<name> is whether a run does it.
	for k, f := range fields {
		if f == "-Database" && k+1 < len(fields) {
			for _, d := range strings.Split(strings.TrimRight(fields[k+1], ".,;)"), ",") {
				sw["db:"+d] = true
			}
		}
	}
	for _, o := range m.Site.Plan.Operations {
		if o.Script != script {
			continue
		}
		if o.Databases != nil && hasDBSelection(sw) {
			// The databases -Database does not name are present and
			// false, so that the run skips them (Model.selected).
			for _, d := range o.Databases {
				if _, named := sw["db:"+d]; !named {
					sw["db:"+d] = false
				}
			}
		}
		ok := true
		for k, v := range o.Select {
			switch v {
			case "true":
				ok = ok && sw[k]
			case "false":
				ok = ok && !sw[k]
			default:
				ok = ok && params[k] == v
			}
		}
		if ok {
			return o, from, sw
		}
	}
	return nil, 0, nil
}

// repair is "fix the cause" before the operator runs the printed command:
// what does not answer answers again (a data center that came back
// returns with whatever it held), and the Central Management store is
// failed over.
func (m *Model) repair(s *State) {
	for i, in := range s.Inst {
		if !in.Up {
			in.Up = true
			_ = i
		}
	}
	for h := range s.ShareUp {
		s.ShareUp[h] = true
	}
	s.DCDown = map[string]bool{}
	s.Pool.CMS = true
	m.Resync(s)
}

// manualFix applies the fixes that are not scripts of the plan, where the
// model knows what the operator does: the Central Management store
// failed over. It reports whether it knew one.
func (m *Model) manualFix(s *State, fix string) bool {
	if strings.Contains(fix, "Central Management store") && !s.Pool.CMS {
		s.Pool.CMS = true
		return true
	}
	if strings.HasPrefix(fix, "bring the ") {
		// An instance that does not answer: the operator brings it back.
		m.repair(s)
		return true
	}
	return false
}

// hasDBSelection says whether a parsed command named databases.
func hasDBSelection(sw map[string]bool) bool {
	for k := range sw {
		if strings.HasPrefix(k, "db:") {
			return true
		}
	}
	return false
}
