package site

import (
	"reflect"
	"strings"
	"sync"
)

// decodeInto fills the struct v from a document that checkShape accepted
// and pruneUnknown trimmed, as toml.Decode of the document's TOML would:
// tables into structs (allocated behind pointers), arrays of tables into
// slices, strings, integers and booleans as they are. Encoding the
// document and parsing it again to get there was a third of loading.
func decodeInto(raw map[string]any, v reflect.Value) {
	fields := tomlFields(v.Type())
	for k, x := range raw {
		if f, ok := fields[k]; ok {
			setValue(v.FieldByIndex(f.Index), x)
		}
	}
}

func setValue(dst reflect.Value, x any) {
	switch dst.Kind() {
	case reflect.Pointer:
		p := reflect.New(dst.Type().Elem())
		setValue(p.Elem(), x)
		dst.Set(p)
	case reflect.Struct:
		decodeInto(x.(map[string]any), dst)
	case reflect.Slice:
		elems, _ := asSlice(x)
		s := reflect.MakeSlice(dst.Type(), len(elems), len(elems))
		for i, e := range elems {
			setValue(s.Index(i), e)
		}
		dst.Set(s)
	case reflect.String:
		// A copy: the parser's strings share the text of the whole file,
		// which a site kept until its turn to render would hold with them.
		dst.SetString(strings.Clone(x.(string)))
	case reflect.Int:
		dst.SetInt(x.(int64))
	case reflect.Bool:
		dst.SetBool(x.(bool))
	default:
		panic("site: unsupported field kind " + dst.Kind().String())
	}
}

// fieldCache holds fieldsOf per struct type: the schema's few types are
// looked up for every table of every site.
var fieldCache sync.Map // reflect.Type -> map[string]reflect.StructField

func tomlFields(t reflect.Type) map[string]reflect.StructField {
	if f, ok := fieldCache.Load(t); ok {
		return f.(map[string]reflect.StructField)
	}
	f := fieldsOf(t)
	fieldCache.Store(t, f)
	return f
}

// defined reports whether a path of table keys is in the document.
func defined(raw map[string]any, path []string) bool {
	for i, k := range path {
		v, ok := raw[k]
		if !ok {
			return false
		}
		if i == len(path)-1 {
			return true
		}
		if raw, ok = v.(map[string]any); !ok {
			return false
		}
	}
	return len(path) > 0
}
