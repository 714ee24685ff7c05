package render

import (
	"bytes"
	"reflect"
)

// function is a function of the map, with a direct call for the
// signatures the pinned map uses (the quoting functions and sprig's
// string functions); any other is called through reflection.
type function struct {
	rv  reflect.Value
	s   func(string) (string, error)
	ss  func(string) string
	ss2 func(string, string) string
	ss3 func(string, string, string) string
	vs  func(...string) (string, error)
	// to writes f's result for one string straight into the output, where
	// the value is printed as it is (quote.PSStringTo for psString): the
	// quoted string is not built. Set only for the quoting functions.
	to func(*bytes.Buffer, string) error
}

func newFunction(fn any) *function {
	f := &function{rv: reflect.ValueOf(fn)}
	switch g := fn.(type) {
	case func(string) (string, error):
		f.s = g
	case func(string) string:
		f.ss = g
	case func(string, string) string:
		f.ss2 = g
	case func(string, string, string) string:
		f.ss3 = g
	case func(...string) (string, error):
		f.vs = g
	}
	return f
}

var (
	stringType      = reflect.TypeFor[string]()
	anyType         = reflect.TypeFor[any]()
	reflectValueTyp = reflect.TypeFor[reflect.Value]()
)

// callFunction calls a function of the map or a builtin.
func (m *machine) callFunction(dot reflect.Value, op *expr, args []*expr, final reflect.Value, hasFinal bool) reflect.Value {
	if op.fn == nil {
		return m.builtin(dot, op.name, args, final, hasFinal)
	}
	if s, ok := m.callString(dot, op.fn, args, final, hasFinal); ok {
		return reflect.ValueOf(s)
	}
	return m.call(dot, op.fn.rv, args, final, hasFinal)
}

// printDirect prints a pipeline that is one call of a string function
// without boxing its result; it reports false for any other pipeline.
func (m *machine) printDirect(dot reflect.Value, p *pipeCode) bool {
	if len(p.cmds) != 1 || p.cmds[0].op.kind != exFunc || p.cmds[0].op.fn == nil {
		return false
	}
	c := p.cmds[0]
	if to := c.op.fn.to; to != nil && len(c.args) == 1 {
		if to(m.w, m.stringArg(dot, c.args[0])) != nil {
			panic(giveUp{}) // text/template runs the file again and reports it
		}
		return true
	}
	s, ok := m.callString(dot, c.op.fn, c.args, reflect.Value{}, false)
	if ok {
		m.w.WriteString(s)
	}
	return ok
}

// callString calls a function of string arguments and one string result
// directly; ok is false when f has another signature.
func (m *machine) callString(dot reflect.Value, f *function, args []*expr, final reflect.Value, hasFinal bool) (string, bool) {
	n := len(args)
	if hasFinal {
		n++
	}
	arg := func(i int) string {
		if i == len(args) {
			return asString(final)
		}
		return m.stringArg(dot, args[i])
	}
	var out string
	var err error
	switch {
	case f.s != nil && n == 1:
		out, err = f.s(arg(0))
	case f.ss != nil && n == 1:
		out = f.ss(arg(0))
	case f.ss2 != nil && n == 2:
		a := arg(0)
		out = f.ss2(a, arg(1))
	case f.ss3 != nil && n == 3:
		a, b := arg(0), arg(1)
		out = f.ss3(a, b, arg(2))
	case f.vs != nil:
		list := make([]string, n)
		for i := range list {
			list[i] = arg(i)
		}
		out, err = f.vs(list...)
	default:
		return "", false
	}
	if err != nil {
		panic(giveUp{})
	}
	return out, true
}

// stringArg evaluates an argument for a string parameter.
func (m *machine) stringArg(dot reflect.Value, e *expr) string {
	if e.kind == exString {
		return e.str
	}
	return asString(m.value(dot, e))
}

// asString is v as an argument of type string: a string, or an interface
// or pointer holding one.
func asString(v reflect.Value) string {
	switch {
	case !v.IsValid():
	case v.Type() == stringType:
		return v.String()
	case v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer:
		if !v.IsNil() && v.Elem().Type() == stringType {
			return v.Elem().String()
		}
	}
	panic(giveUp{})
}

// value evaluates an argument that is not a constant.
func (m *machine) value(dot reflect.Value, e *expr) reflect.Value {
	switch e.kind {
	case exDot:
		return dot
	case exField:
		return m.fieldChain(dot, dot, e.fields, nil, reflect.Value{}, false)
	case exVar:
		v := m.lookup(e.name)
		if len(e.fields) == 0 {
			return v
		}
		return m.fieldChain(dot, v, e.fields, nil, reflect.Value{}, false)
	case exChain:
		return m.fieldChain(dot, m.pipeline(dot, e.pipe), e.fields, nil, reflect.Value{}, false)
	case exPipe:
		return m.pipeline(dot, e.pipe)
	case exFunc:
		return m.callFunction(dot, e, nil, reflect.Value{}, false)
	}
	panic(giveUp{})
}

