package plan

import (
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Operation is one procedure as an ordered table of steps. The orchestrator
// script, the runbook section, the plan command and the guard batches of
// every .sql file it runs are all rendered from this one table, so their
// step numbers and checks cannot disagree.
type Operation struct {
	Name   string // the plan command's --operation value, e.g. "failover"
	Phase  string // runbook section and output folder
	Title  string // one line: what the operation is for
	Script string // orchestrator path in the site folder
	// Preflight is checked, read-only, before the first step of every run
	// (-FromStep included): an operation started in the wrong state changes
	// nothing.
	Preflight []Pred
	Steps     []*Step
	Switches  []Switch
	// Ends is the state the runbook promises once the operation completes.
	Ends []Pred
	// Before and After describe, for the runbook, which copy serves mgc and
	// which servers are active before the operation and after it.
	Before, After string
	// Select holds the parameter values that choose this operation among
	// the variants one orchestrator runs (mirror failover: the data center
	// and the new principal), and Params declares those parameters.
	Select map[string]string
	Params []Param
	// Databases, when set, lets -Database choose the databases whose steps
	// run (each such step names its database in Action.DB).
	Databases []string
	// Notes are printed when the operation completes: what to do next.
	Notes []string

	producers *producers // see ProducerOf
}

// Switch is a documented switch of an orchestrator. Waives lists the
// predicate keys it turns from a stop into a warning.
type Switch struct {
	Name string // PowerShell parameter name, without the dash
	Help string
	// DataLoss marks a switch that accepts losing acknowledged chat
	// messages: the engine says so before the loss.
	DataLoss bool
}

// Step is one state change: where it runs, what must hold before it, what
// holds after it (when that already holds the step is skipped as done),
// and the one action that makes it so.
type Step struct {
	ID       string // stable within the plan, e.g. "dr.recover"
	Title    string
	Where    Where
	Requires []Pred
	Ensures  []Pred
	// Unneeded makes the step unnecessary when every predicate of any one
	// group holds (the seed backups are not needed once mirroring runs; no
	// step before failback's point of no return is needed once it passed).
	Unneeded [][]Pred
	Action   Action
	// NoReturn marks a point of no return: the engine asks with
	// ShouldContinue, which "Yes to All" and -Confirm:$false do not answer.
	NoReturn bool
	// Leaves says what state a failure or a stop inside the step leaves.
	Leaves string
	// BackOut is the command that backs out from this step's states, when
	// there is one (relative to the site folder).
	BackOut string
	// UsedBy lists the operations and numbers of this step, filled once
	// every operation is built (a .sql file can serve several).
	UsedBy []StepRef
}

// StepRef names a step by operation and number.
type StepRef struct {
	Op *Operation
	N  int
}

// Where is the instance a step acts on, or the Management Shell (nil).
type Where struct {
	Target *Target
}

// OnShell returns the Management Shell as a step location.
func OnShell() Where { return Where{} }

// On returns a fixed instance as a step location.
func On(t Target) Where { return Where{Target: &t} }

// Text describes the location for humans.
func (w Where) Text() string {
	if w.Target != nil {
		return w.Target.Server
	}
	return "Management Shell"
}

// Action kinds. ActionSQL runs a reviewed .sql file with sqlcmd; the others
// are one Management Shell command or a file operation each.
const (
	ActionNone        = "none"          // a check only: the step exists for its predicates
	ActionSQL         = "sql"           // run Files[the chosen instance]
	ActionPoolState   = "pool.state"    // Set-CsPersistentChatState -PoolState Value
	ActionActive      = "pool.active"   // Set-CsPersistentChatActiveServer: the difference to Servers
	ActionMirror      = "cs.mirror"     // Install-CsMirrorDatabase for DatabaseType on Principal
	ActionCsFailover  = "cs.failover"   // Invoke-CsDatabaseFailover -NewPrincipal Value
	ActionArchive     = "share.archive" // move a chain's files out of a folder
	ActionMakeFolder  = "share.folder"  // create a folder on a share
	ActionCMSFailover = "cs.cms"        // Invoke-CsManagementServerFailover
)

// Action is what a step does. For ActionSQL, Files holds the .sql file and
// Op names its body: the model of the site applies the same body (see
// generator/model).
type Action struct {
	Kind  string
	Files []SQLFile
	Op    string
	// Switch, when set, names the switch under which this step's action
	// runs at all (for example ForceServiceAllowDataLoss).
	Switch string
	// Arguments of the non-SQL kinds.
	Value        string   // pool state, new principal, ...
	Servers      []string // active servers
	DatabaseType string   // PersistentChat or PersistentChatCompliance
	DB           string
	Principal    *Target
	Folder       string // share folder for the file operations
	Pattern      string // file name pattern for the file operations
	To           string // destination folder
}

// SQLFile is a planned .sql file and the instance it runs on.
type SQLFile struct {
	Target Target
	Path   string // in the site folder, slash-separated
}

// Number returns the 1-based number of a step in the operation, 0 if absent.
func (o *Operation) Number(s *Step) int {
	for i, x := range o.Steps {
		if x == s {
			return i + 1
		}
	}
	return 0
}

// Command is the command that runs the operation, variant parameters
// included, from the site folder.
func (o *Operation) Command() string {
	cmd := `.\` + winPath(o.Script)
	if len(o.Select) == 0 {
		return cmd // most operations: asked for every predicate of every step
	}
	keys := make([]string, 0, len(o.Select))
	for k := range o.Select {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		switch v := o.Select[k]; v {
		case "true":
			cmd += " -" + k
		case "false":
		default:
			cmd += " -" + k + " " + v
		}
	}
	return cmd
}

// Continue is the command that resumes the operation at step n.
func (o *Operation) Continue(n int) string {
	if n <= 1 {
		return o.Command()
	}
	return o.Command() + " -FromStep " + strconv.Itoa(n)
}

// ProducerOf returns the number of the last step before n whose ensures
// include p: the step to resume from when p does not hold at step n.
func (o *Operation) ProducerOf(p Pred, n int) int {
	if ix := o.producers; ix != nil && ix.fresh(o) {
		var buf [256]byte
		steps := ix.bySubject[string(appendSubject(buf[:0], p))]
		for k := len(steps) - 1; k >= 0; k-- {
			if i := steps[k]; i <= n-2 && o.ensuresImplying(i, p) {
				return i + 1
			}
		}
		return 0
	}
	for i := n - 2; i >= 0; i-- {
		if o.ensuresImplying(i, p) {
			return i + 1
		}
	}
	return 0
}

func (o *Operation) ensuresImplying(i int, p Pred) bool {
	for _, e := range o.Steps[i].Ensures {
		if e.Implies(p) {
			return true
		}
	}
	return false
}

// producers indexes an operation's steps by the subjects they ensure, for
// ProducerOf: asked of every predicate of every step, and scanning every
// earlier step each time, it was a sixth of plan.Build. Subjects are the
// joined strings (Subject), so the index finds exactly the steps that
// sameSubject would.
type producers struct {
	bySubject map[string][]int // step indexes, ascending
	// What was indexed: the steps, and each one's ensures as a slice, so
	// that a step replaced, moved or given other ensures afterwards (a
	// copy of the operation changed by a test) makes the index stale, and
	// ProducerOf scans instead.
	steps   []*Step
	ensures [][]Pred
}

// indexProducers builds the index once the operation's steps are final.
func (o *Operation) indexProducers() {
	ix := &producers{bySubject: map[string][]int{}, steps: append([]*Step(nil), o.Steps...)}
	for i, st := range o.Steps {
		ix.ensures = append(ix.ensures, st.Ensures)
		for _, e := range st.Ensures {
			key := e.Subject()
			if l := ix.bySubject[key]; len(l) == 0 || l[len(l)-1] != i {
				ix.bySubject[key] = append(l, i)
			}
		}
	}
	o.producers = ix
}

func (ix *producers) fresh(o *Operation) bool {
	if len(ix.steps) != len(o.Steps) {
		return false
	}
	for i, st := range o.Steps {
		was := ix.ensures[i]
		if st != ix.steps[i] || len(st.Ensures) != len(was) || len(was) > 0 && &st.Ensures[0] != &was[0] {
			return false
		}
	}
	return true
}

// HasSwitch reports whether the operation documents a switch.
func (o *Operation) HasSwitch(name string) bool {
	for _, s := range o.Switches {
		if s.Name == name {
			return true
		}
	}
	return false
}

func winPath(p string) string { return strings.ReplaceAll(p, "/", `\`) }

// The builders of shared steps run once per operation that uses them, so
// adding a predicate or a group the step already has changes nothing.
func (s *Step) req(p ...Pred) *Step { s.Requires = addPreds(s.Requires, p); return s }
func (s *Step) ens(p ...Pred) *Step { s.Ensures = addPreds(s.Ensures, p); return s }
func (s *Step) unneeded(p ...Pred) *Step {
	for _, g := range s.Unneeded {
		if sameKeys(g, p) {
			return s
		}
	}
	s.Unneeded = append(s.Unneeded, p)
	return s
}

func addPreds(have, more []Pred) []Pred {
	// Each key is built once: comparing Key() with Key() in the loop built
	// two strings a comparison, 300 KB of a plan's 3.9 MB.
	keys := make([]string, len(have), len(have)+len(more))
	for i, h := range have {
		keys[i] = h.Key()
	}
	for _, p := range more {
		if p.When != "" {
			// A step's checks are also its .sql file's guard, which cannot
			// read the pool state.
			panic("plan: a step's predicate has When: " + p.Text())
		}
		if k := p.Key(); !slices.Contains(keys, k) {
			have, keys = append(have, p), append(keys, k)
		}
	}
	return have
}

func sameKeys(a, b []Pred) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Key() != b[i].Key() {
			return false
		}
	}
	return true
}
func (s *Step) leaves(text string) *Step { s.Leaves = text; return s }
func (s *Step) backOut(cmd string) *Step { s.BackOut = cmd; return s }
func (s *Step) pointOfNoReturn() *Step   { s.NoReturn = true; return s }

// OperationNames lists every operation's name, in runbook order (a test
// checks it against a built plan): the plan command's --operation values.
var OperationNames = []string{
	"mirroring", "log-shipping", "mirror-log-shipping", "topology",
	"mirror-failover", "mirror-failover-cmdlet-force", "mirror-failover-tsql", "mirror-failover-force",
	"mirror-failback", "mirror-failback-cmdlet-force", "mirror-failback-tsql", "mirror-failback-force",
	"backup-mirror-failover-tsql", "backup-mirror-failover-force",
	"backup-mirror-failback-tsql", "backup-mirror-failback-force",
	"reinitialize-secondary", "reinitialize-secondary-from-mirror",
	"reseed-mirror", "reseed-mirror-from-mirror", "backup-reseed-mirror", "backup-reseed-mirror-from-mirror",
	"failover", "switchover", "switchover-backout", "fence", "failback", "failback-backout",
}
