// Package tmpldoc writes docs/templates.md, the reference of the data each
// template sees, from the Go types themselves (reflection for the fields
// and methods, the source's doc comments for their meaning), so that the
// page follows the types when they change and a test proves it current.
package tmpldoc

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"pchat-hadr/generator/plan"
	"pchat-hadr/generator/render"
)

// root is a template data type and the templates that receive it.
type root struct {
	templates string // which templates, for the heading
	typ       reflect.Type
}

// roots are the types the renderer hands to templates (render.Render and
// render.RenderRoot).
var roots = []root{
	{"Script templates (templates/sql, templates/ps)", reflect.TypeOf(plan.Data{})},
	{"runbook.md.tmpl, runbook-diagram.md.tmpl and the templates a --templates folder adds", reflect.TypeOf(render.Runbook{})},
	{"rollout.md.tmpl", reflect.TypeOf(plan.Rollout{})},
}

// Markdown documents the template data types and every type reachable
// from them, with the comments found in the Go source below srcDir (the
// repository root). refresh is the command that rewrites the page.
func Markdown(srcDir, refresh string) ([]byte, error) {
	docs, err := comments(filepath.Join(srcDir, "generator"))
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	b.WriteString("# Template data\n\n")
	fmt.Fprintf(&b, "<!-- Generated from the Go types of generator/plan, generator/site and generator/render by generator/tmpldoc; do not edit. Refresh: %s -->\n\n", refresh)
	b.WriteString("What each template sees as `.`, for a `--templates` folder (`pchat-hadr templates export` starts one). " +
		"Templates run with `missingkey=error`: a name that is not listed here stops the run with an error such as " +
		"`can't evaluate field Name`. Fields are written `.Field`, methods `.Method` (a method with arguments takes them after its name). " +
		"The plan data is being reworked; this page is generated from the types, so it always matches the pchat-hadr it ships with.\n\n")
	funcs := slices.Sorted(maps.Keys(render.Funcs()))
	fmt.Fprintf(&b, "Functions: %s. Site values reach scripts only through the quoting functions (`sqlIdent`, `sqlString`, `psString`, `comment`, `mermaid`).\n\n", "`"+strings.Join(funcs, "`, `")+"`")
	w := &writer{b: &b, docs: docs, done: map[reflect.Type]bool{}}
	for _, r := range roots {
		fmt.Fprintf(&b, "## %s\n\n`.` is a `%s`; the types below it follow, each once.\n\n", r.templates, typeName(r.typ))
		w.queue = append(w.queue, r.typ)
		for len(w.queue) > 0 {
			t := w.queue[0]
			w.queue = w.queue[1:]
			w.section(t)
		}
	}
	return []byte(b.String()), nil
}

type writer struct {
	b     *strings.Builder
	docs  map[string]string // "plan.Target" or "plan.Target.Server" -> comment
	done  map[reflect.Type]bool
	queue []reflect.Type
}

// section documents one struct type: its doc, fields and methods.
func (w *writer) section(t reflect.Type) {
	t = base(t)
	if t.Kind() != reflect.Struct || w.done[t] || !local(t) {
		return
	}
	w.done[t] = true
	name := typeName(t)
	fmt.Fprintf(w.b, "### %s\n\n", name)
	if d := w.docs[name]; d != "" {
		fmt.Fprintf(w.b, "%s\n\n", strings.Join(strings.Fields(d), " "))
	}
	w.b.WriteString("| Name | Type | Description |\n|---|---|---|\n")
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		desc := w.docs[name+"."+f.Name]
		if key := strings.Split(f.Tag.Get("toml"), ",")[0]; key != "" {
			// A site type: the site file's key, documented in its doc tag.
			desc = strings.TrimSpace(fmt.Sprintf("Site key `%s`. %s %s", key, f.Tag.Get("doc"), desc))
		}
		if f.Anonymous {
			desc = strings.TrimSpace("Embedded: its fields and methods are reached directly. " + desc)
		}
		fmt.Fprintf(w.b, "| `.%s` | %s | %s |\n", f.Name, linked(f.Type), cell(desc))
		w.follow(f.Type)
	}
	for _, m := range methods(t) {
		fmt.Fprintf(w.b, "| `.%s` | `%s` | %s |\n", m.Name, signature(m.Type), cell(w.docs[name+"."+m.Name]))
	}
	w.b.WriteString("\n")
}

