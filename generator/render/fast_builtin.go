package render

import (
	"fmt"
	"reflect"
)

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
		// text/template evaluates every operand before comparing, so an
		// operand past the first match still fails the template (a
		// missing key, say): evaluate them all first, as it does.
		ops := make([]reflect.Value, n)
		for i := range ops {
			ops[i] = operand(i)
		}
		for _, b := range ops[1:] {
			if c, _ := compare(ops[0], b); c == 0 {
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
