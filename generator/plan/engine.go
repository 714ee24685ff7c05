package plan

import (
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"
)

// Engine is the data of an orchestrator: the step tables of the
// operations it runs (one, or one per variant selected by parameters),
// rendered into the PowerShell step engine's tables.
type Engine struct {
	Script   string // path in the site folder
	Title    string
	Tables   []Table
	Params   []Param  // variant selectors, e.g. -NewPrincipal Mirror|Primary
	Switches []Switch // every switch of every table
	// Databases, when set, is the -Database parameter: the steps of a
	// database not named are not run.
	Databases []string
	Kinds     []string // the scalar predicate kinds the tables read
	NoReturn  bool     // some step is a point of no return
	Pool      bool     // reads or changes the pool state or active servers
	Max       int      // the highest step number, for -FromStep
	Files     []string // every .sql file the tables run, relative to the script
}

// Param is a parameter that selects a table.
type Param struct {
	Name    string
	Values  []string
	Default string
	Help    string
}

// Table is one operation's step table as the engine runs it.
type Table struct {
	Name      string
	Title     string
	Command   string            // how the orchestrator runs this table, as stop messages print it
	When      map[string]string // parameter values that select it
	Preflight []EPred
	Steps     []EStep
	Ends      []EPred
	Notes     []string
}

// EStep is one step of a table.
type EStep struct {
	N        int
	Title    string
	Where    string
	DB       string // the database of a per-database step, for -Database
	Requires []EPred
	Unneeded [][]EPred
	Ensures  []EPred
	Action   EAction
	NoReturn bool
	Leaves   string
	Continue string
	BackOut  string
	// Outage is said after a step that leaves no server active: which step
	// ends the outage.
	Outage string
}

// EAction is a step's action with its paths as the script sees them.
type EAction struct {
	Action
	File      string // the .sql file, relative to the script, with backslashes
	Server    string // the instance the file runs on
	Principal string // Install-CsMirrorDatabase: -SqlServerFqdn
	Instance  string // and -SqlInstanceName
}

// EPred is a predicate as the engine reads it.
type EPred struct {
	Key    string
	Kind   string
	Server string
	DB     string
	A1, A2 string
	Want   []string
	Unless string
	When   string // the pool state in which it applies (Pred.When)
	// Only is the database of an end state of an operation with a
	// -Database parameter: a run for other databases does not check it.
	Only string
	Text string
	Fix  string // the command that makes it true, for the stop message
	// FixStep is the step Fix resumes at, when that step can be "not
	// needed" (the pool state a later step set, for instance): then
	// resuming there does nothing and stops here again, so the engine
	// prints Alt, the predicate's own fix, when one of the step's
	// unneeded groups holds at the stop.
	FixStep int
	Alt     string
	// File is the backup file the predicate reads, and Writes whether a
	// step that ensures it writes that file (see Pred.File).
	File   string
	Writes bool
	// Subject is what it reads (Pred.Subject): a dry run assumes values
	// per subject.
	Subject string
}