// call calls fn through reflection, with its arguments converted to its
// parameter types as text/template converts them.
func (m *machine) call(dot reflect.Value, fn reflect.Value, args []*expr, final reflect.Value, hasFinal bool) reflect.Value {
	typ := fn.Type()
	numIn := len(args)
	if hasFinal {
		numIn++
	}
	numFixed := len(args)
	if typ.IsVariadic() {
		numFixed = typ.NumIn() - 1
		if numIn < numFixed {
			panic(giveUp{})
		}
	} else if numIn != typ.NumIn() {
		panic(giveUp{})
	}
	if typ.NumOut() != 1 && (typ.NumOut() != 2 || typ.Out(1) != errorType) {
		panic(giveUp{})
	}
	argv := make([]reflect.Value, numIn)
	i := 0
	for ; i < numFixed && i < len(args); i++ {
		argv[i] = m.arg(dot, typ.In(i), args[i])
	}
	if typ.IsVariadic() {
		elem := typ.In(typ.NumIn() - 1).Elem()
		for ; i < len(args); i++ {
			argv[i] = m.arg(dot, elem, args[i])
		}
	}
	if hasFinal {
		t := typ.In(typ.NumIn() - 1)
		if typ.IsVariadic() {
			if numIn-1 < numFixed {
				t = typ.In(numIn - 1)
			} else {
				t = t.Elem()
			}
		}
		argv[i] = validate(final, t)
	}
	out := fn.Call(argv)
	if len(out) == 2 && !out[1].IsNil() {
		panic(giveUp{})
	}
	if out[0].Type() == reflectValueTyp {
		return out[0].Interface().(reflect.Value)
	}
	return out[0]
}

// arg evaluates an argument for a parameter of type typ.
func (m *machine) arg(dot reflect.Value, typ reflect.Type, e *expr) reflect.Value {
	switch e.kind {
	case exNil:
		if canBeNil(typ) {
			return reflect.Zero(typ)
		}
		panic(giveUp{})
	case exBool, exString, exInt:
	default:
		return validate(m.value(dot, e), typ)
	}
	switch typ.Kind() {
	case reflect.Bool:
		if e.kind == exBool {
			v := reflect.New(typ).Elem()
			v.SetBool(e.boolV)
			return v
		}
	case reflect.String:
		if e.kind == exString {
			if typ == stringType {
				return e.strVal
			}
			v := reflect.New(typ).Elem()
			v.SetString(e.str)
			return v
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if e.kind == exInt {
			v := reflect.New(typ).Elem()
			v.SetInt(int64(e.num))
			return v
		}
	case reflect.Interface:
		if typ.NumMethod() == 0 {
			return constant(e)
		}
	}
	panic(giveUp{})
}

// constant is a constant as a value of its own type.
func constant(e *expr) reflect.Value {
	switch e.kind {
	case exBool:
		return reflect.ValueOf(e.boolV)
	case exString:
		return e.strVal
	case exInt:
		return reflect.ValueOf(e.num)
	}
	panic(giveUp{})
}

// validate converts v for a parameter of type typ, or gives up where
// text/template would fail.
func validate(v reflect.Value, typ reflect.Type) reflect.Value {
	if !v.IsValid() {
		if canBeNil(typ) {
			return reflect.Zero(typ)
		}
		panic(giveUp{})
	}
	if typ == reflectValueTyp {
		panic(giveUp{})
	}
	if v.Type().AssignableTo(typ) {
		return v
	}
	if v.Kind() == reflect.Interface && !v.IsNil() {
		v = v.Elem()
		if v.Type().AssignableTo(typ) {
			return v
		}
	}
	switch {
	case v.Kind() == reflect.Pointer && v.Type().Elem().AssignableTo(typ):
		if v.IsNil() {
			panic(giveUp{})
		}
		return v.Elem()
	case reflect.PointerTo(v.Type()).AssignableTo(typ) && v.CanAddr():
		return v.Addr()
	}
	panic(giveUp{})
}

func canBeNil(typ reflect.Type) bool {
	switch typ.Kind() {
	case reflect.Chan, reflect.Func, reflect.Interface, reflect.Map, reflect.Pointer, reflect.Slice:
		return true
	}
	return false
}
