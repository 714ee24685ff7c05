package site

import (
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"github.com/BurntSushi/toml"
)

// TestDecodeIntoMatchesTOML proves, for every fixture that loads, that
// decodeInto fills the Site exactly as toml.Decode of the document's TOML
// did before it, and that Defined agrees with the decoder's metadata on
// every table key.
func TestDecodeIntoMatchesTOML(t *testing.T) {
	files, _ := filepath.Glob("../../fixtures/*.toml")
	more, _ := filepath.Glob("../../fixtures/*/*.toml")
	files = append(files, more...)
	ex, _ := filepath.Glob("../../templates/example-site.toml")
	files = append(files, ex...)
	checked := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		d, probs := loadChain(f, data, os.ReadFile, nil)
		if len(probs) > 0 {
			continue
		}
		takeTODOs(d.raw, d.origins)
		if _, typeErrs := checkShape(d.raw, d.origins); typeErrs {
			continue
		}
		pruneUnknown(d.raw, reflect.TypeOf(Site{}))
		var got, want Site
		decodeInto(d.raw, reflect.ValueOf(&got).Elem())
		text, err := encode(d.raw)
		if err != nil {
			t.Fatal(err)
		}
		meta, err := toml.Decode(text, &want)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: decodeInto gives\n%+v\nwant\n%+v", f, got, want)
		}
		for _, path := range tablePaths(reflect.TypeOf(Site{}), nil) {
			if g, w := defined(d.raw, path), meta.IsDefined(path...); g != w {
				t.Errorf("%s: defined(%v) = %v; the decoder says %v", f, path, g, w)
			}
		}
		checked++
	}
	if checked < 10 {
		t.Fatalf("only %d fixtures checked", checked)
	}
}

// tablePaths lists every key path of the schema that goes through tables
// only (no arrays), as Defined is asked.
func tablePaths(t reflect.Type, prefix []string) [][]string {
	var out [][]string
	fields := fieldsOf(t)
	names := make([]string, 0, len(fields))
	for n := range fields {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		p := append(append([]string(nil), prefix...), n)
		out = append(out, p)
		ft := fields[n].Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Struct {
			out = append(out, tablePaths(ft, p)...)
		}
	}
	return out
}
