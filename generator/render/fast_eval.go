package render

import (
	"bytes"
	"reflect"
)

// giveUp is the panic value with which the fast executor hands a template
// back to text/template.
type giveUp struct{}

// maxDepth bounds nested template calls; text/template's own (larger)
// limit is reported by text/template.
const maxDepth = 10000

// variable is a template variable on the machine's stack.
type variable struct {
	name  string
	value reflect.Value
}

// machine is one execution.
type machine struct {
	p     *program
	w     *bytes.Buffer
	vars  []variable
	base  int // first variable of the template being executed ($)
	depth int
}

// ctl says how a list ended: normally, or at a break or continue.
type ctl int

const (
	ctlNone ctl = iota
	ctlBreak
	ctlContinue
)

// run executes template name with data into w. It reports false, with w
// in any state, when text/template must execute the template instead.
func (p *program) run(w *bytes.Buffer, name string, data any) (ok bool) {
	t := p.templates[name]
	if t == nil || t.root == nil {
		return false
	}
	defer func() {
		if r := recover(); r != nil {
			ok = false // any panic, ours or a function's: text/template decides
		}
	}()
	dot := reflect.ValueOf(data)
	m := &machine{p: p, w: w, vars: make([]variable, 1, 16)}
	m.vars[0] = variable{"$", dot}
	m.list(dot, t.root)
	return true
}

func (m *machine) list(dot reflect.Value, l *listCode) ctl {
	if l == nil {
		return ctlNone
	}
	for _, n := range l.nodes {
		switch n := n.(type) {
		case *textCode:
			m.w.Write(n.text)
		case *actionCode:
			if len(n.pipe.decl) == 0 && m.printDirect(dot, n.pipe) {
				continue
			}
			v := m.pipeline(dot, n.pipe)
			if len(n.pipe.decl) == 0 {
				m.print(v)
			}
		case *ifCode:
			if c := m.ifWith(dot, n); c != ctlNone {
				return c
			}
		case *rangeCode:
			m.rangeOver(dot, n)
		case *templateCode:
			m.template(dot, n)
		case breakCode:
			return ctlBreak
		case continueCode:
			return ctlContinue
		}
	}
	return ctlNone
}

func (m *machine) ifWith(dot reflect.Value, n *ifCode) ctl {
	mark := len(m.vars)
	defer m.pop(mark)
	v := m.pipeline(dot, n.pipe)
	truth, ok := isTrue(indirectInterface(v))
	if !ok {
		panic(giveUp{})
	}
	switch {
	case truth && n.with:
		return m.list(v, n.list)
	case truth:
		return m.list(dot, n.list)
	default:
		return m.list(dot, n.els)
	}
}

func (m *machine) rangeOver(dot reflect.Value, n *rangeCode) {
	mark := len(m.vars)
	defer m.pop(mark)
	val, _ := indirect(m.pipeline(dot, n.pipe))
	body := len(m.vars)
	one := func(index, elem reflect.Value) ctl {
		m.setRangeVars(n.pipe, index, elem)
		c := m.list(elem, n.list)
		m.pop(body)
		return c
	}
	switch val.Kind() {
	case reflect.Array, reflect.Slice:
		if val.Len() == 0 {
			break
		}
		for i := 0; i < val.Len(); i++ {
			if one(reflect.ValueOf(i), val.Index(i)) == ctlBreak {
				break
			}
		}
		return
	case reflect.Map:
		if val.Len() == 0 {
			break
		}
		for _, k := range sortedKeys(val) {
			if one(k, val.MapIndex(k)) == ctlBreak {
				break
			}
		}
		return
	case reflect.Invalid:
	default:
		panic(giveUp{})
	}
	m.list(dot, n.els)
}

// setRangeVars gives a range's variables the index and element of one
// iteration: with one variable the element, with two the index first.
func (m *machine) setRangeVars(p *pipeCode, index, elem reflect.Value) {
	switch {
	case len(p.decl) == 0:
	case p.assign:
		if len(p.decl) > 1 {
			m.set(p.decl[0], index)
			m.set(p.decl[1], elem)
		} else {
			m.set(p.decl[0], elem)
		}
	default:
		m.vars[len(m.vars)-1].value = elem
		if len(p.decl) > 1 {
			m.vars[len(m.vars)-2].value = index
		}
	}
}

// sortedKeys returns a map's keys in the order text/template ranges over
// them; only string and integer keys are handled here.
func sortedKeys(v reflect.Value) []reflect.Value {
	keys := v.MapKeys()
	switch v.Type().Key().Kind() {
	case reflect.String:
		sortValues(keys, func(a, b reflect.Value) bool { return a.String() < b.String() })
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		sortValues(keys, func(a, b reflect.Value) bool { return a.Int() < b.Int() })
	default:
		panic(giveUp{})
	}
	return keys
}

func (m *machine) template(dot reflect.Value, n *templateCode) {
	t := m.p.templates[n.name]
	if t == nil || t.root == nil || m.depth >= maxDepth {
		panic(giveUp{})
	}
	var arg reflect.Value
	if n.pipe != nil {
		arg = m.pipeline(dot, n.pipe)
	}
	saved := m.base
	m.base = len(m.vars)
	m.vars = append(m.vars, variable{"$", arg})
	m.depth++
	m.list(arg, t.root)
	m.depth--
	m.pop(m.base)
	m.base = saved
}

