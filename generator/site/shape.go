package site

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"pchat-hadr/generator/diag"
)

// checkShape compares a generically decoded document with the Site struct:
// every key must be a field (exact spelling) and every value must have the
// field's type. The decoder's own type errors are not used because, with
// several wrong values, which one it reports varies between runs.
// It also reports whether any value had the wrong type, which stops decoding.
func checkShape(raw map[string]any, origins Origins) (diag.List, bool) {
	s := &shaper{origins: origins}
	s.table("", raw, reflect.TypeOf(Site{}))
	return s.probs, s.typeErrs
}

type shaper struct {
	origins  Origins
	probs    diag.List
	typeErrs bool
}

func (s *shaper) add(path, format string, args ...any) {
	o := s.origins.Lookup(path)
	s.probs = append(s.probs, diag.Problem{File: o.File, Line: o.Line, Col: o.Col, Key: path,
		Message: fmt.Sprintf(format, args...)})
}

// typeErr reports a value of the wrong type: the typed decode cannot run.
func (s *shaper) typeErr(path, format string, args ...any) {
	s.typeErrs = true
	s.add(path, format, args...)
}

func (s *shaper) table(path string, raw map[string]any, t reflect.Type) {
	fields := fieldsOf(t)
	names := make([]string, 0, len(raw))
	for k := range raw {
		names = append(names, k)
	}
	sort.Strings(names) // Sort() later orders by line; this keeps ties stable
	for _, k := range names {
		p := join(path, k)
		f, ok := fields[k]
		if !ok {
			s.add(p, "%s", unknownKey(k, fields))
			continue
		}
		s.value(p, raw[k], f.Type)
	}
}

func (s *shaper) value(path string, v any, t reflect.Type) {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			s.typeErr(path, "expected a table, found %s", describe(v))
			return
		}
		s.table(path, m, t)
	case reflect.Slice:
		elems, ok := asSlice(v)
		if !ok {
			s.typeErr(path, "expected an array of tables ([[%s]]), found %s", path, describe(v))
			return
		}
		for i, e := range elems {
			s.value(path+"["+strconv.Itoa(i)+"]", e, t.Elem())
		}
	case reflect.String:
		if _, ok := v.(string); !ok {
			s.typeErr(path, "expected a string, found %s", describe(v))
		}
	case reflect.Int:
		if _, ok := v.(int64); !ok {
			s.typeErr(path, "expected an integer, found %s", describe(v))
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			s.typeErr(path, "expected true or false, found %s", describe(v))
		}
	default:
		panic("site: unsupported field kind " + t.Kind().String())
	}
}

func asSlice(v any) ([]any, bool) {
	switch x := v.(type) {
	case []map[string]any:
		out := make([]any, len(x))
		for i := range x {
			out[i] = x[i]
		}
		return out, true
	case []any:
		return x, true
	}
	return nil, false
}

func describe(v any) string {
	switch x := v.(type) {
	case string:
		if len(x) > 40 {
			x = x[:40] + "..."
		}
		return "a string (" + strconv.Quote(x) + ")"
	case int64:
		return "an integer (" + strconv.FormatInt(x, 10) + ")"
	case float64:
		return "a float (" + strconv.FormatFloat(x, 'g', -1, 64) + ")"
	case bool:
		return "a boolean (" + strconv.FormatBool(x) + ")"
	case map[string]any:
		return "a table"
	case []map[string]any, []any:
		return "an array"
	}
	return "a date or time"
}

// fieldsOf maps TOML key names to struct fields.
func fieldsOf(t reflect.Type) map[string]reflect.StructField {
	out := map[string]reflect.StructField{}
	for i := range t.NumField() {
		f := t.Field(i)
		if name := f.Tag.Get("toml"); name != "" && name != "-" {
			out[name] = f
		}
	}
	return out
}

// unknownKey explains a key that matches no field, suggesting the nearest.
// Keys differing only in case are refused too: the decoder would silently
// accept them, and a reviewer grepping for the documented spelling would miss them.
func unknownKey(k string, fields map[string]reflect.StructField) string {
	names := make([]string, 0, len(fields))
	for n := range fields {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if strings.EqualFold(n, k) {
			return fmt.Sprintf("unknown key; keys are case-sensitive: did you mean %s?", diag.Quote(n))
		}
	}
	if best, ok := Nearest(k, names); ok {
		return fmt.Sprintf("unknown key; did you mean %s?", diag.Quote(best))
	}
	return "unknown key; allowed here: " + strings.Join(names, ", ")
}

// Nearest returns the name closest to a mistyped one, when it is close
// enough to be what was meant: a few edits, fewer for short names. Ties go
// to the first of names.
func Nearest(typed string, names []string) (string, bool) {
	best, bestD := "", 1<<30
	for _, n := range names {
		if d := distance(typed, n); d < bestD {
			best, bestD = n, d
		}
	}
	return best, best != "" && bestD <= max(2, len(typed)/3)
}

// distance is the Levenshtein edit distance between two keys.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Origin is where a key was written: which file (a site file or one it
// extends) and where in it.
type Origin struct {
	File string
	Pos
}

// Origins maps key paths to where they were written.
type Origins map[string]Origin

// Lookup finds a path's origin, falling back to its nearest parent.
func (o Origins) Lookup(path string) Origin {
	for p := path; p != ""; {
		if or, ok := o[p]; ok {
			return or
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return Origin{File: o[""].File}
}

// pruneUnknown removes, in place, every key that matches no field exactly.
// Such keys are already reported; without this the decoder would match
// them to a field case-insensitively and fail on their type.
func pruneUnknown(raw map[string]any, t reflect.Type) {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	fields := fieldsOf(t)
	for k, v := range raw {
		f, ok := fields[k]
		if !ok {
			delete(raw, k)
			continue
		}
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		switch ft.Kind() {
		case reflect.Struct:
			if m, ok := v.(map[string]any); ok {
				pruneUnknown(m, ft)
			}
		case reflect.Slice:
			if elems, ok := asSlice(v); ok {
				for _, e := range elems {
					if m, ok := e.(map[string]any); ok {
						pruneUnknown(m, ft.Elem())
					}
				}
			}
		}
	}
}
