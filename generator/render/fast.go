package render

import (
	"bytes"
	"reflect"
	"strings"
	"sync/atomic"
	"text/template"
	"text/template/parse"

	"pchat-hadr/generator/quote"
)

// The fast executor runs the parsed templates without text/template's
// per-call costs: text/template finds every field by name through
// reflection on each access, calls every function through
// reflect.Value.Call and prints every value through fmt, which made
// template execution the largest part of a run (docs/performance.md).
// This one walks the same parse trees, remembers each field's index per
// type at the node that names it, calls the function map's functions
// directly when their signature is a known one, and writes strings as
// they are.
//
// It is an accelerator, not a second implementation to keep in step:
// whatever it meets that it does not handle exactly as text/template
// does (an unusual construct, a type it does not know, any error at all),
// it gives up, and the template is executed again by text/template, whose
// output or error is then the result. So errors always read as
// text/template writes them, and the output is text/template's whenever
// this executor is unsure (TestFastMatchesTextTemplate compares both).

// program is the template set compiled for the fast executor.
type program struct {
	templates map[string]*tmplCode // by template name
	funcs     map[string]*function
}

// tmplCode is one template's body, or nil when it uses something the fast
// executor leaves to text/template.
type tmplCode struct{ root *listCode }

// Compiled nodes: the parse tree with what each node needs at run time.
type (
	listCode struct{ nodes []code }
	code     interface{}
	textCode struct{ text []byte }
	// actionCode prints its pipeline's value unless it declares variables.
	actionCode struct{ pipe *pipeCode }
	ifCode     struct {
		with      bool // a with: dot is the pipeline's value inside
		pipe      *pipeCode
		list, els *listCode // els may be nil
	}
	rangeCode struct {
		pipe      *pipeCode
		list, els *listCode
	}
	templateCode struct {
		name string
		pipe *pipeCode // nil: dot is the zero value
	}
	breakCode    struct{}
	continueCode struct{}
)

// pipeCode is a pipeline: commands, each fed the previous one's value as
// its last argument, and the variables it declares or assigns.
type pipeCode struct {
	decl   []string
	assign bool
	cmds   []*cmdCode
}

// cmdCode is one command: an operand or function and its arguments.
type cmdCode struct {
	op   *expr
	args []*expr
}

// exprKind says what an operand or argument is.
type exprKind int

const (
	exDot exprKind = iota
	exField
	exVar
	exChain // (pipeline).Field...
	exFunc  // a function of the map or a builtin
	exString
	exInt  // an integer constant that fits in int
	exBool // true or false
	exNil
	exPipe // a parenthesized pipeline
	exNumber
)

// expr is an operand or argument.
type expr struct {
	kind   exprKind
	name   string      // variable name (with $) or function name
	fields []*fieldRef // field chain of exField, exVar, exChain
	pipe   *pipeCode   // exChain, exPipe
	str    string
	num    int
	boolV  bool
	fn     *function // exFunc of the map (nil for builtins)
	strVal reflect.Value
}

// fieldRef is one name of a field chain and what it resolved to for the
// last receiver type seen there.
type fieldRef struct {
	name  string
	cache atomic.Pointer[resolved]
}

// resolved is how a name is found in one receiver type.
type resolved struct {
	typ    reflect.Type // of the receiver as looked up: *T when addressable
	method int          // method index in typ, or -1
	field  []int        // field index in the struct, when not a method
	isMap  bool
}

// compile prepares every template of the set for the fast executor.
func compile(set *template.Template, funcs template.FuncMap) *program {
	p := &program{templates: map[string]*tmplCode{}, funcs: map[string]*function{}}
	for name, fn := range funcs {
		f := newFunction(fn)
		if w, ok := writers[name]; ok && f.rv.Pointer() == reflect.ValueOf(w.of).Pointer() {
			f.to = w.to
		}
		p.funcs[name] = f
	}
	for _, t := range set.Templates() {
		if t.Tree == nil || t.Tree.Root == nil {
			continue
		}
		c := &compiler{p: p}
		root := c.list(t.Tree.Root)
		if c.unsupported {
			p.templates[t.Name()] = &tmplCode{}
			continue
		}
		p.templates[t.Name()] = &tmplCode{root: root}
	}
	return p
}

