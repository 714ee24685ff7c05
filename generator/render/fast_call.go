package render

import (
	"fmt"
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

// builtin runs one of text/template's predefined functions; the rarely
// used ones (call, html, js, slice, urlquery) are left to text/template.
func (m *machine) builtin(dot reflect.Value, name string, args []*expr, final reflect.Value, hasFinal bool) reflect.Value {
	n := len(args)
	if hasFinal {
		n++
	}
	// operand i: an argument, or the pipeline's value as the last one.
	operand := func(i int) reflect.Value {
		var v reflect.Value
		switch {
		case i == len(args):
			v = final
		case args[i].kind == exNil:
			panic(giveUp{})
		case args[i].kind == exBool || args[i].kind == exString || args[i].kind == exInt:
			v = constant(args[i])
		default:
			v = m.value(dot, args[i])
		}
		if !v.IsValid() {
			panic(giveUp{})
		}
		return v
	}
	switch {
	case (name == "and" || name == "or") && n >= 1:
		var v reflect.Value
		for i := range args {
			if v = operand(i); truth(v) == (name == "or") {
				return v
			}
		}
		if hasFinal {
			v = operand(len(args))
		}
		return v
	case name == "not" && n == 1:
		return reflect.ValueOf(!truth(operand(0)))
	case name == "len" && n == 1:
		item, isNil := indirect(operand(0))
		switch item.Kind() {
		case reflect.Array, reflect.Chan, reflect.Map, reflect.Slice, reflect.String:
			if !isNil {
				return reflect.ValueOf(item.Len())
			}
		}
	case name == "index" && n >= 1:
		return index(operand(0), n, operand)
	case name == "eq" && n >= 2:
		a := operand(0)
		for i := 1; i < n; i++ {
			if c, _ := compare(a, operand(i)); c == 0 {
				return reflect.ValueOf(true)
			}
		}
		return reflect.ValueOf(false)
	case name == "ne" && n == 2:
		c, _ := compare(operand(0), operand(1))
		return reflect.ValueOf(c != 0)
	case n == 2 && (name == "lt" || name == "le" || name == "gt" || name == "ge"):
		c, ordered := compare(operand(0), operand(1))
		if !ordered {
			panic(giveUp{})
		}
		switch name {
		case "lt":
			return reflect.ValueOf(c < 0)
		case "le":
			return reflect.ValueOf(c <= 0)
		case "gt":
			return reflect.ValueOf(c > 0)
		}
		return reflect.ValueOf(c >= 0)
	case (name == "printf" || name == "print" || name == "println") && (n >= 1 || name != "printf"):
		var list []any
		format := ""
		for i := range n {
			if name == "printf" && i == 0 {
				if i == len(args) {
					format = asString(final)
				} else {
					format = m.stringArg(dot, args[0])
				}
				continue
			}
			list = append(list, m.anyArg(dot, args, i, final))
		}
		switch name {
		case "printf":
			return reflect.ValueOf(fmt.Sprintf(format, list...))
		case "print":
			return reflect.ValueOf(fmt.Sprint(list...))
		}
		return reflect.ValueOf(fmt.Sprintln(list...))
	}
	panic(giveUp{})
}

// anyArg evaluates argument i (the pipeline's value past the last) for a
// parameter of type interface{}, as fmt receives it.
func (m *machine) anyArg(dot reflect.Value, args []*expr, i int, final reflect.Value) any {
	var v reflect.Value
	switch {
	case i == len(args):
		v = validate(final, anyType)
	default:
		v = m.arg(dot, anyType, args[i])
	}
	if v.Kind() == reflect.Interface && v.IsNil() {
		return nil
	}
	return v.Interface()
}

// index is the index builtin for slices, arrays and maps.
func index(item reflect.Value, n int, operand func(int) reflect.Value) reflect.Value {
	item = indirectInterface(item)
	for i := 1; i < n; i++ {
		x := indirectInterface(operand(i))
		var isNil bool
		if item, isNil = indirect(item); isNil {
			panic(giveUp{})
		}
		switch item.Kind() {
		case reflect.Array, reflect.Slice:
			var k int64
			switch x.Kind() {
			case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
				k = x.Int()
			default:
				panic(giveUp{})
			}
			if k < 0 || k >= int64(item.Len()) {
				panic(giveUp{})
			}
			item = item.Index(int(k))
		case reflect.Map:
			if !x.IsValid() || !x.Type().AssignableTo(item.Type().Key()) {
				panic(giveUp{})
			}
			if v := item.MapIndex(x); v.IsValid() {
				item = v
			} else {
				item = reflect.Zero(item.Type().Elem())
			}
		default:
			panic(giveUp{})
		}
	}
	return item
}

// compare compares two values of one basic kind: -1, 0 or 1, and whether
// the kind is ordered (booleans are only equal or not). Values of other or
// different kinds are left to text/template.
func compare(a, b reflect.Value) (int, bool) {
	a, b = indirectInterface(a), indirectInterface(b)
	if !a.IsValid() || !b.IsValid() {
		panic(giveUp{})
	}
	ka, kb := kindOf(a), kindOf(b)
	if ka != kb || ka == reflect.Invalid {
		panic(giveUp{})
	}
	switch ka {
	case reflect.Bool:
		if a.Bool() == b.Bool() {
			return 0, false
		}
		return 1, false
	case reflect.Int:
		return order(a.Int(), b.Int()), true
	case reflect.Uint:
		return order(a.Uint(), b.Uint()), true
	}
	return order(a.String(), b.String()), true
}

func order[T int64 | uint64 | string](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// kindOf groups the kinds compare handles: every signed integer kind is
// Int, every unsigned one Uint.
func kindOf(v reflect.Value) reflect.Kind {
	switch v.Kind() {
	case reflect.Bool, reflect.String:
		return v.Kind()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return reflect.Int
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return reflect.Uint
	}
	return reflect.Invalid
}