// follow queues the struct types a field's type leads to.
func (w *writer) follow(t reflect.Type) {
	if t = base(t); t.Kind() == reflect.Struct && local(t) && !w.done[t] {
		w.queue = append(w.queue, t)
	}
}

// base strips pointers, slices, arrays and maps off a type.
func base(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	return t
}

// linked writes a field's type, linked to its section when it has one.
func linked(t reflect.Type) string {
	b := base(t)
	if b.Kind() != reflect.Struct || !local(b) {
		return "`" + typeName(t) + "`"
	}
	return fmt.Sprintf("[`%s`](#%s)", typeName(t), strings.ReplaceAll(strings.ToLower(typeName(b)), ".", ""))
}

// methods lists the exported methods templates can call on a value of t
// or a pointer to it, by name.
func methods(t reflect.Type) []reflect.Method {
	var out []reflect.Method
	pt := reflect.PointerTo(t)
	for i := 0; i < pt.NumMethod(); i++ {
		if m := pt.Method(i); m.IsExported() && m.Type.NumOut() > 0 && m.Type.NumOut() <= 2 {
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b reflect.Method) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// signature is a method's type without its receiver: func(string) string.
func signature(t reflect.Type) string {
	var in, out []string
	for i := 1; i < t.NumIn(); i++ {
		in = append(in, typeName(t.In(i)))
	}
	for i := 0; i < t.NumOut(); i++ {
		out = append(out, typeName(t.Out(i)))
	}
	s := "func(" + strings.Join(in, ", ") + ")"
	if len(out) == 1 {
		return s + " " + out[0]
	}
	return s + " (" + strings.Join(out, ", ") + ")"
}

// local reports whether t is one of pchat-hadr's own types.
func local(t reflect.Type) bool { return strings.HasPrefix(t.PkgPath(), "pchat-hadr/") }

// typeName writes a type as Go does, with package names only.
func typeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Pointer:
		return "*" + typeName(t.Elem())
	case reflect.Slice:
		return "[]" + typeName(t.Elem())
	case reflect.Map:
		return "map[" + typeName(t.Key()) + "]" + typeName(t.Elem())
	}
	return t.String()
}

// cell makes a comment one table cell.
func cell(s string) string {
	return strings.ReplaceAll(strings.Join(strings.Fields(s), " "), "|", `\|`)
}

// comments reads the doc comments of every type, field and method below
// dir, keyed "pkg.Type" and "pkg.Type.Name".
func comments(dir string) (map[string]string, error) {
	out := map[string]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ParseComments)
		if err != nil {
			return err
		}
		pkg := f.Name.Name
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.GenDecl:
				typeComments(pkg, d, out)
			case *ast.FuncDecl:
				if d.Recv != nil && len(d.Recv.List) == 1 && d.Doc != nil {
					out[pkg+"."+receiver(d.Recv.List[0].Type)+"."+d.Name.Name] = d.Doc.Text()
				}
			}
		}
		return nil
	})
	return out, err
}

func typeComments(pkg string, d *ast.GenDecl, out map[string]string) {
	for _, spec := range d.Specs {
		ts, ok := spec.(*ast.TypeSpec)
		if !ok {
			continue
		}
		doc := ts.Doc
		if doc == nil {
			doc = d.Doc
		}
		if doc != nil {
			out[pkg+"."+ts.Name.Name] = doc.Text()
		}
		st, ok := ts.Type.(*ast.StructType)
		if !ok {
			continue
		}
		for _, f := range st.Fields.List {
			text := ""
			if f.Doc != nil {
				text = f.Doc.Text()
			}
			if f.Comment != nil {
				text = strings.TrimSpace(text + " " + f.Comment.Text())
			}
			names := f.Names
			if len(names) == 0 { // embedded: named after its type
				names = []*ast.Ident{{Name: receiver(f.Type)}}
			}
			for _, n := range names {
				out[pkg+"."+ts.Name.Name+"."+n.Name] = text
			}
		}
	}
}

// receiver names the type of a receiver or embedded field: T, *T, pkg.T.
func receiver(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.StarExpr:
		return receiver(t.X)
	case *ast.SelectorExpr:
		return t.Sel.Name
	case *ast.Ident:
		return t.Name
	}
	return ""
}