// writers are the quoting functions that can write their result into the
// output: the pair counts only while the name is bound to that function.
var writers = map[string]struct {
	of any
	to func(*bytes.Buffer, string) error
}{
	"psString":  {quote.PSString, quote.PSStringTo},
	"sqlString": {quote.SQLString, quote.SQLStringTo},
}

type compiler struct {
	p           *program
	unsupported bool
}

func (c *compiler) list(l *parse.ListNode) *listCode {
	if l == nil {
		return nil
	}
	out := &listCode{}
	for _, n := range l.Nodes {
		if k := c.node(n); k != nil {
			out.nodes = append(out.nodes, k)
		}
	}
	return out
}

func (c *compiler) node(n parse.Node) code {
	switch n := n.(type) {
	case *parse.TextNode:
		return &textCode{text: n.Text}
	case *parse.CommentNode:
		return nil
	case *parse.ActionNode:
		return &actionCode{pipe: c.pipe(n.Pipe)}
	case *parse.IfNode:
		return &ifCode{pipe: c.pipe(n.Pipe), list: c.list(n.List), els: c.list(n.ElseList)}
	case *parse.WithNode:
		return &ifCode{with: true, pipe: c.pipe(n.Pipe), list: c.list(n.List), els: c.list(n.ElseList)}
	case *parse.RangeNode:
		return &rangeCode{pipe: c.pipe(n.Pipe), list: c.list(n.List), els: c.list(n.ElseList)}
	case *parse.TemplateNode:
		t := &templateCode{name: n.Name}
		if n.Pipe != nil {
			t.pipe = c.pipe(n.Pipe)
		}
		return t
	case *parse.BreakNode:
		return breakCode{}
	case *parse.ContinueNode:
		return continueCode{}
	}
	c.unsupported = true
	return nil
}

func (c *compiler) pipe(p *parse.PipeNode) *pipeCode {
	out := &pipeCode{assign: p.IsAssign}
	for _, v := range p.Decl {
		if len(v.Ident) != 1 {
			c.unsupported = true
		}
		out.decl = append(out.decl, v.Ident[0])
	}
	for _, cmd := range p.Cmds {
		if len(cmd.Args) == 0 {
			c.unsupported = true
			continue
		}
		k := &cmdCode{op: c.expr(cmd.Args[0])}
		for _, a := range cmd.Args[1:] {
			k.args = append(k.args, c.expr(a))
		}
		out.cmds = append(out.cmds, k)
	}
	return out
}

func (c *compiler) expr(n parse.Node) *expr {
	switch n := n.(type) {
	case *parse.DotNode:
		return &expr{kind: exDot}
	case *parse.FieldNode:
		return &expr{kind: exField, fields: refs(n.Ident)}
	case *parse.VariableNode:
		return &expr{kind: exVar, name: n.Ident[0], fields: refs(n.Ident[1:])}
	case *parse.ChainNode:
		if p, ok := n.Node.(*parse.PipeNode); ok && len(n.Field) > 0 {
			return &expr{kind: exChain, pipe: c.pipe(p), fields: refs(n.Field)}
		}
	case *parse.IdentifierNode:
		return &expr{kind: exFunc, name: n.Ident, fn: c.p.funcs[n.Ident]}
	case *parse.StringNode:
		return &expr{kind: exString, str: n.Text, strVal: reflect.ValueOf(n.Text)}
	case *parse.BoolNode:
		return &expr{kind: exBool, boolV: n.True}
	case *parse.NilNode:
		return &expr{kind: exNil}
	case *parse.PipeNode:
		return &expr{kind: exPipe, pipe: c.pipe(n)}
	case *parse.NumberNode:
		// A plain decimal integer is an int, as text/template makes it;
		// any other number is left to text/template.
		if n.IsInt && isDecimal(n.Text) && int64(int(n.Int64)) == n.Int64 {
			return &expr{kind: exInt, num: int(n.Int64)}
		}
	}
	c.unsupported = true
	return &expr{kind: exNumber}
}

func refs(names []string) []*fieldRef {
	out := make([]*fieldRef, len(names))
	for i, n := range names {
		out[i] = &fieldRef{name: n}
	}
	return out
}

// isDecimal reports whether a number is written as plain decimal digits
// (no octal, hexadecimal, exponent or digit separators).
func isDecimal(s string) bool {
	digits := strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	if digits == "" || digits != "0" && digits[0] == '0' {
		return false
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
