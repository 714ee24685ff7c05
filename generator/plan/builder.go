package plan

import (
	"path"

	"pchat-hadr/generator/parallel"
	"pchat-hadr/generator/site"
)

// builder plans the operations of one site. Steps are made once and may
// belong to several operations (the drain of a failover and of a
// switchover is one step), so a .sql file has one step and one guard.
type builder struct {
	s     *site.Site
	p     *Plan
	ls    LogShip
	ops   *Ops
	pairs []Pair // mirroring sessions in the primary data center
	// backupPairs are the sessions a DR failover sets up in the backup
	// data center, by database.
	backupPairs []Pair
	files       map[string]*File
	order       []string
	steps       map[string]*Step
	workers     int // see BuildWith
}

func newBuilder(s *site.Site, p *Plan) *builder {
	b := &builder{s: s, p: p, files: map[string]*File{}, steps: map[string]*Step{}}
	b.pairs = mirrorPairs(s)
	b.backupPairs = backupPairs(s)
	b.ls = logShipping(s)
	b.ops = operations(s, p.Accounts, b.pairs, b.ls)
	return b
}

// plan builds every operation in runbook order, then numbers the steps and
// renders their tables into the files.
func (b *builder) plan() {
	b.p.Checks = append(b.p.Checks, b.prerequisites())
	add := func(ops ...*Operation) { b.p.Operations = append(b.p.Operations, ops...) }
	add(b.mirroringOp(), b.logShippingOp(), b.mirrorLogShippingOp())
	b.p.Checks = append(b.p.Checks, b.healthChecks()...)
	add(b.topologyOp())
	add(b.mirrorFailoverOps()...)
	add(b.reinitializeOps()...)
	add(b.reseedOps()...)
	add(b.failoverOp(), b.switchoverOp(), b.switchoverBackOutOp(), b.fenceOp())
	add(b.failbackOp(), b.backOutOp())
	ops := b.p.Operations
	for _, o := range ops {
		b.cmsFirst(o)
	}
	for _, o := range ops {
		for i, st := range o.Steps {
			st.UsedBy = append(st.UsedBy, StepRef{Op: o, N: i + 1})
		}
		o.indexProducers()
	}
	var scripts []string
	byScript := map[string][]*Operation{}
	for _, o := range ops {
		if _, ok := byScript[o.Script]; !ok {
			scripts = append(scripts, o.Script)
		}
		byScript[o.Script] = append(byScript[o.Script], o)
	}
	// The operations are final here: the tables and guards only read them
	// and each writes its own slot; the files are filled in order after.
	engines := make([]*Engine, len(scripts))
	parallel.Each(len(scripts), b.workers, func(i int) { engines[i] = b.engine(scripts[i], byScript[scripts[i]]) })
	for i, sc := range scripts {
		e := engines[i]
		b.file(sc, "ps/operation.ps1.tmpl", Data{Title: e.Title, Target: Shell, Engine: e, Ops: b.ops})
	}
	steps := b.stepsInOrder(ops)
	guards := make([][]*Guard, len(steps))
	parallel.Each(len(steps), b.workers, func(i int) {
		for _, f := range steps[i].Action.Files {
			guards[i] = append(guards[i], guardFor(steps[i], f.Target))
		}
	})
	for i, st := range steps {
		for j, f := range st.Action.Files {
			b.files[f.Path].Data.Guard = guards[i][j]
		}
	}
	b.emit(ops)
}

// stepsInOrder lists every step once, in the order operations use them.
func (b *builder) stepsInOrder(ops []*Operation) []*Step {
	seen := map[*Step]bool{}
	var out []*Step
	for _, o := range ops {
		for _, st := range o.Steps {
			if !seen[st] {
				seen[st] = true
				out = append(out, st)
			}
		}
	}
	return out
}

// emit orders the files for the plan: each operation's orchestrator, then
// the files its steps run that no earlier operation listed, and the checks
// where the runbook names them.
func (b *builder) emit(ops []*Operation) {
	listed := map[string]bool{}
	add := func(p string) {
		if p == "" || listed[p] {
			return
		}
		listed[p] = true
		f := b.files[p]
		f.Data.Source, f.Data.Site, f.Data.Path = b.p.Source, b.s.Site.Name, f.Path
		b.p.Files = append(b.p.Files, *f)
	}
	add(b.p.Checks[0].Path)
	for _, o := range ops {
		add(o.Script)
		for _, st := range o.Steps {
			for _, f := range st.Action.Files {
				add(f.Path)
			}
		}
		if o.Name == "mirror-log-shipping" {
			for _, c := range b.p.Checks[1:] {
				add(c.Path)
			}
		}
	}
	for _, p := range b.order {
		add(p)
	}
	for i, c := range b.p.Checks {
		b.p.Checks[i] = b.files[c.Path]
	}
}

// file registers a generated file once; asking again returns the first.
func (b *builder) file(p, tmpl string, data Data) *File {
	if f, ok := b.files[p]; ok {
		return f
	}
	f := &File{Path: p, Template: tmpl, Data: data}
	b.files[p] = f
	b.order = append(b.order, p)
	return f
}

// sql makes a step that runs one reviewed .sql file on one instance; id
// names it so that operations sharing it get the same step.
func (b *builder) sql(id, title string, t Target, file, tmpl, op string, data Data) *Step {
	if st, ok := b.steps[id]; ok {
		return st
	}
	data.Title, data.Target = title, t
	b.file(file, tmpl, data)
	st := &Step{ID: id, Title: title, Where: On(t),
		Action: Action{Kind: ActionSQL, Op: op, DB: data.DB, Files: []SQLFile{{Target: t, Path: file}}}}
	b.steps[id] = st
	return st
}

// shell makes a step that runs one Management Shell command.
func (b *builder) shell(id, title string, a Action) *Step {
	if st, ok := b.steps[id]; ok {
		return st
	}
	st := &Step{ID: id, Title: title, Where: OnShell(), Action: a}
	b.steps[id] = st
	return st
}

// op starts an operation whose orchestrator is script.
func (b *builder) op(name, phase, title, script string) *Operation {
	return &Operation{Name: name, Phase: phase, Title: title, Script: script}
}

func (o *Operation) add(steps ...*Step) *Operation {
	o.Steps = append(o.Steps, steps...)
	return o
}

// rel is the path of a planned file as seen from a script in dir.
func rel(dir, p string) string {
	if path.Dir(p) == dir {
		return path.Base(p)
	}
	return "../" + p
}

// cmsFirst puts the Central Management store check first in the pre-flight
// of every operation that uses the Management Shell: without the store the
// first Get-Cs call would stop the run with a raw error, perhaps after SQL
// steps already ran.
func (b *builder) cmsFirst(o *Operation) {
	uses := false
	shellPred := func(ps []Pred) {
		for _, p := range ps {
			if p.On == nil && p.Kind != KFolder && p.Kind != KCMS {
				uses = true
			}
		}
	}
	shellPred(o.Preflight)
	shellPred(o.Ends)
	for _, st := range o.Steps {
		shellPred(st.Requires)
		shellPred(st.Ensures)
		for _, g := range st.Unneeded {
			shellPred(g)
		}
		switch st.Action.Kind {
		case ActionPoolState, ActionActive, ActionMirror, ActionCsFailover:
			uses = true
		}
	}
	if !uses {
		return
	}
	for _, p := range o.Preflight {
		if p.Kind == KCMS {
			return
		}
	}
	o.Preflight = append([]Pred{b.cmsAnswers()}, o.Preflight...)
}