// engine builds the data of one orchestrator from the operations it runs.
func (b *builder) engine(script string, ops []*Operation) *Engine {
	e := &Engine{Script: script, Title: ops[0].Title}
	kinds := map[string]bool{}
	files := map[string]bool{}
	pred := func(o *Operation, n int, p Pred) EPred {
		if p.IsScalar() {
			kinds[p.Kind] = true
		}
		if p.Kind == KPoolState || p.Kind == KActive || p.When != "" {
			e.Pool = true
		}
		ep := EPred{Key: p.Key(), Kind: p.Kind, DB: p.DB, A1: p.Arg, A2: p.Arg2, Want: p.Want, Unless: p.Unless, When: p.When, Text: p.Text(), File: p.File(), Writes: p.Writes(), Subject: p.Subject()}
		if p.On != nil {
			ep.Server = p.On.Server
		}
		switch m := o.ProducerOf(p, n); {
		case m > 0:
			ep.Fix = o.Continue(m)
			if n <= len(o.Steps) && len(o.Steps[m-1].Unneeded) > 0 {
				ep.FixStep, ep.Alt = m, FixText(p.Fix)
				if ep.Alt == "" {
					ep.Alt = fmt.Sprintf("step %d, which makes it true, does not run in this state (its 'not needed' holds): make it true by hand", m)
				}
			}
		case p.Fix != "":
			ep.Fix = FixText(p.Fix)
		}
		return ep
	}
	preds := func(o *Operation, n int, ps []Pred) []EPred {
		out := make([]EPred, 0, len(ps))
		for _, p := range ps {
			out = append(out, pred(o, n, p))
		}
		return out
	}
	dir := path.Dir(script)
	for _, o := range ops {
		t := Table{Name: o.Name, Title: o.Title, Command: o.Command(), When: o.Select, Preflight: preds(o, 1, o.Preflight), Ends: preds(o, len(o.Steps)+1, o.Ends), Notes: o.Notes}
		if len(o.Databases) > 0 {
			for i := range t.Ends {
				t.Ends[i].Only = t.Ends[i].DB
			}
			for i := range t.Preflight {
				t.Preflight[i].Only = t.Preflight[i].DB
			}
		}
		for i, st := range o.Steps {
			n := i + 1
			es := EStep{N: n, Title: st.Title, Where: st.Where.Text(), NoReturn: st.NoReturn, Outage: outage(o, n),
				Leaves: o.resolveSteps(st.Leaves), Continue: o.Continue(n),
				Requires: preds(o, n, st.Requires), Ensures: preds(o, n, st.Ensures),
				Action: EAction{Action: st.Action}}
			for _, g := range st.Unneeded {
				es.Unneeded = append(es.Unneeded, preds(o, n, g))
			}
			if st.BackOut != "" {
				es.BackOut = FixText(st.BackOut)
			}
			if st.Action.Kind == ActionSQL {
				f := st.Action.Files[0]
				es.Action.File, es.Action.Server = winPath(rel(dir, f.Path)), f.Target.Server
				files[es.Action.File] = true
			}
			if p := st.Action.Principal; p != nil && st.Action.Kind == ActionMirror {
				es.Action.Principal = p.FQDN
				if p.Instance != "MSSQLSERVER" {
					es.Action.Instance = p.Instance
				}
			}
			if len(o.Databases) > 0 {
				es.DB = st.Action.DB
			}
			switch st.Action.Kind {
			case ActionPoolState, ActionActive, ActionCsFailover:
				e.Pool = true
			case ActionArchive:
				es.Action.Server = st.Action.Principal.Server
			}
			e.NoReturn = e.NoReturn || st.NoReturn
			t.Steps = append(t.Steps, es)
			if n > e.Max {
				e.Max = n
			}
		}
		e.Tables = append(e.Tables, t)
		for _, sw := range o.Switches {
			if !hasSwitch(e.Switches, sw.Name) {
				e.Switches = append(e.Switches, sw)
			}
		}
		e.Params = mergeParams(e.Params, o.Params)
		if len(o.Databases) > 0 {
			e.Databases = o.Databases
		}
	}
	e.Kinds = sortedKeys(kinds)
	e.Files = sortedKeys(files)
	return e
}

func hasSwitch(list []Switch, name string) bool {
	for _, s := range list {
		if s.Name == name {
			return true
		}
	}
	return false
}