func (m *machine) pop(mark int) { m.vars = m.vars[:mark] }

func (m *machine) lookup(name string) reflect.Value {
	if name == "$" {
		return m.vars[m.base].value
	}
	for i := len(m.vars) - 1; i >= m.base; i-- {
		if m.vars[i].name == name {
			return m.vars[i].value
		}
	}
	panic(giveUp{})
}

func (m *machine) set(name string, v reflect.Value) {
	for i := len(m.vars) - 1; i >= m.base; i-- {
		if m.vars[i].name == name {
			m.vars[i].value = v
			return
		}
	}
	panic(giveUp{})
}

// pipeline evaluates a pipeline and declares or assigns its variables.
func (m *machine) pipeline(dot reflect.Value, p *pipeCode) reflect.Value {
	var v reflect.Value
	hasFinal := false
	for _, c := range p.cmds {
		v = m.command(dot, c, v, hasFinal)
		hasFinal = true
		// A value of type interface{} is replaced by the value inside it.
		if v.Kind() == reflect.Interface && v.Type().NumMethod() == 0 {
			v = reflect.ValueOf(v.Interface())
		}
	}
	for _, name := range p.decl {
		if p.assign {
			m.set(name, v)
		} else {
			m.vars = append(m.vars, variable{name, v})
		}
	}
	return v
}

// command evaluates one command; final is the previous command's value.
func (m *machine) command(dot reflect.Value, c *cmdCode, final reflect.Value, hasFinal bool) reflect.Value {
	op := c.op
	switch op.kind {
	case exField:
		return m.fieldChain(dot, dot, op.fields, c.args, final, hasFinal)
	case exChain:
		return m.fieldChain(dot, m.pipeline(dot, op.pipe), op.fields, c.args, final, hasFinal)
	case exVar:
		v := m.lookup(op.name)
		if len(op.fields) == 0 {
			notAFunction(c.args, hasFinal)
			return v
		}
		return m.fieldChain(dot, v, op.fields, c.args, final, hasFinal)
	case exFunc:
		return m.callFunction(dot, op, c.args, final, hasFinal)
	}
	notAFunction(c.args, hasFinal)
	switch op.kind {
	case exPipe:
		return m.pipeline(dot, op.pipe)
	case exDot:
		return dot
	case exBool:
		return reflect.ValueOf(op.boolV)
	case exInt:
		return reflect.ValueOf(op.num)
	case exString:
		return op.strVal
	}
	panic(giveUp{})
}

func notAFunction(args []*expr, hasFinal bool) {
	if len(args) > 0 || hasFinal {
		panic(giveUp{})
	}
}

// fieldChain evaluates .A.B.C on receiver; the last name may be a method
// that takes args and final.
func (m *machine) fieldChain(dot, receiver reflect.Value, fields []*fieldRef, args []*expr, final reflect.Value, hasFinal bool) reflect.Value {
	for _, f := range fields[:len(fields)-1] {
		receiver = m.field(dot, f, receiver, nil, reflect.Value{}, false)
	}
	return m.field(dot, fields[len(fields)-1], receiver, args, final, hasFinal)
}

// field finds a method, struct field or map key by name.
func (m *machine) field(dot reflect.Value, f *fieldRef, receiver reflect.Value, args []*expr, final reflect.Value, hasFinal bool) reflect.Value {
	if !receiver.IsValid() {
		panic(giveUp{}) // nil data: missingkey=error
	}
	receiver, isNil := indirect(receiver)
	if isNil {
		panic(giveUp{})
	}
	ptr := receiver
	if ptr.Kind() != reflect.Pointer && ptr.CanAddr() {
		ptr = ptr.Addr()
	}
	r := f.resolve(ptr.Type(), receiver.Type())
	switch {
	case r.method >= 0:
		return m.call(dot, ptr.Method(r.method), args, final, hasFinal)
	case len(args) > 0 || hasFinal:
		panic(giveUp{}) // a field or key given arguments
	case r.isMap:
		v := receiver.MapIndex(reflect.ValueOf(f.name))
		if !v.IsValid() {
			panic(giveUp{}) // missingkey=error
		}
		return v
	}
	v, err := receiver.FieldByIndexErr(r.field)
	if err != nil {
		panic(giveUp{})
	}
	return v
}

// resolve finds name in a receiver whose methods are those of ptrType and
// whose fields or keys are those of typ, remembering the answer.
func (f *fieldRef) resolve(ptrType, typ reflect.Type) *resolved {
	if r := f.cache.Load(); r != nil && r.typ == ptrType {
		return r
	}
	r := &resolved{typ: ptrType, method: -1}
	if meth, ok := ptrType.MethodByName(f.name); ok {
		r.method = meth.Index
	} else {
		switch typ.Kind() {
		case reflect.Struct:
			sf, ok := typ.FieldByName(f.name)
			if !ok || !sf.IsExported() {
				panic(giveUp{})
			}
			r.field = sf.Index
		case reflect.Map:
			if !reflect.TypeFor[string]().AssignableTo(typ.Key()) {
				panic(giveUp{})
			}
			r.isMap = true
		default:
			panic(giveUp{})
		}
	}
	f.cache.Store(r)
	return r
}
