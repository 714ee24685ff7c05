// Package schema describes the site file for people and editors: a JSON
// Schema (draft 2020-12) that Taplo / Even Better TOML can check a site file
// against while it is written, a Markdown reference of every key, and a
// Markdown reference of the command line. All three are derived from the
// site.Site type by reflection: its toml tags name the keys, and the tags
// next to them (doc, default, enum, syntax, required, used, ...) say what
// the keys mean. Output is deterministic, so that the generated files can be
// committed and checked for staleness.
package schema

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"pchat-hadr/generator/site"
)

// Families are the script families (output folders) and documents that a
// key can feed, in the order the runbook runs them; "used" tags name them.
var Families = []string{
	"prerequisites", "mirroring", "log-shipping", "topology", "mirror-failover",
	"dr-failover", "dr-switchover", "dr-failback", "runbook", "rollout",
}

// usedNone marks a key that only loading or validation reads.
const usedNone = "none"

// Kind is the TOML type of a key.
type Kind string

// Kinds of keys.
const (
	String  Kind = "string"
	Integer Kind = "integer"
	Boolean Kind = "boolean"
	Table   Kind = "table"
	Array   Kind = "array of tables"
)

// Key is one key of the site file, read from a field of site.Site or of a
// type it holds.
type Key struct {
	Name  string // the TOML key
	Path  string // dotted path from the top: "sql.<role>.port", "servers[].fqdn"
	Kind  Kind
	Field reflect.StructField
	// Type is the struct type of a table or of the elements of an array
	// of tables; nil for scalars.
	Type reflect.Type
	// InArray is true for keys of the elements of an array of tables: an
	// array replaces the defaults' array as a whole, so its elements are
	// always complete.
	InArray bool
	Keys    []*Key // of a table or array element, in declaration order
}

// Tag returns one of the key's documentation tags.
func (k *Key) Tag(name string) string { return k.Field.Tag.Get(name) }

// Doc is the key's description.
func (k *Key) Doc() string { return k.Tag("doc") }

// Required reports whether a complete site must have the key: it is
// tagged required, or it is a table (not an optional one, held by pointer)
// with a required key.
func (k *Key) Required() bool {
	if k.Tag("required") == "true" {
		return true
	}
	if k.Kind == Table && k.Field.Type.Kind() != reflect.Pointer {
		for _, c := range k.Keys {
			if c.Required() {
				return true
			}
		}
	}
	return false
}

// Enum lists the allowed values, or nil.
func (k *Key) Enum() []string {
	if e := k.Tag("enum"); e != "" {
		return strings.Split(e, "|")
	}
	return nil
}

// intTag parses a numeric tag; ok is false when it is absent.
func (k *Key) intTag(name string) (int, bool) {
	v := k.Tag(name)
	if v == "" {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		panic(fmt.Sprintf("schema: %s: tag %s=%q is not an integer", k.Path, name, v))
	}
	return n, true
}

// Default returns the key's literal default as a JSON value, if it has one.
func (k *Key) Default() (any, bool) {
	v, ok := k.Field.Tag.Lookup("default")
	if !ok {
		return nil, false
	}
	return k.value(v), true
}

// value converts tag text to a value of the key's kind.
func (k *Key) value(v string) any {
	switch k.Kind {
	case Integer:
		n, err := strconv.Atoi(v)
		if err != nil {
			panic(fmt.Sprintf("schema: %s: %q is not an integer", k.Path, v))
		}
		return n
	case Boolean:
		b, err := strconv.ParseBool(v)
		if err != nil {
			panic(fmt.Sprintf("schema: %s: %q is not a boolean", k.Path, v))
		}
		return b
	}
	return v
}

// Used lists the families that read the key, in Families order; a table
// that is not tagged uses what its keys use. Nil means validation only.
func (k *Key) Used() []string {
	tag, tagged := k.Field.Tag.Lookup("used")
	set := map[string]bool{}
	if tagged {
		for _, f := range strings.Fields(tag) {
			set[f] = true
		}
	} else {
		for _, c := range k.Keys {
			for _, f := range c.Used() {
				set[f] = true
			}
		}
	}
	var out []string
	for _, f := range Families {
		if set[f] {
			out = append(out, f)
		}
	}
	return out
}

// placeholders name the keys of a struct type that several fields share,
// so that its keys are documented once: sql.<role>.port.
var placeholders = map[reflect.Type]string{
	reflect.TypeOf(site.Instance{}): "<role>",
}

// Root is the top of the site file.
func Root() *Key {
	t := reflect.TypeOf(site.Site{})
	root := &Key{Kind: Table, Type: t}
	root.Keys = keysOf(t, "", false)
	return root
}

func keysOf(t reflect.Type, prefix string, inArray bool) []*Key {
	var out []*Key
	for i := range t.NumField() {
		f := t.Field(i)
		name := f.Tag.Get("toml")
		if name == "" || name == "-" {
			continue
		}
		k := &Key{Name: name, Path: join(prefix, name), Field: f, InArray: inArray}
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		switch ft.Kind() {
		case reflect.String:
			k.Kind = String
		case reflect.Int:
			k.Kind = Integer
		case reflect.Bool:
			k.Kind = Boolean
		case reflect.Struct:
			k.Kind, k.Type = Table, ft
			p := k.Path
			if ph, ok := placeholders[ft]; ok {
				p = join(prefix, ph)
			}
			k.Keys = keysOf(ft, p, inArray)
		case reflect.Slice:
			if ft.Elem().Kind() != reflect.Struct {
				panic("schema: unsupported slice type " + ft.String())
			}
			k.Kind, k.Type = Array, ft.Elem()
			k.Keys = keysOf(ft.Elem(), k.Path+"[]", true)
		default:
			panic("schema: unsupported field kind " + ft.Kind().String())
		}
		out = append(out, k)
	}
	return out
}

func join(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

// Walk calls fn for k's keys and their keys, depth first, in order.
func (k *Key) Walk(fn func(*Key)) {
	for _, c := range k.Keys {
		fn(c)
		c.Walk(fn)
	}
}

// roleOf returns the site role a key of [sql] holds, if it is one.
func roleOf(k *Key) (site.Role, bool) {
	if k.Type != reflect.TypeOf(site.Instance{}) {
		return site.Role{}, false
	}
	for _, r := range site.Roles {
		if r.Key == k.Name {
			return r, true
		}
	}
	panic("schema: instance key " + k.Path + " is not in site.Roles")
}
