package collect

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"unicode"

	"pchat-hadr/generator/schema"
)

// SchemaRefresh is the command that rewrites docs/collected.schema.json,
// the same one that refreshes every generated document.
const SchemaRefresh = schema.Refresh

// GenerateSchema builds the JSON Schema (draft 2020-12) of the collected
// document from the Document type: its json tags name the fields, required
// and null tags say which must be present and which may be null, and doc
// tags describe them. Every object refuses fields it does not list, as
// Decode does.
func GenerateSchema() *schema.Schema {
	b := &schemaBuilder{defs: map[string]*schema.Schema{}}
	root := b.object(reflect.TypeOf(Document{}))
	root.Dialect = schema.Draft
	root.Title = "pchat-hadr collected deployment, schema_version 1"
	root.Description = "What the collector script (pchat-hadr collector) read from a live Persistent Chat deployment: " +
		"the Lync / Skype for Business cmdlets and the SQL Server catalog views and msdb tables of every instance it found. " +
		"pchat-hadr import turns it into a site file; pchat-hadr drift compares it with one. It never holds a password or a connection string."
	root.Properties["schema_version"].Const = SchemaVersion
	root.Properties["generator"].Const = Generator
	root.Defs = b.defs
	return root
}

// SchemaJSON is the schema as written to docs/collected.schema.json: two
// spaces of indentation, sorted keys, a final newline.
func SchemaJSON() []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(GenerateSchema()); err != nil {
		panic("collect: " + err.Error()) // the schema types always encode
	}
	return b.Bytes()
}

type schemaBuilder struct {
	defs map[string]*schema.Schema
}

func (b *schemaBuilder) object(t reflect.Type) *schema.Schema {
	no := false
	s := &schema.Schema{Type: "object", AdditionalProperties: &no, Properties: map[string]*schema.Schema{}}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name := jsonName(f)
		p := b.value(f.Type)
		if f.Tag.Get("null") == "true" {
			p = &schema.Schema{AnyOf: []*schema.Schema{p, {Type: "null"}}}
		}
		p.Description = f.Tag.Get("doc")
		s.Properties[name] = p
		if f.Tag.Get("required") == "true" {
			s.Required = append(s.Required, name)
		}
	}
	return s
}

func (b *schemaBuilder) value(t reflect.Type) *schema.Schema {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return &schema.Schema{Type: "string"}
	case reflect.Int:
		return &schema.Schema{Type: "integer"}
	case reflect.Bool:
		return &schema.Schema{Type: "boolean"}
	case reflect.Slice:
		return &schema.Schema{Type: "array", Items: b.value(t.Elem())}
	case reflect.Struct:
		name := defName(t.Name())
		if _, ok := b.defs[name]; !ok {
			b.defs[name] = nil // claimed before recursing
			b.defs[name] = b.object(t)
		}
		return &schema.Schema{AllOf: []*schema.Schema{{Ref: "#/$defs/" + name}}}
	}
	panic("collect: no schema for " + t.String())
}

// defName turns a Go type name into a $defs key: LSPrimary -> ls-primary.
func defName(n string) string {
	var out strings.Builder
	r := []rune(n)
	for i, c := range r {
		if unicode.IsUpper(c) && i > 0 && (unicode.IsLower(r[i-1]) || i+1 < len(r) && unicode.IsLower(r[i+1])) {
			out.WriteByte('-')
		}
		out.WriteRune(unicode.ToLower(c))
	}
	return out.String()
}
