package schema

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"unicode"
)

// Draft is the JSON Schema dialect of the generated schema.
const Draft = "https://json-schema.org/draft/2020-12/schema"

// Schema is a JSON Schema object. Its fields are declared in the byte
// order of their JSON names, and maps are written with sorted keys, so the
// encoding has sorted keys throughout and is the same on every run.
type Schema struct {
	Defs                 map[string]*Schema `json:"$defs,omitempty"`
	Ref                  string             `json:"$ref,omitempty"`
	Dialect              string             `json:"$schema,omitempty"`
	AdditionalProperties *bool              `json:"additionalProperties,omitempty"`
	AllOf                []*Schema          `json:"allOf,omitempty"`
	AnyOf                []*Schema          `json:"anyOf,omitempty"`
	Const                any                `json:"const,omitempty"`
	Contains             *Schema            `json:"contains,omitempty"`
	Default              any                `json:"default,omitempty"`
	Description          string             `json:"description,omitempty"`
	Else                 *Schema            `json:"else,omitempty"`
	Enum                 []any              `json:"enum,omitempty"`
	If                   *Schema            `json:"if,omitempty"`
	Items                *Schema            `json:"items,omitempty"`
	MaxContains          *int               `json:"maxContains,omitempty"`
	MaxItems             *int               `json:"maxItems,omitempty"`
	MaxLength            *int               `json:"maxLength,omitempty"`
	Maximum              *int               `json:"maximum,omitempty"`
	MinContains          *int               `json:"minContains,omitempty"`
	MinItems             *int               `json:"minItems,omitempty"`
	MinLength            *int               `json:"minLength,omitempty"`
	Minimum              *int               `json:"minimum,omitempty"`
	Not                  *Schema            `json:"not,omitempty"`
	Pattern              string             `json:"pattern,omitempty"`
	Properties           map[string]*Schema `json:"properties,omitempty"`
	Required             []string           `json:"required,omitempty"`
	Then                 *Schema            `json:"then,omitempty"`
	Title                string             `json:"title,omitempty"`
	Type                 string             `json:"type,omitempty"`

	never bool // the schema false: nothing is valid
}

// Never is the schema that nothing satisfies: a key that must be absent.
func Never() *Schema { return &Schema{never: true} }

// MarshalJSON writes the schema false for Never.
func (s *Schema) MarshalJSON() ([]byte, error) {
	if s.never {
		return []byte("false"), nil
	}
	type plain Schema
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode((*plain)(s)); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

func ptr[T any](v T) *T { return &v }

// prop returns the schema at the end of a chain of property names,
// creating the objects on the way: prop(s, "sql", "version").
func (s *Schema) prop(names ...string) *Schema {
	for _, n := range names {
		if s.Properties == nil {
			s.Properties = map[string]*Schema{}
		}
		next, ok := s.Properties[n]
		if !ok {
			next = &Schema{}
			s.Properties[n] = next
		}
		s = next
	}
	return s
}

// Generate builds the JSON Schema of the site file.
func Generate() *Schema {
	root := Root()
	b := &builder{defs: map[string]*Schema{}}
	s := b.object(root)
	s.Dialect = Draft
	s.Title = "pchat-hadr site file, schema_version 1"
	s.Description = "One Persistent Chat pool stretched over two data centers. Generated from the site.Site type: `pchat-hadr schema` prints it. " +
		"A file without `extends` is a complete site and must have every required key; a file that extends a defaults file may leave any key to it, " +
		"so required keys and the rules that span tables are only checked in files without `extends`. " +
		"A defaults file at the root of an extends chain names no site, so it is reported incomplete: give it no #:schema directive. " +
		"`pchat-hadr validate` checks everything this schema checks and more: see docs/site-schema.md."
	s.Defs = b.defs
	s.AllOf = topRules(root)
	return s
}

// JSON is the generated schema as written to docs/site.schema.json: two
// spaces of indentation, sorted keys, a final newline, < > & unescaped.
func JSON() []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(Generate()); err != nil {
		panic("schema: " + err.Error()) // the types above always encode
	}
	return b.Bytes()
}

type builder struct {
	defs map[string]*Schema
}

// object is the schema of a table: only its keys are allowed.
func (b *builder) object(k *Key) *Schema {
	s := &Schema{Type: "object", AdditionalProperties: ptr(false), Properties: map[string]*Schema{}}
	for _, c := range k.Keys {
		s.Properties[c.Name] = b.key(c)
	}
	for _, c := range k.Keys {
		if c.InArray && c.Required() {
			// The elements of an array of tables are never merged with a
			// defaults file's: they are complete in the file that writes them.
			s.Required = append(s.Required, c.Name)
		}
	}
	return s
}

func (b *builder) key(k *Key) *Schema {
	var s *Schema
	switch k.Kind {
	case Table:
		if _, shared := placeholders[k.Type]; shared {
			s = b.shared(k)
		} else {
			s = b.object(k)
		}
	case Array:
		s = &Schema{Type: "array", Items: b.object(k)}
		if n, ok := k.intTag("minitems"); ok {
			s.MinItems = &n
		}
		if n, ok := k.intTag("maxitems"); ok {
			s.MaxItems = &n
		}
	default:
		s = scalar(k)
	}
	s.Description = k.Doc()
	if syn, ok := syntaxOf(k); ok {
		s.Description += " Form: " + syn.Text
		if strings.Contains(syn.Not, noExpansion) {
			s.Description += "; never $("
		}
		s.Description += "."
	}
	keyRules(k, s)
	return s
}

// shared refers to the $defs entry of a struct type that several keys hold.
func (b *builder) shared(k *Key) *Schema {
	name := defName(k.Type)
	if _, ok := b.defs[name]; !ok {
		def := b.object(k)
		def.Description = "The keys of every " + sectionPath(k) + " table."
		b.defs[name] = def
	}
	return &Schema{AllOf: []*Schema{{Ref: "#/$defs/" + name}}}
}

// defName turns a Go type name into a $defs key: Instance -> instance.
func defName(t reflect.Type) string {
	var out strings.Builder
	for i, r := range t.Name() {
		if unicode.IsUpper(r) {
			if i > 0 {
				out.WriteByte('-')
			}
			r = unicode.ToLower(r)
		}
		out.WriteRune(r)
	}
	return out.String()
}

func scalar(k *Key) *Schema {
	s := &Schema{Type: string(k.Kind)}
	if d, ok := k.Default(); ok {
		s.Default = d
	}
	switch e := k.Enum(); len(e) {
	case 0:
	case 1:
		s.Const = k.value(e[0])
	default:
		for _, v := range e {
			s.Enum = append(s.Enum, k.value(v))
		}
	}
	if n, ok := k.intTag("min"); ok {
		s.Minimum = &n
	}
	if n, ok := k.intTag("max"); ok {
		s.Maximum = &n
	}
	if n, ok := k.intTag("minlen"); ok {
		s.MinLength = &n
	}
	if n, ok := k.intTag("maxlen"); ok {
		s.MaxLength = &n
	}
	if syn, ok := syntaxOf(k); ok {
		s.Pattern = syn.Pattern
		if syn.Not != "" {
			s.Not = &Schema{Pattern: syn.Not}
		}
		if syn.NonEmpty && s.MinLength == nil {
			s.MinLength = ptr(1)
		}
	}
	if k.Kind == String && k.Required() && s.MinLength == nil && s.Enum == nil {
		// An empty string is reported as missing, even in a file that
		// extends another: it replaces the defaults' value.
		s.MinLength = ptr(1)
	}
	return s
}