func mergeParams(have, more []Param) []Param {
	for _, p := range more {
		found := false
		for _, h := range have {
			found = found || h.Name == p.Name
		}
		if !found {
			have = append(have, p)
		}
	}
	return have
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Describe lists the wanted values of a predicate for the step tables.
func (p EPred) Describe() string { return strings.Join(p.Want, " or ") }

// FixText is a predicate's Fix as the orchestrators print it: every
// script path in it (dir/NN-name.ps1, after the start, a space, "(" or
// ":") as the command typed in the site folder, anything else (a Topology
// Builder action, a cmdlet) as written. A scan for ".ps1" rather than a
// regular expression: plan.Build calls it for every predicate of every
// step, and the expression was 8% of a run's CPU. TestFixTextMatchesPattern
// holds it to the expression it replaced.
func FixText(fix string) string {
	var b strings.Builder
	done := 0 // fix[:done] is in b, or nothing was changed yet
	for at := 0; ; {
		k := strings.Index(fix[at:], ".ps1")
		if k < 0 {
			break
		}
		k += at
		at = k + 4
		if start, slash, ok := scriptPathBefore(fix, k); ok {
			if done == 0 && b.Len() == 0 {
				b.Grow(len(fix) + 8)
			}
			b.WriteString(fix[done:start])
			b.WriteString(`.\`)
			b.WriteString(fix[start:slash])
			b.WriteByte('\\')
			b.WriteString(fix[slash+1 : at])
			done = at
		}
	}
	if b.Len() == 0 {
		return fix
	}
	b.WriteString(fix[done:])
	return b.String()
}

// scriptPathBefore reports whether fix[start:k+4] is a script path that
// ends at the ".ps1" found at k: [a-z0-9-]+ "/" [0-9]{2} "-" [a-z0-9-]+,
// preceded by the start of the text or a separator and followed by its
// end or a character that is not a letter, digit or "_".
func scriptPathBefore(fix string, k int) (start, slash int, ok bool) {
	if end := k + 4; end < len(fix) && isWordByte(fix[end]) {
		return 0, 0, false
	}
	i := k
	for i > 0 && isNameByte(fix[i-1]) {
		i--
	}
	name := fix[i:k]
	if len(name) < 4 || !isDigit(name[0]) || !isDigit(name[1]) || name[2] != '-' || i == 0 || fix[i-1] != '/' {
		return 0, 0, false
	}
	slash = i - 1
	start = slash
	for start > 0 && isNameByte(fix[start-1]) {
		start--
	}
	if start == slash {
		return 0, 0, false
	}
	if start > 0 {
		switch fix[start-1] {
		case ' ', '\t', '\n', '\f', '\r', '(', ':':
		default:
			return 0, 0, false
		}
	}
	return start, slash, true
}

func isDigit(c byte) bool    { return '0' <= c && c <= '9' }
func isNameByte(c byte) bool { return 'a' <= c && c <= 'z' || isDigit(c) || c == '-' }
func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || isDigit(c) || c == '_'
}

// outage is what the engine says after step n when it clears the active
// list: the step that activates servers again, if the operation has one.
func outage(o *Operation, n int) string {
	st := o.Steps[n-1]
	if st.Action.Kind != ActionActive || len(st.Action.Servers) > 0 {
		return ""
	}
	for i := n; i < len(o.Steps); i++ {
		if a := o.Steps[i].Action; a.Kind == ActionActive && len(a.Servers) > 0 {
			return fmt.Sprintf("No Persistent Chat server is active: chat is down until step %d (%s). If this run stops, its message names the command that continues; %s", i+1, o.Steps[i].Title, backOutNote(st))
		}
	}
	return "No Persistent Chat server is active: chat is down until the active servers are set again."
}

func backOutNote(st *Step) string {
	if st.BackOut == "" {
		return "there is no back-out: continue to the end."
	}
	return "to back out instead, run " + FixText(st.BackOut) + "."
}

// stepOf marks a reference to the step with that ID in a text written
// before the steps are numbered; the engine's tables print its number.
func stepOf(id string) string { return "{step " + id + "}" }

var stepRefRE = regexp.MustCompile(`\{step ([a-z0-9.-]+)\}`)

// resolveSteps replaces each stepOf reference with the step's number in o.
func (o *Operation) resolveSteps(text string) string {
	if !strings.Contains(text, "{step ") {
		return text // most texts: no expression to run
	}
	return stepRefRE.ReplaceAllStringFunc(text, func(ref string) string {
		id := stepRefRE.FindStringSubmatch(ref)[1]
		for i, st := range o.Steps {
			if st.ID == id {
				return fmt.Sprint(i + 1)
			}
		}
		panic("plan: " + o.Name + " has no step " + id)
	})
}
