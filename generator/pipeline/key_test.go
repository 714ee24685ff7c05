package pipeline

import (
	"reflect"
	"strings"
	"testing"

	"pchat-hadr/generator/site"
	"pchat-hadr/templates"
)

// TestKeyCoversEverySiteField: Key hashes the site in its JSON form, so
// every field of site.Site must reach JSON, or two sites that render
// differently could share a key and the cache would vouch for the wrong
// files. Every field is exported, none is tagged out of JSON, and each
// kind is one JSON writes faithfully.
func TestKeyCoversEverySiteField(t *testing.T) {
	var walk func(path string, ty reflect.Type)
	walk = func(path string, ty reflect.Type) {
		switch ty.Kind() {
		case reflect.Struct:
			for i := 0; i < ty.NumField(); i++ {
				f := ty.Field(i)
				p := path + "." + f.Name
				if !f.IsExported() {
					t.Errorf("%s is not exported: JSON leaves it out of the site's key", p)
				}
				if tag, ok := f.Tag.Lookup("json"); ok && (tag == "-" || strings.Contains(tag, "omitempty")) {
					t.Errorf("%s has json:%q: the site's key must hold every value", p, tag)
				}
				walk(p, f.Type)
			}
		case reflect.Slice, reflect.Pointer:
			walk(path+"[]", ty.Elem())
		case reflect.String, reflect.Bool, reflect.Int, reflect.Int64, reflect.Int32, reflect.Uint, reflect.Uint16, reflect.Uint32:
		default:
			t.Errorf("%s is a %s: not known to reach JSON faithfully", path, ty.Kind())
		}
	}
	walk("Site", reflect.TypeOf(site.Site{}))
}

// TestKeyChangesWithEveryValue changes each value of the example site in
// turn (every string, number and flag, in every table and array entry)
// and requires a new key each time; and a new salt or file name.
func TestKeyChangesWithEveryValue(t *testing.T) {
	data, err := templates.FS.ReadFile(templates.ExampleSite)
	if err != nil {
		t.Fatal(err)
	}
	loaded, probs := ValidateLean([]Input{{File: "example.toml", Data: data}})
	if len(probs.Errors()) > 0 || loaded[0] == nil {
		t.Fatalf("example: %v", probs)
	}
	s := &loaded[0].Site
	base := Key("salt", s, "example.toml")
	if base == "" || Key("salt", s, "example.toml") != base {
		t.Fatal("the key is empty or not stable")
	}
	if Key("salt2", s, "example.toml") == base || Key("salt", s, "other.toml") == base {
		t.Error("the key does not change with the salt or the file name")
	}
	seen := 0
	var visit func(path string, v reflect.Value)
	visit = func(path string, v reflect.Value) {
		switch v.Kind() {
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				visit(path+"."+v.Type().Field(i).Name, v.Field(i))
			}
			return
		case reflect.Slice:
			for i := 0; i < v.Len(); i++ {
				visit(path+"[]", v.Index(i))
			}
			return
		case reflect.Pointer:
			if !v.IsNil() {
				visit(path, v.Elem())
			}
			return
		}
		old := reflect.ValueOf(v.Interface())
		switch v.Kind() {
		case reflect.String:
			v.SetString(v.String() + "x")
		case reflect.Bool:
			v.SetBool(!v.Bool())
		default:
			if v.CanInt() {
				v.SetInt(v.Int() + 1)
			} else {
				v.SetUint(v.Uint() + 1)
			}
		}
		seen++
		if Key("salt", s, "example.toml") == base {
			t.Errorf("changing %s leaves the key as it was", path)
		}
		v.Set(old)
	}
	visit("Site", reflect.ValueOf(s).Elem())
	if Key("salt", s, "example.toml") != base {
		t.Fatal("the site was not restored")
	}
	if seen < 50 {
		t.Errorf("only %d values changed: the walk missed the site's values", seen)
	}
}
